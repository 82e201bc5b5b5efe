"""A graded submission: scores per question, a status, and the reasons behind it.

``status`` is ``ok`` or ``needs-review``. ``reasons`` say why a person must
look (each a sentence an instructor can act on); ``notes`` record harmless
oddities (renamed cells, truncated output). A result is saved as JSON beside
nbgrader's autograded copies and read back by ``export``, ``feedback`` and
``report``.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["OK", "REVIEW", "QuestionResult", "SubmissionResult", "load_result", "save_result"]

OK = "ok"
REVIEW = "needs-review"
VERSION = 1


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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(version=VERSION, status=self.status, total=self.total, max=self.max_score)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SubmissionResult:
        questions = [QuestionResult(**q) for q in data.get("questions", [])]
        return cls(
            student=str(data["student"]),
            assignment=str(data["assignment"]),
            questions=questions,
            reasons=[str(r) for r in data.get("reasons", [])],
            notes=[str(n) for n in data.get("notes", [])],
            seconds=float(data.get("seconds", 0.0)),
            graded_at=str(data.get("graded_at", "")),
        )


def save_result(path: Path, result: SubmissionResult) -> None:
    """Write ``result`` atomically (a crash never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(result.to_json(), fh, indent=1, sort_keys=True)
    os.replace(tmp, path)


def load_result(path: Path) -> SubmissionResult | None:
    """The saved result at ``path``, or ``None`` when there is none (or it is unreadable)."""
    try:
        return SubmissionResult.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
