"""Questions whose options and key are generated from the content model.

A question with ``from: <generator>`` in a quiz file names what it asks about
(an output, a value stream, a practice...), never the answer: the generator
looks the answer up in :func:`course.load_course` and seals it at once. So the
matching keys (activity to purpose, output to activity, practice to activity),
the order of the course's value streams and the like are written only once, in
the content files, and a question can never disagree with them.

=====================  ============================  =========================================
type                   from                          parameters
=====================  ============================  =========================================
matching               activity-purpose              ``activities`` (optional subset)
matching               output-activity               ``items``: outputs
matching               key-activity-activity         ``items``: key activities
matching               practice-activity             ``items``: practice names
matching               characteristic-meaning        --
matching               stream-step-activity          ``stream``
ordering               value-stream                  ``stream``, ``show``: activity | action
ordering               activity-example              ``activity``
ordering               pattern                       ``pattern``
single, short_text     activity-of                   ``field``, ``item``
single                 purpose-of                    ``activity``
single                 stream-step                   ``stream``, ``after`` (optional activity)
single                 stream-action                 ``stream``, ``activity``
multiple               activities                    ``distractors``
multiple               characteristics               ``distractors``
multiple               activities-of-practice        ``practice``
multiple               practices-of                  ``activity``, ``distractors``: practices
multiple               stream-omits                  ``stream``
=====================  ============================  =========================================

``distractors`` of ``activities``/``characteristics`` are ``{text, why}``
options; they are checked not to be right by accident.
"""

from __future__ import annotations

from collections.abc import Callable

from .._yamlread import Node
from ..lookup import normalise
from ..model import Course
from ._derive_choice import CHOICE_GENERATORS
from ._derive_util import (
    FIELDS,
    Made,
    Spec,
    about,
    activity_options,
    check_map_prompt,
    check_one_owner,
    lower_first,
    owners,
    values,
)
from ._spec import COMMON, check_fields, optional_text
from .keys import seal
from .model import Key, Kind, Option, Question

__all__ = ["GENERATORS", "derived_question"]

Generator = Callable[[Spec], Made]


def _activity_purpose(spec: Spec) -> Made:
    chosen = spec.activities("activities")
    return Made(
        options=activity_options(spec.course, "purpose"),
        items=tuple(Option(a.purpose) for a in chosen),
        key=[(a.purpose, {seal(spec.qid, a.purpose, a.name)}) for a in chosen],
        explanation=" ".join(f"{a.name}: {a.purpose}" for a in chosen),
    )


def _by_field(field_name: str) -> Generator:
    """Match items of an activity list (outputs, key activities, practices) to activities."""

    def generate(spec: Spec) -> Made:
        items: list[Option] = []
        key: list[tuple[str, set[str]]] = []
        lines = []
        for node in spec.node.field("items").items():
            text = _canonical(spec, node, field_name)
            found = owners(spec.course, field_name, text)
            if field_name != "practices":
                check_one_owner(spec, node, text, found)
            items.append(Option(text))
            key.append((text, {seal(spec.qid, text, a.name) for a in found}))
            lines.append(f"{text}: {' and '.join(a.name for a in found)}.")
        if len({normalise(i.text) for i in items}) != len(items):
            spec.node.field("items").fail("an item is listed twice")
        return Made(activity_options(spec.course, field_name), key, " ".join(lines), tuple(items))

    return generate


def _canonical(spec: Spec, node: Node, field_name: str) -> str:
    """The model's spelling of ``node``'s text, which must be in some activity's list."""
    if field_name == "practices":
        return spec.practice(node).name
    found = owners(spec.course, field_name, node.text())
    if not found:
        listed = "; ".join(about(a, field_name) for a in spec.course.activities)
        node.fail(
            f"{node.text()!r} is not one of the {FIELDS[field_name]} of any activity. {listed}"
        )
    wanted = normalise(node.text())
    return next(v for v in values(found[0], field_name) if normalise(v) == wanted)


def _characteristic_meaning(spec: Spec) -> Made:
    traits = spec.course.characteristics
    return Made(
        options=tuple(Option(c.name, f"{c.name} means: {lower_first(c.text)}") for c in traits),
        items=tuple(Option(c.text) for c in traits),
        key=[(c.text, {seal(spec.qid, c.text, c.name)}) for c in traits],
        explanation=" ".join(f"{c.name}: {c.text}" for c in traits),
    )


