"""The grading pipeline of the course kit, built on nbgrader.

``python -m autograder`` (or ``itil-autograder``) runs it from the command
line: ``collect``, ``grade``, ``feedback``, ``export`` and ``report`` (see
:mod:`autograder.cli`). The same steps from Python::

    from autograder import GradeOptions, find_sandbox, grade_assignment, open_course

    course = open_course("path/to/course")
    batch = grade_assignment(course, "06-practice", GradeOptions(find_sandbox(no_sandbox=False)))
    [(r.student, r.total, r.status, r.reasons) for r in batch.results]

How a submission is graded: the student's cells run in a fresh, sandboxed
kernel (bubblewrap: no network, no view of ``source/``, the gradebook, other
students or the grader's home); their answers are read back as plain values;
the assignment's tests run on those values in a separate "test room" that
never runs student code, so nothing a student's code does to its own kernel
can change how the tests judge it. A submission either gets the grade its
answers deserve or is marked ``needs-review`` with the reason.

Names are handed out lazily, so ``import autograder`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "AutograderError",
    "BatchResult",
    "GradeOptions",
    "SubmissionResult",
    "collect",
    "export_csv",
    "find_sandbox",
    "generate_feedback",
    "grade_assignment",
    "open_course",
    "write_report",
]

_LAZY: dict[str, str] = {
    "AutograderError": "autograder.errors",
    "BatchResult": "autograder.engine.grade",
    "GradeOptions": "autograder.engine.grade",
    "SubmissionResult": "autograder.engine.results",
    "collect": "autograder.intake.collect",
    "export_csv": "autograder.outputs.export",
    "find_sandbox": "autograder.engine.sandbox",
    "generate_feedback": "autograder.outputs.feedback",
    "grade_assignment": "autograder.engine.grade",
    "open_course": "autograder.course_layout",
    "write_report": "autograder.outputs.report",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'autograder' has no attribute {name!r}")
