"""Reading ``scenarios.yaml`` (and ``graded_keys.yaml``) into scenarios, and every rule
an author must follow there.

:func:`read_scenarios` fails with a :class:`~course.errors.ContentError`
naming file, line and reason; the rules are listed in :mod:`course.scenarios`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ._scenario import (
    KEYS_FILE,
    SEALED_MAX_BUDGET,
    SEALED_WEIGHTS,
    VALID_FLOOR,
    VERDICTS,
    WRONG_CEILING,
    Scenario,
    ScenarioKey,
)
from ._yamlread import Node
from .errors import Problems
from .lookup import find_activity
from .model import Course, Pattern, Step, ValueStream
from .rubric import Before, Budget, Constraint, End, Require, Rubric, Start, Then
from .valuestream import Stream

__all__ = ["read_scenarios"]

_INT = "tag:yaml.org,2002:int"
_NUMBER = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_BOOL = "tag:yaml.org,2002:bool"
_KINDS = ("require", "before", "then", "start", "end")
_AT_LEAST = {"valid": 3, "weak": 1, "wrong": 3}


def read_scenarios(doc: Node, course: Course, keys: Node | None = None) -> tuple[Scenario, ...]:
    """The scenarios of ``doc`` (``scenarios.yaml``), each graded one with its key from
    ``keys`` (``graded_keys.yaml``); without ``keys`` (a student's copy) graded
    scenarios have no key."""
    problems = Problems()
    by_id = _key_entries(keys) if keys is not None else None
    seen: set[str] = set()
    result = []
    for item in doc.field("scenarios").items():
        id_node = item.field("id")
        if id_node.text() in seen:
            id_node.fail(f"duplicate id {id_node.text()!r}")
        seen.add(id_node.text())
        with problems.guard():
            result.append(_scenario(item, course, by_id))
    problems.raise_any()  # a broken scenario would make the checks below misleading
    if by_id is not None:
        graded = {s.id for s in result if s.graded}
        for key_id, entry in by_id.items():
            if key_id not in graded:
                what = "a scenario that is not graded" if key_id in seen else "no scenario"
                entry.field("id").fail(
                    f"{key_id!r} names {what} of scenarios.yaml: a key here belongs to a "
                    f"scenario with 'graded: true' and the same id; mark that scenario "
                    "graded, or remove this key"
                )
    covered = {s.based_on for s in result if s.key is not None and s.source == "example"}
    for stream in course.value_streams:
        if stream.id not in covered:
            doc.field("scenarios").fail(
                f"the worked example {stream.id!r} has no scenario; add one with "
                f"'value_stream: {stream.id}'"
            )
    return tuple(result)


def _key_entries(keys: Node) -> dict[str, Node]:
    """``graded_keys.yaml``: scenario id -> its key's node."""
    keys.only("keys")
    found: dict[str, Node] = {}
    for entry in keys.field("keys").items():
        entry.only("id", *_KEY_FIELDS)
        key_id = entry.str_field("id")
        if key_id in found:
            entry.field("id").fail(f"duplicate key for the scenario {key_id!r}")
        found[key_id] = entry
    return found


_Ided = TypeVar("_Ided", ValueStream, Pattern)


def _by_id(ref: Node, items: Sequence[_Ided], what: str) -> _Ided:
    """The item whose id ``ref`` names, or a ContentError listing the valid ids."""
    for candidate in items:
        if candidate.id == ref.text():
            return candidate
    valid = ", ".join(candidate.id for candidate in items)
    ref.fail(f"unknown {what} {ref.text()!r}; the {what}s are: {valid}")


_PUBLIC_FIELDS = ("id", "title", "objective", "brief", "graded")
_KEY_FIELDS = (
    "value_stream", "pattern", "model_answer", "rubric", "steps", "also_accepted", "judged",
)  # fmt: skip


def _scenario(item: Node, course: Course, keys: dict[str, Node] | None) -> Scenario:
    scenario_id = item.str_field("id")
    graded = False
    if item.has("graded"):
        flag = item.field("graded")
        if flag.node.tag != _BOOL:
            flag.fail(f"expected true or false, found {flag.node.value!r}")
        graded = flag.node.value.lower() in ("true", "yes", "on")
    key: ScenarioKey | None = None
    if graded:
        moved = f"a graded scenario's key lives in {KEYS_FILE}, under '- id: {scenario_id}'"
        item.only(*_PUBLIC_FIELDS, hints={field: moved for field in _KEY_FIELDS})
        title = item.str_field("title")
        if keys is not None:
            if scenario_id not in keys:
                item.field("graded").fail(
                    f"the graded scenario {scenario_id!r} has no key in {KEYS_FILE}: add "
                    f"'- id: {scenario_id}' under 'keys:' there, with its model answer, "
                    "rubric, also_accepted and judged streams"
                )
            key, _ = _key(keys[scenario_id], scenario_id, course, graded=True)
    else:
        item.only(*_PUBLIC_FIELDS, *_KEY_FIELDS)
        key, title = _key(item, scenario_id, course)
        title = item.str_field("title") if item.has("title") else title
        if not title:
            item.fail("missing required field 'title'")
    objective = item.field("objective")
    if objective.text() not in {o.id for o in course.objectives}:
        valid = ", ".join(o.id for o in course.objectives)
        objective.fail(
            f"unknown learning objective {objective.text()!r}; the objectives are: {valid}"
        )
    return Scenario(
        id=scenario_id,
        title=title,
        objective=objective.text(),
        brief=item.str_field("brief"),
        key=key,
        graded=graded,
    )


def _key(
    item: Node, scenario_id: str, course: Course, *, graded: bool = False
) -> tuple[ScenarioKey, str]:
    """The key of a scenario (held in ``scenarios.yaml``, or in :data:`KEYS_FILE` for a
    graded one, whose weights and step budget must also be sealable), and the title its
    worked example gives it ("" if none)."""
    sources = [key for key in ("value_stream", "pattern", "model_answer") if item.has(key)]
    if len(sources) != 1:
        item.fail(
            "a scenario needs exactly one of 'value_stream', 'pattern' or 'model_answer'"
            + (f"; found {', '.join(sources)}" if sources else "")
        )
    title = based_on = ""
    if sources[0] == "value_stream":
        found = _by_id(item.field("value_stream"), course.value_streams, "worked example")
        answer, source, based_on = Stream.from_value_stream(found), "example", found.id
        title = found.name
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
    constraints = tuple(_constraint(c, course) for c in item.field("rubric").items())
    rubric = Rubric(constraints, _budget(item, answer, course))
    if graded:
        _sealable(item, rubric)
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
    key = ScenarioKey(answer, rubric, tuple(accepted), source, based_on, judged)
    return key, title


def _sealable(item: Node, rubric: Rubric) -> None:
    """A graded key's weights and step budget are among what the self-paced edition's
    checker tries when it unseals the rubric (:mod:`course.graded._sealed`)."""
    shown = ", ".join(f"{w:g}" for w in SEALED_WEIGHTS)
    for node in item.field("rubric").items():
        fields = node.mapping()
        if "weight" in fields and float(fields["weight"].node.value) not in SEALED_WEIGHTS:
            fields["weight"].fail(
                f"a graded question's weight is one of {shown} (the self-paced edition "
                "seals its rubric with these); use the nearest of them"
            )
    budget = rubric.budget.at_most if rubric.budget is not None else {}
    over = [a for a, n in budget.items() if n > SEALED_MAX_BUDGET]
    if over:
        where = item.field("steps") if item.has("steps") else item.field("model_answer")
        where.fail(
            f"a graded question allows an activity at most {SEALED_MAX_BUDGET} times "
            f"(the self-paced edition seals its step budget up to that); {over[0]!r} "
            f"is allowed {budget[over[0]]}"
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
    problems = Problems()
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
            with problems.guard():
                stream = _stream(node, course)
                _hold(node, scenario_id, verdict, rubric.grade(stream).score, stream)
                found.append((verdict, stream))
    problems.raise_any()
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
