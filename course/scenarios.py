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
- every worked example of the course has its scenario.

Look a scenario up with :func:`scenario` by its id, or by the id of the worked
example it is built on::

    from course.scenarios import scenario
    scenario("incident-resolution").grade(["Engage", "Deliver & Support"]).score
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ._yamlread import Node, read_document
from .loader import CONTENT_DIR, load_content, load_course
from .lookup import find_activity
from .model import Course, Pattern, Step, ValueStream
from .rubric import (
    Before,
    Budget,
    Constraint,
    End,
    MinSteps,
    Require,
    Rubric,
    RubricResult,
    Start,
    Then,
)
from .valuestream import Stream

__all__ = [
    "VALID_FLOOR",
    "VERDICTS",
    "WRONG_CEILING",
    "ModelStep",
    "Scenario",
    "UnknownScenarioError",
    "free_rubric",
    "load_scenarios",
    "scenario",
]

_INT = "tag:yaml.org,2002:int"
_NUMBER = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_BOOL = "tag:yaml.org,2002:bool"
_KINDS = ("require", "before", "then", "start", "end")

#: A stream judged valid earns at least this share of the marks.
VALID_FLOOR = 0.85
#: A stream judged wrong (reversed, padded, unrelated, a fragment) earns at most this share.
WRONG_CEILING = 0.5
#: The verdicts of a scenario's ``judged`` table.
VERDICTS = ("valid", "weak", "wrong")
_AT_LEAST = {"valid": 3, "weak": 1, "wrong": 3}


class UnknownScenarioError(LookupError):
    """An id that names no scenario; the message lists the valid ids."""

    def __init__(self, given: object, valid: list[str]) -> None:
        self.given = given
        self.valid = valid
        super().__init__(
            f"{given!r} is not a value-stream exercise. The exercises are: {', '.join(valid)}."
        )


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


def free_rubric() -> Rubric:
    """The only rule of free mode: a value stream hands over from step to step."""
    why = "A value stream is a series of steps, each handing over to the next."
    return Rubric((MinSteps(limit=2, why=why),))


@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[Scenario, ...]:
    return _load(read_document(CONTENT_DIR / "scenarios.yaml"), load_course())


def load_scenarios(directory: str | Path | None = None) -> tuple[Scenario, ...]:
    """The scenarios shipped with the course (cached), or those in ``directory``.

    A ``directory`` must hold a whole content set (its ``scenarios.yaml`` is
    read against the other files beside it); it is read afresh every time.
    """
    if directory is None:
        return _shipped()
    folder = Path(directory)
    return _load(read_document(folder / "scenarios.yaml"), load_content(folder))


def scenario(scenario_id: str) -> Scenario:
    """The scenario ``scenario_id``: a scenario id, or the id of the worked example it uses."""
    items = load_scenarios()
    for item in items:
        if item.id == scenario_id:
            return item
    for item in items:
        if item.source == "example" and item.based_on == scenario_id:
            return item
    raise UnknownScenarioError(scenario_id, [s.id for s in items])


# -- reading -------------------------------------------------------------


def _load(doc: Node, course: Course) -> tuple[Scenario, ...]:
    seen: set[str] = set()
    result = []
    for item in doc.field("scenarios").items():
        id_node = item.field("id")
        if id_node.text() in seen:
            id_node.fail(f"duplicate id {id_node.text()!r}")
        seen.add(id_node.text())
        result.append(_scenario(item, course))
    covered = {s.based_on for s in result if s.source == "example"}
    for stream in course.value_streams:
        if stream.id not in covered:
            doc.field("scenarios").fail(
                f"the worked example {stream.id!r} has no scenario; add one with "
                f"'value_stream: {stream.id}'"
            )
    return tuple(result)


_Ided = TypeVar("_Ided", ValueStream, Pattern)


def _by_id(ref: Node, items: Sequence[_Ided], what: str) -> _Ided:
    """The item whose id ``ref`` names, or a ContentError listing the valid ids."""
    for candidate in items:
        if candidate.id == ref.text():
            return candidate
    valid = ", ".join(candidate.id for candidate in items)
    ref.fail(f"unknown {what} {ref.text()!r}; the {what}s are: {valid}")


