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
  second still comes (``directly``: some step hands over straight to it);
- ``start`` / ``end``: the stream starts / ends with one of the named activities;
- ``min_steps`` / ``max_steps``: a bound on the number of steps.

Naming several activities in one constraint accepts any of them: that is how
a rubric accepts an answer in more than one way. :meth:`Rubric.grade` never
raises on a learner's answer: a malformed answer scores 0 with a message that
says what is wrong.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .errors import UnknownActivityError
from .loader import load_course
from .valuestream import Stream, StreamError, activity_name

__all__ = [
    "Before",
    "Constraint",
    "ConstraintResult",
    "End",
    "MaxSteps",
    "MinSteps",
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

    Met when the last step of ``first`` has a step of ``then`` after it. With
    ``directly``, some step of ``first`` must hand over straight to ``then``.
    """

    first: tuple[str, ...]
    then: tuple[str, ...]
    directly: bool = False
    kind: ClassVar[str] = "then"

    def describe(self) -> str:
        if self.directly:
            return f"{_either(self.first)} leads straight to {_either(self.then)}"
        return f"{_either(self.first)} is followed by {_either(self.then)}"

    def _check(self, ids: tuple[str, ...]) -> tuple[bool, str]:
        before, after = _positions(ids, self.first), _positions(ids, self.then)
        if not before or not after:
            return False, _pair_missing(ids, self.first, self.then)
        if self.directly:
            handed = [i for i in before if i + 1 in after]
            if handed:
                return True, f"step {handed[0] + 1} hands over to step {handed[0] + 2}."
            return False, (
                f"no {_either(self.first)} step ({_steps(before)}) hands over straight "
                f"to {_either(self.then)} ({_steps(after)})."
            )
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


@dataclass(frozen=True, kw_only=True)
class MaxSteps(Constraint):
    """At most ``limit`` steps."""

    limit: int
    kind: ClassVar[str] = "max_steps"

    def describe(self) -> str:
        return f"Has at most {self.limit} steps"

    def _check(self, ids: tuple[str, ...]) -> tuple[bool, str]:
        return len(ids) <= self.limit, f"your stream has {len(ids)}."


@dataclass(frozen=True)
class RubricResult:
    """The outcome of grading one answer.

    ``score`` is the weighted share of constraints met (0 to 1), ``correct``
    means every constraint is met, ``problem`` is set when the answer is empty
    or could not be read at all (and then the score is 0).
    """

    score: float
    correct: bool
    steps: tuple[str, ...]
    constraints: tuple[ConstraintResult, ...] = ()
    notes: tuple[str, ...] = ()
    problem: str = ""

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
        return (
            f"{len(self.met)} of {len(self.constraints)} checks met: "
            f"score {round(self.score * 100)}%."
        )

    @property
    def feedback(self) -> str:
        """Every constraint met or missed, with why, as plain text."""
        lines = [self.summary]
        lines.extend(c.line for c in self.constraints)
        lines.extend(self.notes)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (for records and the grader)."""
        return {
            "score": self.score,
            "correct": self.correct,
            "steps": list(self.steps),
            "constraints": [c.to_json() for c in self.constraints],
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
    """The constraints a scenario's answers are scored against."""

    constraints: tuple[Constraint, ...] = field(default_factory=tuple)

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
        score = round(gained / total, 4) if total else 1.0
        correct = all(r.met for r in results)
        notes = repeat_notes(ids) + pattern_notes(ids)
        return RubricResult(score, correct, ids, results, notes)
