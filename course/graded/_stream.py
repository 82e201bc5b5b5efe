"""Check and score a value stream: typed as a list of names, or built in the builder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..loader import load_course
from ._common import Names, as_ids, clamp, ok, resolve
from ._plain import AnswerError
from ._read import display, read_names
from ._result import Problem, Result

__all__ = ["check_stream", "score_stream"]


def check_stream(answer: object, *, question: str | None = None) -> Problem | None:
    """Is the answer a list of activity names (typed, or built in the builder)?"""
    try:
        value, origin = resolve(answer, question)
        steps = read_names(value, "activity")
    except AnswerError as exc:
        return Problem(str(exc))
    if not steps:
        return Problem("Your value stream has no steps yet.")
    unknown = [text for text, found in steps if found is None]
    if unknown:
        return Problem(
            f"{unknown[0]!r} is not an activity of the Service Value Chain. The six are: "
            + ", ".join(a.name for a in load_course().activities)
            + "."
        )
    shown = " → ".join(display(found, "activity") for _, found in steps if found)
    ok(f"{len(steps)} steps: {shown}", origin)
    return None


def _group(names: Names) -> tuple[str, ...]:
    return as_ids(names, "activity")


def _either(ids: tuple[str, ...]) -> str:
    names = [display(a, "activity") for a in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


@dataclass(frozen=True)
class _Constraint:
    """One thing a good value stream does: ``kind`` is start, require, before or end."""

    kind: str
    first: tuple[str, ...]
    then: tuple[str, ...] = ()

    def statement(self) -> str:
        if self.kind == "before":
            return f"{_either(self.first)} comes before {_either(self.then)}"
        verb = {"start": "Starts with", "require": "Uses", "end": "Ends with"}[self.kind]
        return f"{verb} {_either(self.first)}"

    def met(self, stream: list[str]) -> bool:
        if self.kind == "start":
            return stream[0] in self.first
        if self.kind == "end":
            return stream[-1] in self.first
        if self.kind == "require":
            return any(a in self.first for a in stream)
        return any(
            a in self.first and b in self.then
            for i, a in enumerate(stream)
            for b in stream[i + 1 :]
        )


def _constraints(
    start: Names | None,
    end: Names | None,
    require: Iterable[Names],
    before: Iterable[tuple[Names, Names]],
) -> list[_Constraint]:
    return [
        *([_Constraint("start", _group(start))] if start else []),
        *(_Constraint("require", _group(item)) for item in require),
        *(_Constraint("before", _group(a), _group(b)) for a, b in before),
        *([_Constraint("end", _group(end))] if end else []),
    ]


def score_stream(
    answer: object,
    *,
    points: float,
    start: Names | None = None,
    end: Names | None = None,
    require: Iterable[Names] = (),
    before: Iterable[tuple[Names, Names]] = (),
    question: str | None = None,
) -> Result:
    """Score a value stream constraint by constraint, an equal share of the points for each met.

    ``start``/``end``: the first/last step is (one of) these activities;
    ``require``: each entry (a name, or a tuple of alternatives) appears somewhere;
    ``before``: for each pair, a step of the first comes before a step of the second.
    Activities may repeat and connect in any order; only these constraints count.
    """
    constraints = _constraints(start, end, require, before)
    try:
        value, _ = resolve(answer, question)
        steps = read_names(value, "activity")
    except AnswerError as exc:
        return Result(0.0, points, (str(exc),))
    unknown = [text for text, found in steps if found is None]
    if unknown:
        message = f"{unknown[0]!r} is not an activity: the value stream was not scored."
        return Result(0.0, points, (message,))
    if not steps:
        return Result(0.0, points, ("Your value stream has no steps yet.",))
    stream = [found for _, found in steps if found]
    met = [(c.statement(), c.met(stream)) for c in constraints]
    shown = " → ".join(display(a, "activity") for a in stream)
    lines = [f"Your value stream: {shown}.", f"{sum(m for _, m in met)} of {len(met)} checks met."]
    lines.extend(f"{'✓' if ok_ else '✗'} {statement}" for statement, ok_ in met)
    return Result(clamp(sum(m for _, m in met) / len(met), points), points, tuple(lines))
