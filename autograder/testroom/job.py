"""What the grader sends a test room, and what comes back.

A :class:`Job` holds the instructor's cells (the clean-room program of one
notebook), the student's answers as plain tagged values per cell that reads
them, the answers the student gave through widgets, and the limits of the run.
It travels to the room as one JSON line (:meth:`Job.message`); the room
(:mod:`autograder.testroom.server`) answers ``{"cells": [outcome, ...]}`` or
``{"crash": reason}``, each outcome ``{"id", "stdout", "value" | "error"}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from course.graded import ANSWERS_FILE

__all__ = ["Job"]


@dataclass(frozen=True)
class Job:
    """One notebook's tests, to run in a test room."""

    cells: tuple[tuple[str, str], ...]  # (cell id, source), in order
    values: Mapping[str, Mapping[str, Any]]  # cell id -> {answer name: tagged value}
    widget_answers: Mapping[str, Any]  # question id -> plain JSON answer
    timeout: int  # seconds per cell
    max_stdout: int  # characters of printed output kept per cell

    @property
    def deadline(self) -> int:
        """Seconds the whole job may take."""
        return self.timeout * max(1, len(self.cells)) + 10

    def message(self) -> dict[str, Any]:
        """The job as the room reads it."""
        return {
            "cells": [{"id": cell_id, "source": source} for cell_id, source in self.cells],
            "values": {cell_id: dict(values) for cell_id, values in self.values.items()},
            "files": {ANSWERS_FILE: json.dumps(dict(self.widget_answers), sort_keys=True)},
            "timeout": self.timeout,
            "max_stdout": self.max_stdout,
            "deadline": self.deadline,
        }
