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

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

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


def _either(ids: tuple[str, ...]) -> str:
    names = [activity_name(a) for a in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _positions(ids: tuple[str, ...], wanted: tuple[str, ...]) -> list[int]:
    return [i for i, a in enumerate(ids) if a in wanted]


def _steps(numbers: list[int]) -> str:
    shown = [str(n + 1) for n in numbers]
    if len(shown) == 1:
        return f"step {shown[0]}"
    return f"steps {', '.join(shown[:-1])} and {shown[-1]}"


@dataclass(frozen=True)
class ConstraintResult:
    """How one constraint fared: its statement, met or not, and why."""

    kind: str
    description: str
    met: bool
    weight: float
    detail: str
    why: str

    @property
    def line(self) -> str:
        mark = "✓" if self.met else "✗"
        return f"{mark} {self.description}: {self.detail} {self.why}".rstrip()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "description": self.description,
            "met": self.met,
            "weight": self.weight,
            "detail": self.detail,
            "why": self.why,
        }


@dataclass(frozen=True, kw_only=True)
class Constraint(ABC):
    """One thing a good answer does; ``why`` explains it to the learner."""

    why: str = ""
    weight: float = 1.0
    kind: ClassVar[str] = ""

    @abstractmethod
    def describe(self) -> str:
        """The constraint as a short statement, e.g. "Starts with Engage"."""

    @abstractmethod
    def _check(self, ids: tuple[str, ...]) -> tuple[bool, str]:
        """Whether ``ids`` (a non-empty stream) meets it, and what was seen."""

    def anchor(self, ids: tuple[str, ...]) -> int | None:
        """The index of the step of ``ids`` this constraint is about (None: the whole stream)."""
        return None

    def evaluate(self, ids: tuple[str, ...]) -> ConstraintResult:
        if ids:
            met, detail = self._check(ids)
        else:
            met, detail = False, "your value stream has no steps yet."
        return ConstraintResult(self.kind, self.describe(), met, self.weight, detail, self.why)


@dataclass(frozen=True, kw_only=True)
class Require(Constraint):
    """One of ``any_of`` appears in the stream."""

    any_of: tuple[str, ...]
    kind: ClassVar[str] = "require"

    def describe(self) -> str:
        return f"Uses {_either(self.any_of)}"

    def anchor(self, ids: tuple[str, ...]) -> int | None:
        found = _positions(ids, self.any_of)
        return found[0] if found else None

    def _check(self, ids: tuple[str, ...]) -> tuple[bool, str]:
        found = _positions(ids, self.any_of)
        if found:
            used = _either(tuple(dict.fromkeys(ids[i] for i in found)))
            return True, f"{used} is at {_steps(found)}."
        return False, f"your stream has no {_either(self.any_of)} step."


def _pair_missing(ids: tuple[str, ...], first: tuple[str, ...], then: tuple[str, ...]) -> str:
    missing = first if not _positions(ids, first) else then
    return f"your stream has no {_either(missing)} step."


@dataclass(frozen=True, kw_only=True)
class Before(Constraint):
    """A precondition: no step of ``then`` comes until a step of ``first`` has.

    Met when both appear and the first step of ``first`` comes before the
    first step of ``then``, so every ``then`` step has a ``first`` step
    somewhere before it.
    """

    first: tuple[str, ...]
    then: tuple[str, ...]
    kind: ClassVar[str] = "before"

    def describe(self) -> str:
        return f"{_either(self.first)} comes before {_either(self.then)}"

    def anchor(self, ids: tuple[str, ...]) -> int | None:
        found = _positions(ids, self.then)
        return found[0] if found else None

    def _check(self, ids: tuple[str, ...]) -> tuple[bool, str]:
        before, after = _positions(ids, self.first), _positions(ids, self.then)
        if not before or not after:
            return False, _pair_missing(ids, self.first, self.then)
        if before[0] < after[0]:
            return True, f"step {before[0] + 1} comes before step {after[0] + 1}."
        return False, (
            f"{_either(self.then)} is already step {after[0] + 1}, before the first "
            f"{_either(self.first)} (step {before[0] + 1})."
        )


@dataclass(frozen=True, kw_only=True)
class Then(Constraint):
    """A follow-up: every step of ``first`` is followed, sooner or later, by one of ``then``.

    Met when the last step of ``first`` has a step of ``then`` after it.
    """

    first: tuple[str, ...]
    then: tuple[str, ...]
    kind: ClassVar[str] = "then"

    def describe(self) -> str:
        return f"{_either(self.first)} is followed by {_either(self.then)}"

    def anchor(self, ids: tuple[str, ...]) -> int | None:
        before = _positions(ids, self.first)
        later = [j for j in _positions(ids, self.then) if before and j > before[-1]]
        return later[0] if later else None

    def _check(self, ids: tuple[str, ...]) -> tuple[bool, str]:
        before, after = _positions(ids, self.first), _positions(ids, self.then)
        if not before or not after:
            return False, _pair_missing(ids, self.first, self.then)
        last = before[-1]
        later = [j for j in after if j > last]
        if later:
            return True, f"step {last + 1} is followed by step {later[0] + 1}."
        return False, (
            f"nothing after {_either(self.first)} (step {last + 1}) is {_either(self.then)}."
        )


@dataclass(frozen=True, kw_only=True)
class Start(Constraint):
    """The first step is one of ``any_of``."""

    any_of: tuple[str, ...]
    kind: ClassVar[str] = "start"

    def describe(self) -> str:
        return f"Starts with {_either(self.any_of)}"

    def anchor(self, ids: tuple[str, ...]) -> int | None:
        return 0 if ids else None

    def _check(self, ids: tuple[str, ...]) -> tuple[bool, str]:
        verb = "starts" if ids[0] in self.any_of else "starts instead"
        return ids[0] in self.any_of, f"your stream {verb} with {activity_name(ids[0])}."


@dataclass(frozen=True, kw_only=True)
class End(Constraint):
    """The last step is one of ``any_of``."""

    any_of: tuple[str, ...]
    kind: ClassVar[str] = "end"

    def describe(self) -> str:
        return f"Ends with {_either(self.any_of)}"

    def anchor(self, ids: tuple[str, ...]) -> int | None:
        return len(ids) - 1 if ids else None

    def _check(self, ids: tuple[str, ...]) -> tuple[bool, str]:
        verb = "ends" if ids[-1] in self.any_of else "ends instead"
        return ids[-1] in self.any_of, f"your stream {verb} with {activity_name(ids[-1])}."


@dataclass(frozen=True, kw_only=True)
class MinSteps(Constraint):
    """At least ``limit`` steps."""

    limit: int
    kind: ClassVar[str] = "min_steps"

    def describe(self) -> str:
        return f"Has at least {self.limit} steps"

    def _check(self, ids: tuple[str, ...]) -> tuple[bool, str]:
        return len(ids) >= self.limit, f"your stream has {len(ids)}."


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
