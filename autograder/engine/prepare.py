"""Prepare a submitted notebook for the student's kernel: an ordered list of steps.

nbgrader's own preprocessors do most of it (clear outputs, de-duplicate cell
ids, restore locked cells from the answer key, check the metadata), fed from
the answer key held in memory instead of a gradebook query per cell. Cells
whose grade id the assignment does not know lose their nbgrader metadata, and
known cells get back the metadata the assignment gave them, so the metadata
check cannot fail on what a student did. Then the run is planned: which
cells execute (every cell except the assignment's tests, which run only in the
test room) and where the student's answers are read back.

The steps get the answer key and the list of notes when they are made, and
:func:`prepare_notebook` returns a typed :class:`Prepared`: nothing of ours
travels in nbconvert's ``resources``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from nbformat import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    NbGraderPreprocessor,
    OverwriteCells,
)

from autograder.engine.answer_key import NotebookKey, SourceCellInfo

__all__ = ["END", "STEPS", "Plan", "Prepared", "prepare_notebook"]

#: Anchor of answers read after the last cell.
END = -1


@dataclass
class Plan:
    """Steps for the student's kernel: ``("snap", program_cell_id)`` or ``("run", index)``."""

    steps: list[tuple[str, Any]] = field(default_factory=list)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class _KeyView:
    """The part of nbgrader's Gradebook that OverwriteCells asks, answered from the key."""

    def __init__(self, key: NotebookKey) -> None:
        self._cells = key.cells

    def __enter__(self) -> _KeyView:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> SourceCellInfo:
        try:
            return self._cells[name]
        except KeyError:
            raise MissingEntry() from None

    find_graded_cell = find_source_cell


@dataclass
class Prepared:
    """A submitted notebook ready for the student's kernel, and the plan of its run."""

    nb: NotebookNode
    plan: Plan


class _KeyedStep(NbGraderPreprocessor):
    """A step that knows the notebook's answer key and where to write its notes."""

    def __init__(self, key: NotebookKey, notes: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key
        self.notes = notes


class DropUnknownIds(_KeyedStep):
    """A cell whose grade id the assignment does not know (renamed, invented) loses its
    nbgrader metadata and becomes an ordinary cell."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        known = self.key.cells
        unknown = []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader")
            if meta is None:
                continue
            grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
            if grade_id not in known:
                unknown.append(str(grade_id))
                del cell.metadata["nbgrader"]
        if unknown:
            self.notes.append("cell ids not in the assignment: " + ", ".join(unknown))
        return nb, resources


class NoteDuplicates(_KeyedStep):
    """Records duplicated grade ids before DeduplicateIds keeps one of each."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        ids = Counter(
            c.metadata["nbgrader"].get("grade_id") for c in nb.cells if "nbgrader" in c.metadata
        )
        twice = sorted(str(i) for i, n in ids.items() if n > 1)
        if twice:
            self.notes.append("duplicated cell ids: " + ", ".join(twice))
        return nb, resources


class RestoreMetadata(_KeyedStep):
    """Every known cell gets back the nbgrader metadata the assignment gave it: a student
    cannot turn an answer cell into a 100-point grade cell, or unlock a test."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        known = self.key.cells
        changed = []
        for cell in nb.cells:
            if "nbgrader" not in cell.metadata:
                continue
            grade_id = cell.metadata["nbgrader"].get("grade_id")
            if grade_id not in known:  # what DeduplicateIds left of a duplicate
                del cell.metadata["nbgrader"]
            else:
                wanted = known[grade_id].metadata()
                current = {k: v for k, v in cell.metadata["nbgrader"].items() if k != "checksum"}
                if current != wanted:
                    changed.append(str(grade_id))
                cell.metadata["nbgrader"] = wanted  # RestoreLockedCells adds the checksum
        if changed:
            self.notes.append("cell metadata restored: " + ", ".join(changed))
        return nb, resources


class RestoreLockedCells(OverwriteCells):
    """nbgrader's OverwriteCells, answered from the in-memory answer key. A test cell the
    student deleted is not put back here: the test room runs every test of the key."""

    def __init__(self, key: NotebookKey, notes: list[str], **kwargs: Any) -> None:
        super().__init__(add_missing_cells=False, **kwargs)
        self.key = key

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.gradebook = _KeyView(self.key)
        done: tuple[Any, Any] = NbGraderPreprocessor.preprocess(self, nb, resources)
        return done


class KernelspecFromKey(_KeyedStep):
    """nbgrader's OverwriteKernelspec, from the key: the submission's own is ignored."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        spec = self.key.kernelspec
        if spec:
            nb.metadata["kernelspec"] = spec
        return nb, resources


def plan_run(nb: NotebookNode, key: NotebookKey, notes: list[str]) -> Plan:
    """Which cells the student's kernel runs, and where each test's answers are read."""
    tests = {c.cell_id for c in key.tests}
    where: dict[str, int] = {}
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            where.setdefault(grade_id, index)
    anchors: dict[int, list[str]] = {}
    pending: list[str] = []
    plan = Plan(notes=notes)
    for program_cell in key.program:
        if program_cell.reads:
            plan.names[program_cell.cell_id] = program_cell.reads
            pending.append(program_cell.cell_id)
        if program_cell.cell_id in where:
            anchors.setdefault(where[program_cell.cell_id], []).extend(pending)
            pending = []
    anchors.setdefault(END, []).extend(pending)
    missing = sorted(tests - set(where))
    if missing:
        plan.notes.append("test cells missing from the submission: " + ", ".join(missing))
    for index, cell in enumerate(nb.cells):
        plan.steps.extend(("snap", pid) for pid in anchors.get(index, []))
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and grade_id not in tests and cell.source.strip():
            plan.steps.append(("run", index))
    plan.steps.extend(("snap", pid) for pid in anchors.get(END, []))
    return plan


#: The steps, in order: ids and metadata settle before nbgrader's metadata check.
STEPS: tuple[type, ...] = (
    ClearOutput,
    DropUnknownIds,
    NoteDuplicates,
    DeduplicateIds,
    KernelspecFromKey,
    RestoreMetadata,
    RestoreLockedCells,
    CheckCellMetadata,
)


def prepare_notebook(nb: NotebookNode, key: NotebookKey, assignment: str, student: str) -> Prepared:
    """Run every step on ``nb`` (in place) and plan its run."""
    resources: dict[str, Any] = {
        "nbgrader": {"notebook": key.name, "assignment": assignment, "student": student},
    }
    notes: list[str] = []
    for step in STEPS:
        keyed = issubclass(step, (_KeyedStep, RestoreLockedCells))
        made = step(key, notes, enabled=True) if keyed else step(enabled=True)
        nb, resources = made(nb, resources)
    return Prepared(nb, plan_run(nb, key, notes))
