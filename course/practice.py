"""The value-stream exercises a learner can practise, and how far they have got with each.

Pure Python for the "more practice" chooser (:mod:`course.widgets.more_practice`):
every self-check scenario (graded questions are left out), with its status
computed from the learner's records (:mod:`course.records`)::

    from course.practice import exercise_status
    for item in exercise_status():
        print(item.title, item.status)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .records import Record, load_records
from .scenarios import Scenario, load_scenarios

__all__ = ["ExerciseStatus", "exercise_status", "exercises"]


def exercises() -> tuple[Scenario, ...]:
    """Every self-check value-stream exercise, in the order of ``scenarios.yaml``."""
    return tuple(s for s in load_scenarios() if not s.graded)


@dataclass(frozen=True)
class ExerciseStatus:
    """One exercise and the learner's checks of it so far."""

    id: str
    title: str
    objective: str
    attempts: int
    best: float

    @property
    def done(self) -> bool:
        return self.attempts > 0 and self.best >= 1.0

    @property
    def status(self) -> str:
        """ "not tried yet", "done: full marks" or "best 60% after 2 checks"."""
        if not self.attempts:
            return "not tried yet"
        if self.done:
            return "done: full marks"
        checks = "check" if self.attempts == 1 else "checks"
        return f"best {round(self.best * 100)}% after {self.attempts} {checks}"


def exercise_status(records: Iterable[Record] | None = None) -> tuple[ExerciseStatus, ...]:
    """The status of every exercise, from ``records`` (default: this learner's records)."""
    attempts: dict[str, int] = {}
    best: dict[str, float] = {}
    for record in load_records() if records is None else records:
        if record.kind != "stream":
            continue
        attempts[record.item] = attempts.get(record.item, 0) + 1
        best[record.item] = max(best.get(record.item, 0.0), record.score)
    return tuple(
        ExerciseStatus(s.id, s.title, s.objective, attempts.get(s.id, 0), best.get(s.id, 0.0))
        for s in exercises()
    )