_SCENARIO_FIELDS = (
    "id", "title", "objective", "brief", "graded", "value_stream", "pattern", "model_answer",
    "rubric", "steps", "also_accepted", "judged",
)  # fmt: skip


def _scenario(item: Node, course: Course) -> Scenario:
    item.only(*_SCENARIO_FIELDS)
    sources = [key for key in ("value_stream", "pattern", "model_answer") if item.has(key)]
    if len(sources) != 1:
        item.fail(
            "a scenario needs exactly one of 'value_stream', 'pattern' or 'model_answer'"
            + (f"; found {', '.join(sources)}" if sources else "")
        )
    title = item.str_field("title") if item.has("title") else ""
    based_on = ""
    if sources[0] == "value_stream":
        found = _by_id(item.field("value_stream"), course.value_streams, "worked example")
        answer, source, based_on = Stream.from_value_stream(found), "example", found.id
        title = title or found.name
    elif sources[0] == "pattern":
        pattern = _by_id(item.field("pattern"), course.patterns, "pattern")
        answer, source, based_on = Stream.from_pattern(pattern), "pattern", pattern.id
    else:
        answer = Stream(
            tuple(
                Step(_activity(step.field("activity"), course), step.str_field("note"))
                for step in item.field("model_answer").items()
                if step.only("activity", "note")
            )
        )
        source = "scenario"
    if not title:
        item.fail("missing required field 'title'")
    objective = item.field("objective")
    if objective.text() not in {o.id for o in course.objectives}:
        valid = ", ".join(o.id for o in course.objectives)
        objective.fail(
            f"unknown learning objective {objective.text()!r}; the objectives are: {valid}"
        )
    scenario_id = item.str_field("id")
    constraints = tuple(_constraint(c, course) for c in item.field("rubric").items())
    rubric = Rubric(constraints, _budget(item, answer, course))
    _full_marks(item.field("rubric"), rubric, answer, "the model answer")
    if not item.has("also_accepted"):
        item.fail(
            f"scenario {scenario_id!r} has no 'also_accepted' answers: list at least one "
            "other answer that earns full marks, so the rubric is seen to accept more than one"
        )
    accepted = []
    for alt in item.field("also_accepted").items():
        stream = _stream(alt, course)
        _full_marks(alt, rubric, stream, "this answer, listed as accepted,")
        accepted.append(stream)
    judged = _judged(item, scenario_id, rubric, 1 + len(accepted), course)
    graded = False
    if item.has("graded"):
        flag = item.field("graded")
        if flag.node.tag != _BOOL:
            flag.fail(f"expected true or false, found {flag.node.value!r}")
        graded = flag.node.value.lower() in ("true", "yes", "on")
    return Scenario(
        id=scenario_id,
        title=title,
        objective=objective.text(),
        brief=item.str_field("brief"),
        model_answer=answer,
        rubric=rubric,
        also_accepted=tuple(accepted),
        source=source,
        based_on=based_on,
        graded=graded,
        judged=judged,
    )


def _stream(node: Node, course: Course) -> Stream:
    return Stream(tuple(Step(_activity(a, course), "") for a in node.items()))


def _budget(item: Node, answer: Stream, course: Course) -> Budget:
    """As often as the model answer uses each activity, unless ``steps.at_most`` says otherwise."""
    counts = {a.id: answer.activities.count(a.id) for a in course.activities}
    if not item.has("steps"):
        return Budget(counts)
    steps = item.field("steps")
    steps.only("at_most", "why")
    limits = steps.field("at_most")
    for key, value in limits.mapping().items():
        activity = _activity_named(key, limits, course)
        if value.node.tag != _INT or int(value.node.value) < 0:
            value.fail(f"expected a whole number of times (0 or more), found {value.node.value!r}")
        counts[activity] = int(value.node.value)
    return Budget(counts, steps.str_field("why"))


