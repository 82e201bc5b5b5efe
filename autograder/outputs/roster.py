"""The class list as nbgrader's gradebook holds it (its ``Student`` table).

An instructor fills it with ``nbgrader db student import roster.csv`` (columns
``id,first_name,last_name,email``, and ``lms_user_id`` where the LMS has its own
number). Every export carries the names and emails from here; a student who is
not on the roster (graded from a submission folder only) has none.
"""

from __future__ import annotations

from dataclasses import dataclass

from nbgrader.api import Gradebook

from autograder.course_layout import CourseLayout

__all__ = ["Person", "read_roster"]


@dataclass(frozen=True)
class Person:
    """One student of the roster; every field but ``id`` may be empty."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""

    @property
    def full_name(self) -> str:
        """``First Last``, or the student id when the roster has no name."""
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.id

    @property
    def sortable_name(self) -> str:
        """``Last, First`` (as Canvas lists students), or the student id."""
        if self.first_name and self.last_name:
            return f"{self.last_name}, {self.first_name}"
        return self.full_name


def read_roster(layout: CourseLayout) -> dict[str, Person]:
    """Every student of the gradebook, by id (empty when there is no gradebook yet)."""
    if not layout.root.joinpath("gradebook.db").exists() and "sqlite" in layout.db_url:
        return {}
    with Gradebook(layout.db_url, layout.coursedir().course_id) as gb:
        return {
            s.id: Person(
                s.id,
                s.first_name or "",
                s.last_name or "",
                s.email or "",
                str(s.lms_user_id or ""),
            )
            for s in gb.students
        }
