"""Score a value stream against a scenario's rubric, constraint by constraint.

A :class:`Rubric` is a list of constraints, each with the reason it matters
(``why``) and a weight. Grading checks every constraint on its own, so an
answer earns partial credit and the learner reads, for each constraint, what
was met or missed and why::

    rubric = Rubric((
        Require(any_of=("engage",), why="..."),
        Before(first=("engage",), then=("plan",), why="..."),
    ))
    result = rubric.grade(["Plan", "Engage"])
    result.score      # 0.5
    print(result.feedback)

Constraint kinds (the ``kind`` of each, as written in ``scenarios.yaml``):

- ``require``: one of the named activities appears somewhere;
- ``before``: a precondition; nothing of the second group happens until
  something of the first has (the first step of one comes before the first
  step of the other);
- ``then``: a follow-up; after the last step of the first group, a step of the
  second still comes;
- ``start`` / ``end``: the stream starts / ends with one of the named activities.

Naming several activities in one constraint accepts any of them: that is how
a rubric accepts an answer in more than one way.

The one scoring rule (:data:`NEEDLESS_COST`): the score is the weighted share
of constraints met, minus a quarter of the marks for every needless step, never
below 0. A step is needless when it repeats the step before it, or when it
uses an activity more often than the scenario's :class:`Budget` allows (an
activity the brief does not need at all has an allowance of 0). So padding,
repeats without purpose and steps the brief rules out all cost marks, and a
reversed stream meets no ordering constraint.

:meth:`Rubric.grade` never raises on a learner's answer: a malformed answer
scores 0 with a message that says what is wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .constraints import (
    Before,
    Constraint,
    ConstraintResult,
    End,
    MinSteps,
    Require,
    Start,
    Then,
)
from .errors import UnknownActivityError
from .loader import load_course
from .valuestream import Stream, StreamError, activity_name

__all__ = [
    "NEEDLESS_COST",
    "Before",
    "Budget",
    "Constraint",
    "ConstraintResult",
    "End",
    "MinSteps",
    "NeedlessStep",
    "Require",
    "Rubric",
    "RubricResult",
    "Start",
    "Then",
    "pattern_notes",
    "repeat_notes",
]


#: The share of the marks each needless step costs (see the module's docstring).
NEEDLESS_COST = 0.25


@dataclass(frozen=True)
class NeedlessStep:
    """A step the answer did not need: its number (from 1), its activity, and why."""

    number: int
    activity: str
    reason: str
    why: str = ""

    @property
    def line(self) -> str:
        name = activity_name(self.activity)
        return f"✗ Step {self.number} ({name}) is needless: {self.reason} {self.why}".rstrip()

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "activity": self.activity,
            "reason": self.reason,
            "why": self.why,
        }


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


@dataclass(frozen=True)
class Budget:
    """How often a good answer uses each activity; a step beyond it is needless.

    ``at_most`` maps activity ids to their allowance (an activity missing from
    it is allowed 0 times); ``why`` says what in the brief sets the budget.
    """

    at_most: Mapping[str, int]
    why: str = ""

    def needless(self, ids: tuple[str, ...]) -> tuple[NeedlessStep, ...]:
        """Every step of ``ids`` that repeats the step before it or exceeds the budget."""
        used: Counter[str] = Counter()
        found = []
        for index, activity in enumerate(ids):
            if index and ids[index - 1] == activity:
                reason = "it repeats the step before it; an activity does not hand over to itself."
                found.append(NeedlessStep(index + 1, activity, reason))
                continue
            used[activity] += 1
            allowed = self.at_most.get(activity, 0)
            if used[activity] <= allowed:
                continue
            name = activity_name(activity)
            if allowed == 0:
                reason = f"this situation does not need {name}."
            else:
                reason = f"a good answer uses {name} {_times(allowed)} at most here."
            said = any(step.why for step in found)  # the budget's why is given once
            found.append(NeedlessStep(index + 1, activity, reason, "" if said else self.why))
        return tuple(found)


@dataclass(frozen=True)
class RubricResult:
    """The outcome of grading one answer.

    ``score`` is the weighted share of constraints met minus
    :data:`NEEDLESS_COST` for each needless step (0 to 1), ``correct`` means
    every constraint is met and no step is needless, ``problem`` is set when
    the answer is empty or could not be read at all (and then the score is 0).
    """

    score: float
    correct: bool
    steps: tuple[str, ...]
    constraints: tuple[ConstraintResult, ...] = ()
    notes: tuple[str, ...] = ()
    problem: str = ""
    needless: tuple[NeedlessStep, ...] = ()

    @property
    def met(self) -> tuple[ConstraintResult, ...]:
        return tuple(c for c in self.constraints if c.met)

    @property
    def missed(self) -> tuple[ConstraintResult, ...]:
        return tuple(c for c in self.constraints if not c.met)

    @property
    def summary(self) -> str:
        if self.problem:
            return self.problem
        if not self.constraints:
            return "Nothing to check."
        extra = ""
        if self.needless:
            count = len(self.needless)
            extra = f", {count} needless step{'' if count == 1 else 's'}"
        return (
            f"{len(self.met)} of {len(self.constraints)} checks met{extra}: "
            f"score {round(self.score * 100)}%."
        )

    @property
    def feedback(self) -> str:
        """Every constraint met or missed, with why, and every needless step, as plain text."""
        lines = [self.summary]
        lines.extend(c.line for c in self.constraints)
        lines.extend(n.line for n in self.needless)
        lines.extend(self.notes)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (for records and the grader)."""
        return {
            "score": self.score,
            "correct": self.correct,
            "steps": list(self.steps),
            "constraints": [c.to_json() for c in self.constraints],
            "needless": [n.to_json() for n in self.needless],
            "notes": list(self.notes),
            "problem": self.problem,
        }


