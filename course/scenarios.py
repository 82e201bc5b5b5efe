"""Value-stream exercises: ``course/content/scenarios.yaml`` as typed scenarios.

A :class:`Scenario` has a brief, a model answer and a :class:`~course.rubric.Rubric`.
The model answers of the course's worked examples and common patterns are
taken from ``value_streams.yaml`` (never retyped). Loading checks, and fails
with a :class:`~course.errors.ContentError` naming file, line and reason when
it does not hold, that:

- every activity named is one of the six, every objective exists;
- every model answer and every ``also_accepted`` answer (at least one is
  required) scores full marks on its own rubric;
- the rubric agrees with the scenario's ``judged`` table: each ``valid``
  stream earns at least :data:`VALID_FLOOR` of the marks, each ``weak`` one
  less than full marks, each ``wrong`` one at most :data:`WRONG_CEILING`; a
  scenario judges at least three valid streams (the model answer and the
  accepted ones count), three wrong ones and one weak one;
- every worked example of the course has its scenario;
- a graded scenario (``graded: true``) holds only its public part in
  ``scenarios.yaml`` (id, title, objective, brief); its key (model answer,
  rubric, ``steps``, ``also_accepted``, ``judged``, under the same rules) is in
  the instructor-only :data:`KEYS_FILE` beside it, ``keys:`` entries named by
  the scenario's ``id``. When that file is present, every graded scenario has a
  key there and every key a graded scenario; a graded key's weights are among
  :data:`SEALED_WEIGHTS` and its step budget at most :data:`SEALED_MAX_BUDGET`
  (what the self-paced edition can seal). A student's copy has no such file:
  its graded scenarios have no key, and whatever needs one raises
  :class:`KeyNotInCopyError`.

Look a scenario up with :func:`scenario` by its id, or by the id of the worked
example it is built on::

    from course.scenarios import scenario
    scenario("incident-resolution").grade(["Engage", "Deliver & Support"]).score
"""

from __future__ import annotations

import functools
from pathlib import Path

from ._scenario import (
    KEYS_FILE,
    SEALED_MAX_BUDGET,
    SEALED_WEIGHTS,
    VALID_FLOOR,
    VERDICTS,
    WRONG_CEILING,
    KeyNotInCopyError,
    ModelStep,
    Scenario,
    ScenarioKey,
)
from ._scenario_reader import read_scenarios
from ._yamlread import read_document
from .loader import CONTENT_DIR, load_content, load_course
from .model import Course
from .rubric import MinSteps, Rubric

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
    "UnknownScenarioError",
    "free_rubric",
    "load_scenarios",
    "scenario",
]


class UnknownScenarioError(LookupError):
    """An id that names no scenario; the message lists the valid ids."""

    def __init__(self, given: object, valid: list[str]) -> None:
        self.given = given
        self.valid = valid
        super().__init__(
            f"{given!r} is not a value-stream exercise. The exercises are: {', '.join(valid)}."
        )


def free_rubric() -> Rubric:
    """The only rule of free mode: a value stream hands over from step to step."""
    why = "A value stream is a series of steps, each handing over to the next."
    return Rubric((MinSteps(limit=2, why=why),))


def _read(folder: Path, course: Course) -> tuple[Scenario, ...]:
    keys_path = folder / KEYS_FILE
    keys = read_document(keys_path) if keys_path.is_file() else None
    return read_scenarios(read_document(folder / "scenarios.yaml"), course, keys)


@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[Scenario, ...]:
    return _read(CONTENT_DIR, load_course())


def load_scenarios(directory: str | Path | None = None) -> tuple[Scenario, ...]:
    """The scenarios shipped with the course (cached), or those in ``directory``.

    A ``directory`` must hold a whole content set (its ``scenarios.yaml`` is
    read against the other files beside it, with its :data:`KEYS_FILE` if it has
    one); it is read afresh every time.
    """
    if directory is None:
        return _shipped()
    folder = Path(directory)
    return _read(folder, load_content(folder))


def scenario(scenario_id: str) -> Scenario:
    """The scenario ``scenario_id``: a scenario id, or the id of the worked example it uses."""
    items = load_scenarios()
    for item in items:
        if item.id == scenario_id:
            return item
    for item in items:
        if item.key is not None and item.source == "example" and item.based_on == scenario_id:
            return item
    raise UnknownScenarioError(scenario_id, [s.id for s in items])
