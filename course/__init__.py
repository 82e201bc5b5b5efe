"""The ITIL 4 Service Value Chain course kit.

The pure layer (content model, activity look-up, value-stream rules, records)
loads without any widget library. Widget entry points are handed out lazily,
so ``import course`` stays fast::

    import course
    course.load_course().activities      # the six activities, in order
    course.activity("design and transition").name  # 'Design & Transition'
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import ContentError, UnknownActivityError
from .loader import load_content, load_course
from .lookup import resolve_activity
from .model import (
    Activity,
    Course,
    Objective,
    Practice,
    PracticeQuestion,
    Step,
    ValueStream,
)

__all__ = [  # noqa: RUF022 - the pure model first, then the widget entry points
    "Activity",
    "ContentError",
    "Course",
    "Objective",
    "Practice",
    "PracticeQuestion",
    "Step",
    "UnknownActivityError",
    "ValueStream",
    "activity",
    "load_content",
    "load_course",
    # widgets, imported on first use
    "builder",
    "check_setup",
    "download_work",
    "practice_graph",
    "progress",
    "quiz",
    "review",
    # learning aids drawn from the content (pure, imported on first use)
    "cheat_sheet",
    "glossary",
    "lesson_header",
    "lesson_plan",
]

# name -> module that defines it; imported on first use only.
_LAZY: dict[str, str] = {
    "quiz": "course.widgets.quiz",
    "builder": "course.widgets.builder",
    "practice_graph": "course.widgets.practice_graph",
    "progress": "course.widgets.progress",
    "check_setup": "course.widgets.start",
    "download_work": "course.widgets.start",
    "review": "course.widgets.review",
    "cheat_sheet": "course.sheets",
    "glossary": "course.sheets",
    "lesson_header": "course.sheets",
    "lesson_plan": "course.sheets",
}


def activity(name_or_id: object) -> Activity:
    """The activity that ``name_or_id`` names, in any spelling a person types.

    "design and transition", "Design & Transition", "obtain-build" and
    "Obtain/Build" all work; anything else raises
    :class:`UnknownActivityError`, which lists the six valid names.
    """
    return resolve_activity(name_or_id, load_course().activities)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'course' has no attribute {name!r}")