def _judged(
    item: Node, scenario_id: str, rubric: Rubric, answers: int, course: Course
) -> tuple[tuple[str, Stream], ...]:
    """The ``judged`` table, each stream held to its verdict."""
    if not item.has("judged"):
        item.fail(
            f"scenario {scenario_id!r} has no 'judged' table: judge at least 3 valid "
            "(the model answer and the accepted answers count), 1 weak and 3 wrong streams"
        )
    table = item.field("judged")
    table.only(*VERDICTS)
    found: list[tuple[str, Stream]] = []
    for verdict in VERDICTS:
        nodes = list(table.field(verdict).items()) if table.has(verdict) else []
        have = len(nodes) + (answers if verdict == "valid" else 0)
        if have < _AT_LEAST[verdict]:
            table.fail(
                f"scenario {scenario_id!r} judges {have} {verdict} stream(s); at least "
                f"{_AT_LEAST[verdict]} are needed" + (
                    " (the model answer and the accepted answers count)"
                    if verdict == "valid" else ""
                )
            )  # fmt: skip
        for node in nodes:
            stream = _stream(node, course)
            _hold(node, scenario_id, verdict, rubric.grade(stream).score, stream)
            found.append((verdict, stream))
    return tuple(found)


def _hold(node: Node, scenario_id: str, verdict: str, score: float, stream: Stream) -> None:
    """Fail unless ``score`` fits ``verdict``, naming scenario, stream and score."""
    if verdict == "valid" and score < VALID_FLOOR:
        rule = f"at least {VALID_FLOOR:.2f}"
    elif verdict == "weak" and score >= 1:
        rule = "less than full marks (1.00)"
    elif verdict == "wrong" and score > WRONG_CEILING:
        rule = f"at most {WRONG_CEILING:.2f}"
    else:
        return
    shown = " → ".join(stream.names)
    node.fail(
        f"scenario {scenario_id!r}: the stream {shown}, judged {verdict}, scores {score:.2f} "
        f"on the rubric; a {verdict} stream must score {rule}. Change the rubric (or the "
        "judgement) until they agree"
    )


def _full_marks(where: Node, rubric: Rubric, answer: Stream, what: str) -> None:
    result = rubric.grade(answer)
    if not result.correct:
        missed = [c.description for c in result.missed]
        missed += [f"step {n.number} ({n.activity}) is needless" for n in result.needless]
        where.fail(
            f"{what} scores {result.score:.2f} on the rubric, not full marks: {'; '.join(missed)}"
        )


def _activity(node: Node, course: Course) -> str:
    found = find_activity(node.text(), course.activities)
    if found is None:
        valid = ", ".join(a.id for a in course.activities)
        node.fail(f"unknown activity {node.text()!r}; the activities are: {valid}")
    return found.id


def _activity_named(name: str, where: Node, course: Course) -> str:
    found = find_activity(name, course.activities)
    if found is None:
        valid = ", ".join(a.id for a in course.activities)
        where.fail(f"unknown activity {name!r}; the activities are: {valid}")
    return found.id


def _activities(node: Node, course: Course) -> tuple[str, ...]:
    """One activity or a list of them (any of which is accepted)."""
    if isinstance(node.node.value, list):
        return tuple(_activity(child, course) for child in node.items())
    return (_activity(node, course),)


def _number(node: Node, *, whole: bool) -> float:
    tags = (_INT,) if whole else _NUMBER
    if node.node.tag not in tags or float(node.node.value) <= 0:
        kind = "a whole number" if whole else "a number"
        node.fail(f"expected {kind} above 0, found {node.node.value!r}")
    return float(node.node.value)


def _constraint(node: Node, course: Course) -> Constraint:
    fields = node.mapping()
    kinds = [k for k in _KINDS if k in fields]
    if len(kinds) != 1:
        node.fail(f"a rubric constraint needs exactly one of: {', '.join(_KINDS)}")
    kind = kinds[0]
    for key, value in fields.items():
        if key not in {kind, "why", "weight"}:
            value.fail(f"unknown field {key!r} for a {kind!r} constraint")
    why = node.str_field("why")
    weight = _number(fields["weight"], whole=False) if "weight" in fields else 1.0
    value = fields[kind]
    if kind in ("before", "then"):
        pair = list(value.items())
        if len(pair) != 2:
            value.fail(f"a {kind!r} constraint names two things: [first, then]")
        first, then = (_activities(side, course) for side in pair)
        cls = Before if kind == "before" else Then
        return cls(first=first, then=then, why=why, weight=weight)
    ids = _activities(value, course)
    if kind == "require":
        return Require(any_of=ids, why=why, weight=weight)
    if kind == "start":
        return Start(any_of=ids, why=why, weight=weight)
    return End(any_of=ids, why=why, weight=weight)
