"""Session fixtures for the notebook tests: each notebook is executed once, and the tests
assert on the results.

``graded_course``: a temporary course root in which nbgrader generated every assignment
and autograded six fake students for each (see :mod:`.answers`):

- ``solutions`` hands in the source notebooks (solutions and all);
- ``blank`` hands in the release untouched;
- ``wrong``, ``partial`` and ``hostile`` type the answers of :data:`.answers.TYPED`;
- ``widget`` answers through saved widget state only (:data:`.answers.WIDGET`);
- ``nonsense`` and ``padded`` type the value streams of :data:`.answers.NONSENSE` (where an
  assignment has a graded stream question).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

from autograder.engine.widget_answers import STATE_MIME

from .answers import NONSENSE, TYPED, WIDGET
from .nbgrading import (
    SOURCE,
    Graded,
    answer_cells,
    assignments,
    autograde,
    grading_environment,
    new_course,
    notebook_path,
    results,
    submit,
)

STUDENTS = ("solutions", "blank", "wrong", "partial", "hostile", "widget", "nonsense", "padded")


@dataclass
class GradedCourse:
    root: Path

    def results(self, student: str, assignment: str) -> dict[str, Graded]:
        return results(self.root, assignment, student)

    def autograded(self, student: str, assignment: str) -> Any:
        return nbformat.read(notebook_path(self.root / "autograded" / student, assignment), 4)

    def students(self, assignment: str) -> list[str]:
        folder = self.root / "autograded"
        return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def _typed(release_nb: Any, student: str) -> Any:
    nb = copy.deepcopy(release_nb)
    for question, cell in answer_cells(nb).items():
        if question in TYPED:
            cell.source = TYPED[question][student][0]
    return nb


def _streams(release_nb: Any, student: str) -> Any | None:
    """The release with the NONSENSE streams of ``student`` typed in (None: no such question)."""
    nb = copy.deepcopy(release_nb)
    typed = False
    for question, cell in answer_cells(nb).items():
        if question in NONSENSE:
            cell.source = NONSENSE[question][student]
            typed = True
    return nb if typed else None


def _with_widgets(release_nb: Any, assignment: str) -> Any:
    models, typed, _ = WIDGET[assignment]
    nb = copy.deepcopy(release_nb)
    for question, cell in answer_cells(nb).items():
        if question in typed:
            cell.source = typed[question]
    state = {f"{index:032x}": model for index, model in enumerate(models, start=1)}
    nb.metadata["widgets"] = {STATE_MIME: {"state": state, "version_major": 2, "version_minor": 0}}
    return nbformat.from_dict(nb)


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GradedCourse]:
    root = tmp_path_factory.mktemp("course")
    with grading_environment(root / "course-data"):
        new_course(root)
        for assignment in assignments():
            release_nb = nbformat.read(notebook_path(root / "release", assignment), 4)
            submit(
                root, "solutions", assignment, nbformat.read(notebook_path(SOURCE, assignment), 4)
            )
            submit(root, "blank", assignment, release_nb)
            for student in ("wrong", "partial", "hostile"):
                submit(root, student, assignment, _typed(release_nb, student))
            if assignment in WIDGET:
                submit(root, "widget", assignment, _with_widgets(release_nb, assignment))
            for student in ("nonsense", "padded"):
                streams = _streams(release_nb, student)
                if streams is not None:
                    submit(root, student, assignment, streams)
            autograde(root, assignment)
        yield GradedCourse(root)
