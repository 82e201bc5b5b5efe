"""A value-stream scenario as the course holds it (see :mod:`course.scenarios`)."""

from __future__ import annotations

from dataclasses import dataclass

from .rubric import Rubric, RubricResult
from .valuestream import Stream

__all__ = [
    "KEYS_FILE",
    "SEALED_MAX_BUDGET",
    "SEALED_WEIGHTS",
    "VALID_FLOOR",
    "VERDICTS",
    "WRONG_CEILING",
    "KeyNotInCopyError",
    "ModelStep",
    "Scenario",
    "ScenarioKey",
]

#: The graded scenarios' keys, beside ``scenarios.yaml``: instructor-only, never in a
#: student's copy of the course.
KEYS_FILE = "graded_keys.yaml"

#: A stream judged valid earns at least this share of the marks.
VALID_FLOOR = 0.85
#: A stream judged wrong (reversed, padded, unrelated, a fragment) earns at most this share.
WRONG_CEILING = 0.5
#: The weights a graded scenario's constraints may carry, and the most times its step
#: budget may allow an activity: what the self-paced edition's checker tries when it
#: unseals a graded rubric (:mod:`course.graded._sealed`); the loader holds keys to them.
SEALED_WEIGHTS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0)
SEALED_MAX_BUDGET = 9
#: The verdicts of a scenario's ``judged`` table.
VERDICTS = ("valid", "weak", "wrong")


class KeyNotInCopyError(LookupError):
    """A graded scenario whose key (rubric, model answer) is not in this copy of the course."""

    def __init__(self, scenario_id: str) -> None:
        self.scenario_id = scenario_id
        super().__init__(
            f"the key of the graded question {scenario_id!r} (its rubric and model answer) is "
            f"not in this copy of the course: it lives in course/content/{KEYS_FILE}, which "
            "only the instructor's kit holds. Your answer is marked after you hand it in."
        )


@dataclass(frozen=True)
class ModelStep:
    """One step of a model answer as a learner reads it: number, activity id, note, whys."""

    number: int
    activity: str
    note: str
    whys: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioKey:
    """What it takes to mark a scenario: model answer, rubric, accepted and judged streams.

    ``source`` says where the model answer comes from: ``"example"`` (a worked
    example of the course, ``based_on`` is its id), ``"pattern"`` (a common
    pattern, ``based_on`` is its id) or ``"scenario"`` (written with it).
    """

    model_answer: Stream
    rubric: Rubric
    also_accepted: tuple[Stream, ...]
    source: str
    based_on: str = ""
    judged: tuple[tuple[str, Stream], ...] = ()


@dataclass(frozen=True)
class Scenario:
    """One value-stream exercise: its public part (id, title, objective, brief) and its key.

    A graded scenario's key comes from the instructor-only :data:`KEYS_FILE`; in a
    student's copy it is absent (``key is None``), and everything that needs it
    (:meth:`grade`, :attr:`rubric`, :attr:`model_answer`...) raises
    :class:`KeyNotInCopyError`.
    """

    id: str
    title: str
    objective: str
    brief: str
    key: ScenarioKey | None
    graded: bool = False

    @property
    def has_key(self) -> bool:
        return self.key is not None

    def _key(self) -> ScenarioKey:
        if self.key is None:
            raise KeyNotInCopyError(self.id)
        return self.key

    @property
    def model_answer(self) -> Stream:
        return self._key().model_answer

    @property
    def rubric(self) -> Rubric:
        return self._key().rubric

    @property
    def also_accepted(self) -> tuple[Stream, ...]:
        return self._key().also_accepted

    @property
    def source(self) -> str:
        return self._key().source

    @property
    def based_on(self) -> str:
        return self._key().based_on

    @property
    def judged(self) -> tuple[tuple[str, Stream], ...]:
        return self._key().judged

    def grade(self, answer: object) -> RubricResult:
        """Score ``answer`` on this scenario's rubric (never raises on bad answers;
        :class:`KeyNotInCopyError` when this copy has no key for it)."""
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
