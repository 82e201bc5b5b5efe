"""Check and score a value stream: typed as a list of names, or built in the builder."""

from __future__ import annotations

from collections.abc import Iterable

from ..loader import load_course
from ..rubric import Before, Constraint, End, Require, Start
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


def _constraints(
    start: Names | None,
    end: Names | None,
    require: Iterable[Names],
    before: Iterable[tuple[Names, Names]],
) -> list[Constraint]:
    """The question's constraints, as the exercises' rubric engine states them."""
    return [
        *([Start(any_of=_group(start))] if start else []),
        *(Require(any_of=_group(item)) for item in require),
        *(Before(first=_group(a), then=_group(b)) for a, b in before),
        *([End(any_of=_group(end))] if end else []),
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
    ids = tuple(stream)
    met = [(r.description, r.met) for r in (c.evaluate(ids) for c in constraints)]
    shown = " → ".join(display(a, "activity") for a in stream)
    lines = [f"Your value stream: {shown}.", f"{sum(m for _, m in met)} of {len(met)} checks met."]
    lines.extend(f"{'✓' if ok_ else '✗'} {statement}" for statement, ok_ in met)
    return Result(clamp(sum(m for _, m in met) / len(met), points), points, tuple(lines))
