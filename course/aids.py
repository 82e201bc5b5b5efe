"""Learning aids as data: how long each lesson takes, and the glossary.

Pure Python: :func:`load_aids` reads ``course/content/lessons.yaml`` and
``course/content/glossary.yaml`` into frozen objects, holding them to their
rules with messages that name the file, the line and how to fix it; the
pages that show them are drawn by :mod:`course.sheets`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ._yamlread import Node, read_document
from .loader import CONTENT_DIR, load_course
from .model import Course

__all__ = ["Aids", "Lesson", "Term", "load_aids", "read_aids"]

_FOLDER = re.compile(r"^\d\d-[a-z0-9-]+$")
_MAX_MINUTES = 120


@dataclass(frozen=True)
class Lesson:
    """One notebook of the course, in order."""

    folder: str
    number: int
    title: str
    minutes: int
    objective: str | None

    @property
    def path(self) -> str:
        """The notebook, relative to the release folder (``02-x/02-x.ipynb``)."""
        return f"{self.folder}/{self.folder}.ipynb"


@dataclass(frozen=True)
class Term:
    """A glossary entry, and the lesson that teaches it."""

    term: str
    text: str
    lesson: str


@dataclass(frozen=True)
class Aids:
    lessons: tuple[Lesson, ...]
    terms: tuple[Term, ...]

    @property
    def minutes(self) -> int:
        """The whole course, in minutes."""
        return sum(lesson.minutes for lesson in self.lessons)

    def lesson(self, folder: str) -> Lesson:
        for item in self.lessons:
            if folder in (item.folder, item.path):
                return item
        known = ", ".join(lesson.folder for lesson in self.lessons)
        raise KeyError(f"unknown lesson {folder!r}; the lessons are: {known}")


def _minutes(node: Node) -> int:
    value = node.node.value
    if node.node.tag != "tag:yaml.org,2002:int" or not 1 <= int(value) <= _MAX_MINUTES:
        node.fail(f"minutes must be a whole number from 1 to {_MAX_MINUTES}, not {value!r}")
    return int(value)


def _lesson(node: Node, number: int, course: Course) -> Lesson:
    fields = node.only("folder", "objective", "title", "minutes")
    folder = node.str_field("folder")
    if not _FOLDER.match(folder):
        fields["folder"].fail(f"{folder!r} is not a notebook folder name like '02-six-activities'")
    if int(folder[:2]) != number:
        fields["folder"].fail(f"lesson {number} must be in a folder numbered {number:02d}")
    objective = fields["objective"].text() if "objective" in fields else None
    if objective is not None:
        if "title" in fields:
            fields["title"].fail("a lesson on an objective takes its title from objectives.yaml")
        known = [o.id for o in course.objectives]
        if objective not in known:
            fields["objective"].fail(
                f"unknown learning objective {objective!r}; they are: {', '.join(known)}"
            )
        title = course.objective(objective).title
    elif "title" in fields:
        title = fields["title"].text()
    else:
        node.fail("a lesson needs an objective (from objectives.yaml) or a title")
    return Lesson(folder, number, title, _minutes(node.field("minutes")), objective)


def read_aids(folder: Path, course: Course) -> Aids:
    """Read the lessons and the glossary of the content folder ``folder``."""
    lessons_doc = read_document(folder / "lessons.yaml", folder)
    lessons_doc.only("lessons")
    lessons = tuple(
        _lesson(item, number, course)
        for number, item in enumerate(lessons_doc.field("lessons").items())
    )
    folders = [lesson.folder for lesson in lessons]
    glossary = read_document(folder / "glossary.yaml", folder)
    glossary.only("terms")
    terms: list[Term] = []
    for item in glossary.field("terms").items():
        item.only("term", "text", "lesson")
        lesson = item.str_field("lesson")
        if lesson not in folders:
            item.field("lesson").fail(
                f"unknown lesson {lesson!r}; the lessons (lessons.yaml) are: {', '.join(folders)}"
            )
        term = Term(item.str_field("term"), " ".join(item.str_field("text").split()), lesson)
        if terms and term.term.casefold() <= terms[-1].term.casefold():
            item.field("term").fail(
                f"{term.term!r} is out of order or repeated: keep the terms in alphabetical order"
            )
        terms.append(term)
    return Aids(lessons, tuple(terms))


@functools.lru_cache(maxsize=1)
def load_aids() -> Aids:
    """The lessons and the glossary shipped with the package (loaded once)."""
    return read_aids(CONTENT_DIR, load_course())
