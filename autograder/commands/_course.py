"""What the course commands share: the course directory and positive numbers."""

from __future__ import annotations

import argparse

from autograder.course_layout import CourseLayout, open_course

__all__ = ["course_of", "positive"]


def course_of(args: argparse.Namespace) -> CourseLayout:
    """The course the command line names (``--course-dir``, default: here)."""
    return open_course(getattr(args, "course_dir", None))


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value
