"""The constraints of a value-stream rubric: what each checks, and how it reports.

Each constraint says one thing a good answer does (``describe``), checks it
on a stream of activity ids (``evaluate``), and names the step it is about
(``anchor``), so a model answer can show each step with the reasons it is
there. :mod:`course.rubric` combines them into a score.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from .valuestream import activity_name

__all__ = [
    "Before",
    "Constraint",
    "ConstraintResult",
    "End",
    "MinSteps",
    "Require",
    "Start",
    "Then",
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