def _stream_step_activity(spec: Spec) -> Made:
    stream = spec.stream()
    steps = stream.steps
    if len({normalise(s.action) for s in steps}) != len(steps):
        spec.node.field("stream").fail("two steps of this stream have the same action")
    by_id = spec.course.activity_by_id
    return Made(
        options=activity_options(spec.course, "purpose"),
        items=tuple(Option(s.action) for s in steps),
        key=[(s.action, {seal(spec.qid, s.action, by_id(s.activity).name)}) for s in steps],
        explanation=f"{stream.name}, step by step: "
        + "; ".join(f"{by_id(s.activity).name}: {s.action}" for s in steps)
        + ".",
    )


def _ordered(spec: Spec, labels: list[str], title: str) -> Made:
    if len({normalise(label) for label in labels}) != len(labels):
        spec.node.fail(f"{title} repeats a step, so its order cannot be asked as a list of items")
    return Made(
        options=tuple(Option(label) for label in labels),
        key=[(f"step {n}", {seal(spec.qid, f"step {n}", t)}) for n, t in enumerate(labels, 1)],
        explanation=f"{title}: " + " → ".join(labels) + ".",
    )


def _value_stream(spec: Spec) -> Made:
    stream = spec.stream()
    show = optional_text(spec.node, "show", "activity")
    if show not in ("activity", "action"):
        spec.node.field("show").fail(f"show is 'activity' or 'action', not {show!r}")
    by_id = spec.course.activity_by_id
    if show == "action":
        labels = [s.action for s in stream.steps]
    else:
        labels = [by_id(s.activity).name for s in stream.steps]
    made = _ordered(spec, labels, f"The {stream.name} value stream of the course")
    made.explanation += " What happens at each step: " + "; ".join(
        f"{by_id(s.activity).name}: {s.action}" for s in stream.steps
    )
    made.explanation += "."
    return made


def _activity_example(spec: Spec) -> Made:
    activity = spec.activity("activity")
    title = f"The course's example for {activity.name} ({activity.example.title})"
    return _ordered(spec, list(activity.example.steps), title)


def _pattern(spec: Spec) -> Made:
    ref = spec.node.field("pattern")
    found = next((p for p in spec.course.patterns if p.id == ref.text()), None)
    if found is None:
        ref.fail(
            f"unknown pattern {ref.text()!r}; the patterns are: "
            + ", ".join(p.id for p in spec.course.patterns)
        )
    names = [spec.course.activity_by_id(a).name for a in found.steps]
    made = _ordered(spec, names, "The common pattern")
    made.explanation += f" {found.meaning}"
    return made


#: Generators whose key is a link of the course's practice map.
_ON_PRACTICE_LINKS = frozenset({"practice-activity", "activities-of-practice", "practices-of"})

#: (type, from) -> (parameters, generator)
GENERATORS: dict[tuple[Kind, str], tuple[tuple[str, ...], Generator]] = {
    ("matching", "activity-purpose"): (("activities",), _activity_purpose),
    ("matching", "output-activity"): (("items",), _by_field("outputs")),
    ("matching", "key-activity-activity"): (("items",), _by_field("key_activities")),
    ("matching", "practice-activity"): (("items",), _by_field("practices")),
    ("matching", "characteristic-meaning"): ((), _characteristic_meaning),
    ("matching", "stream-step-activity"): (("stream",), _stream_step_activity),
    ("ordering", "value-stream"): (("stream", "show"), _value_stream),
    ("ordering", "activity-example"): (("activity",), _activity_example),
    ("ordering", "pattern"): (("pattern",), _pattern),
    **CHOICE_GENERATORS,
}


def derived_question(node: Node, qid: str, objective: str, kind: Kind, course: Course) -> Question:
    """Build the ``from:`` question at ``node`` from the content model."""
    source = node.field("from")
    name = source.text()
    if (kind, name) not in GENERATORS:
        known = sorted(f for k, f in GENERATORS if k == kind)
        source.fail(
            f"no generator {name!r} for {kind} questions; "
            f"the generators for {kind} are: {', '.join(known) or 'none'}"
        )
    params, generate = GENERATORS[(kind, name)]
    check_fields(node, (*COMMON, "from", *params))
    if name in _ON_PRACTICE_LINKS or (
        name == "activity-of" and node.has("field") and node.field("field").text() == "practices"
    ):
        check_map_prompt(node)
    made = generate(Spec(node, qid, course))
    return Question(
        id=qid,
        objective=objective,
        kind=kind,
        prompt=node.str_field("prompt"),
        explanation=optional_text(node, "explanation", made.explanation),
        key=Key.build(qid, made.key),
        options=made.options,
        items=made.items,
        expects=made.expects,
        source=name,
    )
