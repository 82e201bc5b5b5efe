"""A value-stream scenario as the course holds it (see :mod:`course.scenarios`)."""

from __future__ import annotations

from dataclasses import dataclass

from .rubric import Rubric, RubricResult
from .valuestream import Stream

__all__ = ["VALID_FLOOR", "VERDICTS", "WRONG_CEILING", "ModelStep", "Scenario"]

#: A stream judged valid earns at least this share of the marks.
VALID_FLOOR = 0.85
#: A stream judged wrong (reversed, padded, unrelated, a fragment) earns at most this share.
WRONG_CEILING = 0.5
#: The verdicts of a scenario's ``judged`` table.
VERDICTS = ("valid", "weak", "wrong")


@dataclass(frozen=True)
class ModelStep:
    """One step of a model answer as a learner reads it: number, activity id, note, whys."""

    number: int
    activity: str
    note: str
    whys: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    """One value-stream exercise.

    ``source`` says where the model answer comes from: ``"example"`` (a worked
    example of the course, ``based_on`` is its id), ``"pattern"`` (a common
    pattern, ``based_on`` is its id) or ``"scenario"`` (written with it).
    """

    id: str
    title: str
    objective: str
    brief: str
    model_answer: Stream
    rubric: Rubric
    also_accepted: tuple[Stream, ...]
    source: str
    based_on: str = ""
    graded: bool = False
    judged: tuple[tuple[str, Stream], ...] = ()

    def grade(self, answer: object) -> RubricResult:
        """Score ``answer`` on this scenario's rubric (never raises on bad answers)."""
        return self.rubric.grade(answer)

    def walkthrough(self) -> tuple[ModelStep, ...]:
        """The model answer step by step, each with its note and the reasons it is there:
        the ``why`` of every constraint that the step is the one to meet."""
        ids = self.model_answer.activities
        whys: dict[int, list[str]] = {}
        for constraint in self.rubric.constraints:
            at = constraint.anchor(ids)
            if at is not None and constraint.why and constraint.why not in whys.get(at, []):
                whys.setdefault(at, []).append(constraint.why)
        return tuple(
            ModelStep(n + 1, step.activity, step.action, tuple(whys.get(n, ())))
            for n, step in enumerate(self.model_answer.steps)
        )

    @property
    def judgements(self) -> tuple[tuple[str, Stream], ...]:
        """Every judged stream as ``(verdict, stream)``: the model answer and the
        accepted answers first (valid), then the ``judged`` table."""
        answers = (self.model_answer, *self.also_accepted)
        return tuple(("valid", stream) for stream in answers) + self.judged
