"""Check and score a value stream: typed as a list of names, or built in the builder."""

from __future__ import annotations

from ..loader import load_course
from ..rubric import Rubric
from ..scenarios import scenario as find_scenario
from ._common import clamp, ok, resolve
from ._plain import AnswerError
from ._read import display, read_names
from ._result import Problem, Result

__all__ = ["check_stream", "score_on_rubric", "score_stream"]


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


def score_stream(
    answer: object,
    *,
    scenario: str,
    points: float,
    question: str | None = None,
) -> Result:
    """Score a value stream on the rubric of ``scenario`` (in ``scenarios.yaml``).

    The same engine scores the builder's exercises (:meth:`Scenario.grade`), so
    a stream earns ``score x points`` here and ``score`` in the builder: the
    constraints met, less a share for every needless step (see
    :mod:`course.rubric`). An unknown ``scenario`` is an authoring error and
    raises :class:`~course.scenarios.UnknownScenarioError`; a graded scenario
    whose key is not in this copy of the course (a student's) raises
    :class:`~course.scenarios.KeyNotInCopyError`.
    """
    return score_on_rubric(answer, find_scenario(scenario).rubric, points, question)


def score_on_rubric(
    answer: object, rubric: Rubric, points: float, question: str | None = None
) -> Result:
    """``answer``'s points on ``rubric``: :func:`score_stream`'s rule, shared with the
    self-paced edition's verdicts (:mod:`course.graded._verdict`)."""
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
    result = rubric.grade(stream)
    shown = " → ".join(display(a, "activity") for a in stream)
    lines = [f"Your value stream: {shown}.", result.summary]
    lines.extend(f"{'✓' if c.met else '✗'} {c.description}" for c in result.constraints)
    lines.extend(n.line for n in result.needless)
    return Result(clamp(result.score, points), points, tuple(lines))
