"""Generators for single choice, multiple choice and short text questions.

Registered in :data:`course.quizbank.derive.GENERATORS`; see that module for the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .._yamlread import Node
from ..lookup import find_activity, normalise
from ..model import Activity
from ._derive_util import (
    FIELDS,
    Made,
    Spec,
    about,
    activity_options,
    check_one_owner,
    in_stream,
    owners,
    values,
)
from ._spec import check_fields, distinct, optional_text
from .keys import seal
from .model import Kind, Option

__all__ = ["CHOICE_GENERATORS"]


def _owner(spec: Spec) -> tuple[str, str, Activity]:
    """(field, canonical item, the one activity that lists it)."""
    field_name = spec.field_name()
    ref = spec.node.field("item")
    if field_name == "practices":
        practice = spec.practice(ref)
        found = [spec.course.activity_by_id(a) for a in practice.supports]
        text = practice.name
    else:
        found = owners(spec.course, field_name, ref.text())
        text = ref.text()
        check_one_owner(spec, ref, text, found)
    if len(found) != 1:
        listed = " and ".join(a.name for a in found) or "no activity"
        ref.fail(f"{ref.text()!r} belongs to {listed}; a question on it needs exactly one")
    wanted = normalise(text)
    text = next((v for v in values(found[0], field_name) if normalise(v) == wanted), text)
    return field_name, text, found[0]


def _explain_owner(field_name: str, text: str, owner: Activity) -> str:
    listed = ", ".join(values(owner, field_name))
    return f"{text} is one of the {FIELDS[field_name]} of {owner.name}: {listed}."


def _activity_of(spec: Spec) -> Made:
    field_name, text, owner = _owner(spec)
    options = activity_options(spec.course, field_name)
    explanation = _explain_owner(field_name, text, owner)
    return Made(options, spec.verdicts(options, [owner.name]), explanation)


def _activity_of_typed(spec: Spec) -> Made:
    field_name, text, owner = _owner(spec)
    return Made(
        options=activity_options(spec.course, field_name),
        key=[("answer", {seal(spec.qid, "answer", owner.name)})],
        explanation=_explain_owner(field_name, text, owner),
        expects="activity",
    )


def _purpose_of(spec: Spec) -> Made:
    wanted = spec.activity("activity")
    # In the order of their text, not of the activities: Engage, third activity, would
    # otherwise always be option C (graded questions count the options by letter).
    options = tuple(
        sorted(
            (
                Option(a.purpose, f"This is the purpose of {a.name}.")
                for a in spec.course.activities
            ),
            key=lambda o: o.text.casefold(),
        )
    )
    return Made(options, spec.verdicts(options, [wanted.purpose]), about(wanted, "purpose"))


def _stream_step(spec: Spec) -> Made:
    stream = spec.stream()
    order = list(stream.activities)
    if spec.node.has("after"):
        after = spec.activity("after")
        if after.id not in order or order.index(after.id) == len(order) - 1:
            spec.node.field("after").fail(f"{after.name} has no next step in {stream.name}")
        answer = order[order.index(after.id) + 1]
    else:
        answer = order[0]
    options = tuple(Option(a.name, in_stream(stream, a)) for a in spec.course.activities)
    name = spec.course.activity_by_id(answer).name
    steps = " → ".join(spec.course.activity_by_id(a).name for a in order)
    return Made(options, spec.verdicts(options, [name]), f"{stream.name}: {steps}.")


def _stream_action(spec: Spec) -> Made:
    stream = spec.stream()
    wanted = spec.activity("activity")
    steps = [s for s in stream.steps if s.activity == wanted.id]
    if len(steps) != 1:
        spec.node.field("activity").fail(f"{wanted.name} is not exactly one step of {stream.name}")
    by_id = spec.course.activity_by_id
    options = tuple(
        Option(s.action, f"{by_id(s.activity).name}: {s.action}.") for s in stream.steps
    )
    explanation = f"In {stream.name}, {wanted.name} does this: {steps[0].action}."
    return Made(options, spec.verdicts(options, [steps[0].action]), explanation)


def _distractors(spec: Spec, is_right: Callable[[str], bool]) -> list[tuple[Node, Option]]:
    out = []
    for node in spec.node.field("distractors").items():
        check_fields(node, ("text", "why"))
        option = Option(node.str_field("text"), optional_text(node, "why"))
        if is_right(option.text):
            node.field("text").fail(
                f"{option.text!r} is a right answer, so it cannot be a distractor"
            )
        out.append((node, option))
    return out


def _mixed(options: Iterable[tuple[Node, Option]]) -> tuple[Option, ...]:
    """Right options and distractors in one neutral order (alphabetical)."""
    return tuple(sorted(distinct(list(options)), key=lambda o: normalise(o.text)))


def _activities(spec: Spec) -> Made:
    course = spec.course
    right = [(spec.node, Option(a.name, a.purpose)) for a in course.activities]
    wrong = _distractors(spec, lambda t: find_activity(t, course.activities) is not None)
    options = _mixed(right + wrong)
    names = [a.name for a in course.activities]
    return Made(
        options, spec.verdicts(options, names), "The six activities: " + ", ".join(names) + "."
    )


def _characteristics(spec: Spec) -> Made:
    traits = spec.course.characteristics
    names = {normalise(c.name) for c in traits}
    right = [(spec.node, Option(c.name, c.text)) for c in traits]
    wrong = _distractors(spec, lambda t: normalise(t) in names)
    options = _mixed(right + wrong)
    explanation = " ".join(f"{c.name}: {c.text}" for c in traits)
    return Made(options, spec.verdicts(options, [c.name for c in traits]), explanation)


def _activities_of_practice(spec: Spec) -> Made:
    practice = spec.practice(spec.node.field("practice"))
    options = activity_options(spec.course, "practices")
    names = [spec.course.activity_by_id(a).name for a in practice.supports]
    explanation = f"In this course's map, {practice.name} supports {' and '.join(names)}."
    return Made(options, spec.verdicts(options, names), explanation)


def _practices_of(spec: Spec) -> Made:
    wanted = spec.activity("activity")
    by_id = spec.course.activity_by_id
    opts = []
    for node in spec.node.field("distractors").items():
        practice = spec.practice(node)
        if wanted.id in practice.supports:
            node.fail(f"{practice.name} supports {wanted.name}, so it cannot be a distractor")
        opts.append((node, practice))
    opts += [(spec.node, spec.course.practice(name)) for name in wanted.practices]
    options = _mixed(
        (
            node,
            Option(
                p.name,
                f"In this course's map, {p.name} supports "
                f"{' and '.join(by_id(a).name for a in p.supports)}.",
            ),
        )
        for node, p in opts
    )
    return Made(options, spec.verdicts(options, wanted.practices), about(wanted, "practices"))


def _stream_omits(spec: Spec) -> Made:
    stream = spec.stream()
    course = spec.course
    left_out = [a.name for a in course.activities if a.id not in stream.activities]
    if not left_out:
        spec.node.field("stream").fail(f"{stream.name} uses every activity; nothing is left out")
    options = tuple(Option(a.name, in_stream(stream, a)) for a in course.activities)
    steps = " → ".join(course.activity_by_id(a).name for a in stream.activities)
    explanation = f"{stream.name} runs {steps}; it does not need {' or '.join(left_out)}."
    return Made(options, spec.verdicts(options, left_out), explanation)


CHOICE_GENERATORS: dict[tuple[Kind, str], tuple[tuple[str, ...], Callable[[Spec], Made]]] = {
    ("single", "activity-of"): (("field", "item"), _activity_of),
    ("short_text", "activity-of"): (("field", "item"), _activity_of_typed),
    ("single", "purpose-of"): (("activity",), _purpose_of),
    ("single", "stream-step"): (("stream", "after"), _stream_step),
    ("single", "stream-action"): (("stream", "activity"), _stream_action),
    ("multiple", "activities"): (("distractors",), _activities),
    ("multiple", "characteristics"): (("distractors",), _characteristics),
    ("multiple", "activities-of-practice"): (("practice",), _activities_of_practice),
    ("multiple", "practices-of"): (("activity", "distractors"), _practices_of),
    ("multiple", "stream-omits"): (("stream",), _stream_omits),
}