def repeat_notes(ids: tuple[str, ...]) -> tuple[str, ...]:
    """A remark for each step whose activity is the same as the step before it."""
    return tuple(
        f"Steps {i} and {i + 1} are both {activity_name(ids[i])}: an activity does not hand "
        "over to itself, so they are really one step; merge them."
        for i in range(1, len(ids))
        if ids[i - 1] == ids[i]
    )


def pattern_notes(ids: tuple[str, ...]) -> tuple[str, ...]:
    """A remark for each common pattern of the course that ``ids`` contains."""
    notes = []
    for pattern in load_course().patterns:
        size = len(pattern.steps)
        if any(ids[i : i + size] == pattern.steps for i in range(len(ids) - size + 1)):
            shown = " → ".join(activity_name(a) for a in pattern.steps)
            notes.append(f"Common pattern: {shown}. {pattern.meaning}")
    return tuple(notes)


@dataclass(frozen=True)
class Rubric:
    """The constraints a scenario's answers are scored against, and its step budget.

    Without a ``budget`` (free mode) no step is needless.
    """

    constraints: tuple[Constraint, ...] = field(default_factory=tuple)
    budget: Budget | None = None

    def grade(self, answer: object) -> RubricResult:
        """Score ``answer`` (a :class:`Stream`, or a list of activity names or JSON steps).

        Never raises on a learner's answer: something that is not a value
        stream scores 0 with ``problem`` saying what is wrong.
        """
        try:
            stream = Stream.from_names(answer)
        except (StreamError, UnknownActivityError) as exc:
            return RubricResult(0.0, False, (), problem=str(exc))
        ids = stream.activities
        results = tuple(c.evaluate(ids) for c in self.constraints)
        if not ids:
            empty = "Your value stream is empty: build at least two steps, then check again."
            return RubricResult(0.0, False, ids, results, problem=empty)
        total = sum(r.weight for r in results)
        gained = sum(r.weight for r in results if r.met)
        share = gained / total if total else 1.0
        needless = self.budget.needless(ids) if self.budget is not None else ()
        score = round(max(0.0, share - NEEDLESS_COST * len(needless)), 4)
        correct = all(r.met for r in results) and not needless
        notes = (() if self.budget is not None else repeat_notes(ids)) + pattern_notes(ids)
        return RubricResult(score, correct, ids, results, notes, needless=needless)
