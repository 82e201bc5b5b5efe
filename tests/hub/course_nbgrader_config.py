# Added at the end of nbgrader_config.py in the course folder: the course's id on the hub.
# Every course folder (one per course, owned by its instructor) names its own.
c.CourseDirectory.course_id = "itil-svc-spring"  # noqa: F821
