"""Bring an assignment from ``source/`` into the gradebook and derive its answer key.

nbgrader's own ``GenerateAssignment`` converter does the work (with the
course's configuration, so checksums match the released notebooks); its
release goes to a throw-away folder, never to ``release/``. One extra step,
placed right after ``SaveCells``, captures each notebook as the gradebook
knows it (hidden tests included, solutions cleared): the instructor's program
that the clean-room test run executes.
"""

from __future__ import annotations

import copy
import json
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.converters import GenerateAssignment
from nbgrader.converters.base import NbGraderException
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor, SaveCells

from autograder import notebook_io as nbio
from autograder.course_layout import CourseLayout
from autograder.engine.cell_names import CellNames, analyse
from autograder.errors import AutograderError
from autograder.publish.secrets import HIDDEN, notebook_secrets

__all__ = ["AssignmentKey", "NotebookKey", "ProgramCell", "SourceCellInfo", "prepare_assignment"]

Kind = Literal["setup", "test"]


@dataclass(frozen=True)
class ProgramCell:
    """An instructor cell of the clean-room program.

    ``reads`` are the student's answer names it reads: their plain values are
    taken from the student's kernel at ``anchor`` (the grade id of the cell the
    submission holds at that point) and injected before the cell runs.
    """

    cell_id: str
    kind: Kind
    source: str
    reads: tuple[str, ...]
    binds: frozenset[str]
    uses: frozenset[str] = frozenset()
    points: float = 0.0
    hidden_lines: frozenset[int] = frozenset()

    @property
    def hidden_text(self) -> tuple[str, ...]:
        lines = self.source.splitlines()
        return tuple(lines[i - 1] for i in sorted(self.hidden_lines) if 0 < i <= len(lines))


@dataclass(frozen=True)
class SourceCellInfo:
    """What the gradebook knows of one nbgrader cell (for restoring locked cells)."""

    name: str
    cell_type: str
    locked: bool
    checksum: str
    source: str
    max_score: float | None = None
    solution: bool = False
    task: bool = False

    def metadata(self) -> dict[str, Any]:
        """The cell's nbgrader metadata, as the assignment defines it."""
        meta: dict[str, Any] = {
            "cell_type": self.cell_type,
            "grade": self.max_score is not None and not self.task,
            "grade_id": self.name,
            "locked": self.locked,
            "schema_version": 3,
            "solution": self.solution,
            "task": self.task,
        }
        if self.max_score is not None:
            meta["points"] = self.max_score
        return meta


@dataclass(frozen=True)
class NotebookKey:
    """The answer key of one notebook of the assignment."""

    name: str
    program: tuple[ProgramCell, ...]
    student_names: frozenset[str]
    solution_ids: tuple[str, ...]
    cells: dict[str, SourceCellInfo]
    kernelspec: dict[str, Any] | None

    @property
    def tests(self) -> tuple[ProgramCell, ...]:
        return tuple(c for c in self.program if c.kind == "test")

    @property
    def max_score(self) -> float:
        return sum(c.max_score or 0.0 for c in self.cells.values())

    def graded_ids(self) -> list[str]:
        """Grade ids of every graded cell (tests and manually graded answers), in order."""
        return [c.name for c in self.cells.values() if c.max_score is not None]


@dataclass(frozen=True)
class AssignmentKey:
    name: str
    notebooks: tuple[NotebookKey, ...]
    support_files: tuple[Path, ...]
    source_dir: Path

    def notebook(self, name: str) -> NotebookKey:
        for nb in self.notebooks:
            if nb.name == name:
                return nb
        raise KeyError(name)

    @property
    def max_score(self) -> float:
        return sum(nb.max_score for nb in self.notebooks)


class _CaptureProgram(NbGraderPreprocessor):
    """Keeps a copy of each notebook exactly as ``SaveCells`` stored it, in ``captured``
    (one instance per generation, handed to the converter as an instance)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.captured: dict[str, NotebookNode] = {}

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        self.captured[resources["nbgrader"]["notebook"]] = copy.deepcopy(nb)
        return nb, resources


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextmanager
def _quiet_logger() -> Iterator[tuple[logging.Logger, _Collect]]:
    logger = logging.getLogger("autograder.nbgrader")
    logger.propagate = False
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield logger, handler
    finally:
        logger.removeHandler(handler)


def _generate(layout: CourseLayout, assignment: str, release_dir: Path) -> dict[str, NotebookNode]:
    coursedir = layout.coursedir()
    coursedir.release_directory = str(release_dir)
    coursedir.assignment_id = assignment
    coursedir.notebook_id = "*"
    capture = _CaptureProgram(enabled=True)
    with _quiet_logger() as (logger, errors):
        converter = GenerateAssignment(coursedir=coursedir, config=layout.config, log=logger)
        converter.force = True
        converter.create_assignment = True
        steps = list(converter.preprocessors)
        if SaveCells not in steps:
            raise AutograderError("GenerateAssignment.preprocessors must include SaveCells")
        steps.insert(steps.index(SaveCells) + 1, capture)
        converter.preprocessors = steps
        try:
            converter.start()
        except (NbGraderException, Exception) as exc:
            detail = "; ".join(errors.lines[-3:]) or str(exc)
            raise AutograderError(
                f"cannot bring {assignment!r} into the gradebook from "
                f"{layout.source_dir(assignment)}: {detail}"
            ) from exc
    return capture.captured


def _hidden_lines(source: str, begin: str, end: str) -> frozenset[int]:
    hidden: set[int] = set()
    inside = False
    for number, line in enumerate(source.splitlines(), start=1):
        if begin in line:
            inside = True
        if inside:
            hidden.add(number)
        if end in line:
            inside = False
    return frozenset(hidden)


def _source_notebook(path: Path) -> NotebookNode:
    return nbio.read(path)


def _student_names(source_nb: NotebookNode) -> frozenset[str]:
    """Names bound by the solution cells of the source notebook: the student's answers."""
    names: set[str] = set()
    for cell in source_nb.cells:
        if cell.cell_type == "code" and utils.is_solution(cell):
            names |= analyse(cell.source).binds
    return frozenset(names)


