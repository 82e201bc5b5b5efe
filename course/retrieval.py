"""The mixed review: a few self-check questions from every objective, due ones first.

Pure Python, no kernel needed: :func:`pick_review` takes the learner's
records (:mod:`course.records`) and the question bank's ids per objective and
chooses ``size`` questions for about five minutes of spaced retrieval:

1. a question whose last answer was wrong comes first (the longer ago, the sooner);
2. then the ones not seen for longest, a question never answered counting as
   the longest of all;
3. questions answered right recently come last.

The choice is spread over the objectives: with at least as many places as
objectives, each objective gives one question before any gives a second, and
the objectives whose best candidate is most due go first. Graded answers
recorded in the self-paced edition make an objective more due when they were
wrong. Ties are broken by a random draw from ``seed``, so the same records and
seed always give the same review.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .records import Record

__all__ = ["ReviewItem", "pick_review"]

DAY = 86_400.0


@dataclass(frozen=True)
class ReviewItem:
    """One question chosen for review, and why it was chosen."""

    question: str
    objective: str
    reason: str


@dataclass(frozen=True)
class _Candidate:
    question: str
    objective: str
    wrong: bool
    last: float | None  # when it was last answered; None: never
    tie: float

    def due(self, weak_objectives: set[str]) -> tuple[int, float, int, float]:
        """Smaller is more due."""
        tier = 0 if self.wrong else 1
        seen = -1.0 if self.last is None else self.last
        return (tier, seen, 0 if self.objective in weak_objectives else 1, self.tie)

    def reason(self, now: float) -> str:
        if self.last is None:
            return "not answered yet"
        days = max(0, int((now - self.last) // DAY))
        when = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
        return f"wrong last time ({when})" if self.wrong else f"last answered {when}"


def pick_review(
    records: Iterable[Record],
    questions: Mapping[str, Sequence[str]],
    *,
    now: float,
    size: int = 5,
    seed: int | str = 0,
) -> tuple[ReviewItem, ...]:
    """``size`` questions of ``questions`` (objective -> question ids), most due first."""
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size!r}")
    last: dict[str, Record] = {}
    weak: set[str] = set()
    for record in sorted(records, key=lambda r: r.time):
        if record.kind == "quiz":
            last[record.item] = record
        elif record.kind == "graded" and record.score < 1.0:
            weak.add(record.objective)
        elif record.kind == "graded":
            weak.discard(record.objective)
    rng = random.Random(f"review:{seed}")
    pools: dict[str, list[_Candidate]] = {}
    for objective, ids in questions.items():
        pool = []
        for question in ids:
            seen = last.get(question)
            pool.append(
                _Candidate(
                    question,
                    objective,
                    wrong=seen is not None and seen.score < 1.0,
                    last=None if seen is None else seen.time,
                    tie=rng.random(),
                )
            )
        pool.sort(key=lambda c: c.due(weak))
        if pool:
            pools[objective] = pool
    chosen: list[_Candidate] = []
    while len(chosen) < size and any(pools.values()):
        heads = sorted((p[0] for p in pools.values() if p), key=lambda c: c.due(weak))
        for head in heads[: size - len(chosen)]:
            chosen.append(head)
            pools[head.objective].pop(0)
    return tuple(ReviewItem(c.question, c.objective, c.reason(now)) for c in chosen)
