"""A graded submission: scores per question, a status, and the reasons behind it.

``status`` is ``ok`` or ``needs-review``. ``reasons`` say why a person must
look (each a sentence an instructor can act on); ``notes`` record harmless
oddities (renamed cells, truncated output).

The gradebook is the one home of a score: a :class:`SubmissionResult` carries
its scores to :mod:`autograder.engine.gradebook`, which writes them there. The
JSON saved beside nbgrader's autograded copies (:func:`save_notes`) keeps only
what the gradebook cannot: the reasons, the notes and the answers each test
read. ``export``, ``feedback`` and ``report`` read scores from the gradebook
and these :class:`GradingNotes` for the rest.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "OK",
    "REVIEW",
    "GradingNotes",
    "QuestionResult",
    "SubmissionResult",
    "load_notes",
    "save_notes",
]

OK = "ok"
REVIEW = "needs-review"
VERSION = 2


@dataclass
class QuestionResult:
    """One graded cell: its score (``None`` when it could not be decided) and the answers
    (tagged plain values) its test read."""

    id: str
    notebook: str
    max_score: float
    score: float | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    kind: str = "test"  # "test" (autograded) or "manual"
    #: A reason of the submission concerns this question: a person must decide its score.
    needs_review: bool = False


@dataclass
class SubmissionResult:
    student: str
    assignment: str
    questions: list[QuestionResult] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    graded_at: str = ""

    @property
    def status(self) -> str:
        return REVIEW if self.reasons else OK

    @property
    def total(self) -> float:
        return round(sum(q.score or 0.0 for q in self.questions), 6)

    @property
    def max_score(self) -> float:
        return round(sum(q.max_score for q in self.questions), 6)

    def question(self, question_id: str) -> QuestionResult | None:
        for q in self.questions:
            if q.id == question_id:
                return q
        return None

    def review(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def notes_json(self) -> dict[str, Any]:
        """What the JSON beside the gradebook keeps: everything but the scores."""
        return {
            "version": VERSION,
            "student": self.student,
            "assignment": self.assignment,
            "status": self.status,
            "reasons": list(self.reasons),
            "notes": list(self.notes),
            "answers": {q.id: dict(q.answers) for q in self.questions if q.answers},
            "seconds": self.seconds,
            "graded_at": self.graded_at,
        }


@dataclass(frozen=True)
class GradingNotes:
    """What the grader noted about a submission, besides its scores (in the gradebook)."""

    student: str
    assignment: str
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0
    graded_at: str = ""

    @property
    def status(self) -> str:
        return REVIEW if self.reasons else OK

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GradingNotes:
        answers = data.get("answers", {})
        if not isinstance(answers, dict):
            raise TypeError("answers is not an object")
        return cls(
            student=str(data["student"]),
            assignment=str(data["assignment"]),
            reasons=tuple(str(r) for r in data.get("reasons", [])),
            notes=tuple(str(n) for n in data.get("notes", [])),
            answers={str(k): dict(v) for k, v in answers.items()},
            seconds=float(data.get("seconds", 0.0)),
            graded_at=str(data.get("graded_at", "")),
        )


def save_notes(path: Path, result: SubmissionResult) -> None:
    """Write ``result``'s notes (no scores) atomically: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(result.notes_json(), fh, indent=1, sort_keys=True)
    os.replace(tmp, path)


def load_notes(path: Path) -> GradingNotes | None:
    """The notes saved at ``path``, or ``None`` when there are none (or they are unreadable)."""
    try:
        return GradingNotes.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
