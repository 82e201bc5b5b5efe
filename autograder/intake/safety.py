"""Checks on what a student controls, before the grader relies on it.

- :func:`json_problem`: a decoded JSON document (a notebook, an answer
  snapshot) that is nested deeper than the grader will walk, or holds text
  that is not valid Unicode (a lone surrogate, which JSON can spell as
  ``"\\ud800"``), is refused with what is wrong, before any later step trips
  over it and stops the batch.
- :func:`student_id_problem`: the one rule for a student id, used where ids
  are made (``collect``) and where they are read (``grade``): the id becomes a
  folder name, a gradebook key and text in the formgrader's pages.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["STUDENT_ID", "json_problem", "student_id_problem"]

STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def student_id_problem(student: str) -> str | None:
    """None for a usable id, else why it cannot be one."""
    if STUDENT_ID.fullmatch(student):
        return None
    return (
        "cannot be used as a student id (letters, digits and . _ @ + - only, "
        "starting with a letter or digit, at most 100)"
    )


def json_problem(data: Any, max_depth: int) -> str | None:
    """What makes ``data`` unsafe to handle, or None; walks iteratively (no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            return f"is nested too deeply (more than {max_depth} levels)"
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return "holds text that is not valid Unicode (a lone surrogate)"
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    return "holds text that is not valid Unicode (a lone surrogate)"
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return None
