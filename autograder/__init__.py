"""The course kit's grader, publishing and authoring tools, built on nbgrader.

``python -m autograder`` (or ``itil-autograder``) is the one command line
(:mod:`autograder.cli`; ``--help`` lists every command). The folders follow a
submission's way through the grader:

- :mod:`autograder.intake`: collect LMS downloads, read a submission;
- :mod:`autograder.engine`: the answer key, preparing a notebook, sandboxed
  kernels, the student's run, reading answers back, scoring, the gradebook;
- :mod:`autograder.testroom`: the processes that run the tests on plain values;
- :mod:`autograder.outputs`: CSV export, feedback, the class report;
- :mod:`autograder.publish`: ``release/``, the student copy, the secret rule;
- :mod:`autograder.commands`: one module per subcommand.

The same steps from Python::

    from autograder.course_layout import open_course
    from autograder.engine.grade import GradeOptions, grade_assignment
    from autograder.engine.sandbox import find_sandbox

    course = open_course("path/to/course")
    batch = grade_assignment(course, "06-practice", GradeOptions(find_sandbox(no_sandbox=False)))
    [(r.student, r.total, r.status, r.reasons) for r in batch.results]

How a submission is graded: the student's cells run in a fresh, sandboxed
kernel (bubblewrap: no network, no view of ``source/``, the gradebook, other
students or the grader's home); their answers are read back as plain values;
the assignment's tests run on those values in a separate test room that never
runs student code, so nothing a student's code does to its own kernel can
change how the tests judge it. A submission either gets the grade its answers
deserve or is marked ``needs-review`` with the reason.

``import autograder`` loads nothing else.
"""
