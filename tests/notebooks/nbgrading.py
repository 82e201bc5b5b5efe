"""Run real nbgrader on a throw-away copy of the course: generate, submit, autograde, read scores.

Everything goes through nbgrader's Python API with the course's own configuration
(:mod:`autograder.nbgrader_settings`), in a temporary course root, so the repository's
gradebook and folders are never touched.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from autograder.nbgrader_settings import course_config

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "source"
RELEASE = REPO / "release"


def assignments() -> list[str]:
    return sorted(p.name for p in SOURCE.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def notebook_path(root: Path, assignment: str) -> Path:
    return root / assignment / f"{assignment}.ipynb"


@contextmanager
def grading_environment(data: Path) -> Iterator[None]:
    """What a grading run needs: nbgrader's ``alembic`` on PATH, and the kernels' course
    data kept out of the home folder; no answers file path inherited from outside."""
    saved = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    os.environ["ITIL_COURSE_DATA"] = str(data)
    os.environ.pop("ITIL_WIDGET_ANSWERS", None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _config(root: Path, assignment: str, student: str = ".") -> Any:
    config = course_config(root)
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.student_id = student
    return config


def _run(converter_class: Any, config: Any) -> None:
    from nbgrader.coursedir import CourseDirectory

    converter = converter_class(coursedir=CourseDirectory(config=config), config=config)
    converter.start()


def new_course(root: Path, only: list[str] | None = None) -> Path:
    """A course root holding a copy of ``source/``, with every assignment (or those in
    ``only``) generated into its gradebook and its own ``release/``."""
    from nbgrader.converters import GenerateAssignment

    shutil.copytree(SOURCE, root / "source", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for assignment in only or assignments():
        config = _config(root, assignment)
        config.GenerateAssignment.force = True
        _run(GenerateAssignment, config)
    return root


def submit(root: Path, student: str, assignment: str, nb: Any) -> Path:
    path = notebook_path(root / "submitted" / student, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def autograde(root: Path, assignment: str) -> None:
    """Autograde every submission of ``assignment`` with nbgrader."""
    from nbgrader.converters import Autograde

    config = _config(root, assignment, "*")
    config.Autograde.create_student = True
    config.Autograde.force = True
    _run(Autograde, config)


@dataclass(frozen=True)
class Graded:
    """One graded cell of one submission: points and the autograded cell's outputs."""

    score: float | None
    max_score: float
    outputs: tuple[Mapping[str, Any], ...]


def results(root: Path, assignment: str, student: str) -> dict[str, Graded]:
    """grade_id -> what nbgrader recorded for that student's submission."""
    from nbgrader.api import Gradebook

    config = course_config(root)
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    autograded = nbformat.read(notebook_path(root / "autograded" / student, assignment), 4)
    outputs = {
        cell.metadata.get("nbgrader", {}).get("grade_id"): tuple(cell.get("outputs", ()))
        for cell in autograded.cells
    }
    with Gradebook(db_url, config.CourseDirectory.course_id) as gradebook:
        notebook = gradebook.find_submission_notebook(assignment, assignment, student)
        return {
            grade.name: Graded(grade.score, grade.max_score, outputs.get(grade.name, ()))
            for grade in notebook.grades
        }


def errors_in(nb: Any) -> list[str]:
    """Every error or stderr output of a notebook, as 'cell id: text'."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", ()):
            if output["output_type"] == "error":
                found.append(f"{cell.get('id')}: {output['ename']}: {output['evalue']}")
            elif output["output_type"] == "stream" and output["name"] == "stderr":
                found.append(f"{cell.get('id')}: stderr: {output['text'][:200]}")
    return found


def answer_cells(nb: Any) -> dict[str, Any]:
    """grade_id of the question -> its answer cell."""
    cells = {}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id.endswith("-answer"):
            cells[grade_id.removesuffix("-answer")] = cell
    return cells


def graded_ids(nb: Any) -> list[str]:
    """The grade ids of a notebook's autograded test cells, in order."""
    return [
        cell.metadata["nbgrader"]["grade_id"]
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    ]
