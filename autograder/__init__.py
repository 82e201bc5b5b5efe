"""The grading pipeline of the course kit, built on nbgrader."""