def _slice(cells: list[tuple[NotebookNode, CellNames]], student: frozenset[str]) -> list[int]:
    """Indexes of the instructor cells the tests need: every test, and every earlier
    non-answer code cell that binds a name a later kept cell reads."""
    keep: list[int] = []
    needed: set[str] = set()
    for index in range(len(cells) - 1, -1, -1):
        cell, names = cells[index]
        if utils.is_solution(cell):
            continue
        is_test = utils.is_grade(cell)
        if is_test or names.star or not names.parsed or names.binds & needed:
            keep.append(index)
            needed |= names.reads - student
    return sorted(keep)


def _notebook_key(
    name: str,
    program_nb: NotebookNode,
    source_nb: NotebookNode,
    gradebook: Gradebook,
    assignment: str,
    delimiters: tuple[str, str],
) -> NotebookKey:
    student = _student_names(source_nb)
    code = [
        (cell, analyse(cell.source))
        for cell in program_nb.cells
        if cell.cell_type == "code" and cell.source.strip()
    ]
    program = []
    for index in _slice(code, student):
        cell, names = code[index]
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell-{index}"
        is_test = utils.is_grade(cell)
        program.append(
            ProgramCell(
                cell_id=grade_id,
                kind="test" if is_test else "setup",
                source=cell.source,
                reads=tuple(sorted(names.reads & student)),
                binds=names.binds,
                uses=names.reads,
                points=float(cell.metadata.nbgrader["points"]) if is_test else 0.0,
                hidden_lines=_hidden_lines(cell.source, *delimiters) if is_test else frozenset(),
            )
        )
    db_nb = gradebook.find_notebook(name, assignment)
    max_scores = {c.name: float(c.max_score) for c in db_nb.grade_cells}
    max_scores.update({c.name: float(c.max_score) for c in db_nb.task_cells})
    solutions = {c.name for c in db_nb.solution_cells}
    tasks = {c.name for c in db_nb.task_cells}
    cells = {
        c.name: SourceCellInfo(
            c.name,
            c.cell_type,
            bool(c.locked),
            c.checksum,
            c.source,
            max_scores.get(c.name),
            c.name in solutions,
            c.name in tasks,
        )
        for c in db_nb.source_cells
    }
    order = [c.metadata.get("nbgrader", {}).get("grade_id") for c in program_nb.cells]
    ordered = {k: cells[k] for k in order if k in cells} | cells
    kernelspec = db_nb.kernelspec
    return NotebookKey(
        name=name,
        program=tuple(program),
        student_names=student,
        solution_ids=tuple(c.name for c in db_nb.solution_cells),
        cells=ordered,
        kernelspec=json.loads(kernelspec) if kernelspec else None,
    )


def prepare_assignment(layout: CourseLayout, assignment: str) -> AssignmentKey:
    """Register ``assignment`` in the gradebook from ``source/`` and return its key."""
    layout.require_assignment(assignment)
    with tempfile.TemporaryDirectory(prefix="itil-release-") as tmp:
        captured = _generate(layout, assignment, Path(tmp))
    clear = ClearHiddenTests(config=layout.config)
    delimiters = (str(clear.begin_test_delimeter), str(clear.end_test_delimeter))
    source_dir = layout.source_dir(assignment)
    notebooks = []
    with Gradebook(layout.db_url, layout.coursedir().course_id) as gradebook:
        for path in layout.source_notebooks(assignment):
            if path.stem not in captured:
                continue
            notebooks.append(
                _notebook_key(
                    path.stem,
                    captured[path.stem],
                    _source_notebook(path),
                    gradebook,
                    assignment,
                    delimiters,
                )
            )
    ignore = list(layout.coursedir().ignore)
    support = tuple(Path(p) for p in utils.find_all_files(str(source_dir), [*ignore, "*.ipynb"]))
    return AssignmentKey(assignment, tuple(notebooks), support, source_dir)


def hidden_test_text(layout: CourseLayout, assignment: str) -> list[str]:
    """The secret lines of the hidden tests of the source notebooks
    (:mod:`autograder.publish.secrets`; read from ``source/``, the gradebook is not touched)."""
    return list(notebook_secrets(layout.source_notebooks(assignment), HIDDEN))
