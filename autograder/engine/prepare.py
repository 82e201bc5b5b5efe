"""Prepare a submitted notebook for the student's kernel: an ordered list of steps.

nbgrader's own preprocessors do most of it (clear outputs, de-duplicate cell
ids, restore locked cells from the answer key, check the metadata), fed from
the answer key held in memory instead of a gradebook query per cell. Cells
whose grade id the assignment does not know lose their nbgrader metadata, and
known cells get back the metadata the assignment gave them, so the metadata
check cannot fail on what a student did. The recorded widget answers
are handed to the kernel's folder before execution. The last step plans the
run: which cells execute (every cell except the assignment's tests, which run
only in the clean room) and where the student's answers are read back.

``PIPELINE`` is the order; :data:`EXECUTE` marks where the student's code runs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from nbconvert.preprocessors import Preprocessor
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

__all__ = ["END", "EXECUTE", "PIPELINE", "Plan", "prepare_notebook"]

#: Marks the place of execution in :data:`PIPELINE`.
EXECUTE = "execute the student's cells in their sandboxed kernel"
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


def _key(resources: dict[str, Any]) -> NotebookKey:
    key: NotebookKey = resources["autograder"]["key"]
    return key


def _notes(resources: dict[str, Any]) -> list[str]:
    notes: list[str] = resources["autograder"].setdefault("notes", [])
    return notes


class DropUnknownIds(NbGraderPreprocessor):
    """A cell whose grade id the assignment does not know (renamed, invented) loses its
    nbgrader metadata and becomes an ordinary cell."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        known = _key(resources).cells
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
            _notes(resources).append("cell ids not in the assignment: " + ", ".join(unknown))
        return nb, resources


class NoteDuplicates(NbGraderPreprocessor):
    """Records duplicated grade ids before DeduplicateIds keeps one of each."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        ids = Counter(
            c.metadata["nbgrader"].get("grade_id") for c in nb.cells if "nbgrader" in c.metadata
        )
        twice = sorted(str(i) for i, n in ids.items() if n > 1)
        if twice:
            _notes(resources).append("duplicated cell ids: " + ", ".join(twice))
        return nb, resources


class RestoreMetadata(NbGraderPreprocessor):
    """Every known cell gets back the nbgrader metadata the assignment gave it: a student
    cannot turn an answer cell into a 100-point grade cell, or unlock a test."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        known = _key(resources).cells
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
            _notes(resources).append("cell metadata restored: " + ", ".join(changed))
        return nb, resources


class RestoreLockedCells(OverwriteCells):
    """nbgrader's OverwriteCells, answered from the in-memory answer key."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.gradebook = _KeyView(_key(resources))
        done: tuple[Any, Any] = NbGraderPreprocessor.preprocess(self, nb, resources)
        return done


class KernelspecFromKey(NbGraderPreprocessor):
    """nbgrader's OverwriteKernelspec, from the key: the submission's own is ignored."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        spec = _key(resources).kernelspec
        if spec:
            nb.metadata["kernelspec"] = spec
        return nb, resources


class PlanRun(Preprocessor):
    """Which cells the student's kernel runs, and where each test's answers are read."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[Any, Any]:
        key = _key(resources)
        tests = {c.cell_id for c in key.tests}
        where: dict[str, int] = {}
        for index, cell in enumerate(nb.cells):
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id is not None:
                where.setdefault(grade_id, index)
        anchors: dict[int, list[str]] = {}
        pending: list[str] = []
        plan = Plan(notes=_notes(resources))
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
        resources["autograder"]["plan"] = plan
        return nb, resources


def _widget_steps() -> list[type]:
    """The widget-answer step, when the kit provides it (``autograder.engine.widget_answers``)."""
    try:
        from autograder.engine.widget_answers import WidgetAnswers
    except ImportError:
        return []
    return [WidgetAnswers]


# Missing tests are not re-inserted: the clean room runs every test from the key anyway.
_OPTIONS: dict[Any, dict[str, Any]] = {RestoreLockedCells: {"add_missing_cells": False}}

PIPELINE: list[Any] = [
    ClearOutput,
    DropUnknownIds,
    NoteDuplicates,
    DeduplicateIds,
    KernelspecFromKey,
    RestoreMetadata,
    RestoreLockedCells,
    CheckCellMetadata,
    *_widget_steps(),
    PlanRun,
    EXECUTE,
]


def prepare_notebook(
    nb: NotebookNode, key: NotebookKey, assignment: str, student: str, workdir: str
) -> tuple[NotebookNode, dict[str, Any]]:
    """Run every step before :data:`EXECUTE` on ``nb`` (in place); return it and its resources."""
    resources: dict[str, Any] = {
        "nbgrader": {"notebook": key.name, "assignment": assignment, "student": student},
        "metadata": {"path": workdir},
        "autograder": {"key": key},
    }
    for step in PIPELINE[: PIPELINE.index(EXECUTE)]:
        options = _OPTIONS.get(step, {})
        nb, resources = step(enabled=True, **options)(nb, resources)
    return nb, resources
