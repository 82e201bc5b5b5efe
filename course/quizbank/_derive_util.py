"""Shared pieces of the question generators (:mod:`course.quizbank.derive`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .._yamlread import Node
from ..lookup import find_activity, normalise
from ..model import Activity, Course, Practice, ValueStream
from .keys import RIGHT, WRONG, seal
from .model import Expects, Option

#: The activity fields a generator can ask about, and how to say them.
FIELDS = {
    "outputs": "outputs",
    "key_activities": "key activities",
    "practices": "supporting practices",
}


@dataclass
class Made:
    """What a generator makes; the prompt and the id come from the quiz file."""

    options: tuple[Option, ...]
    key: list[tuple[str, set[str]]]
    explanation: str
    items: tuple[Option, ...] = ()
    expects: Expects = "text"


@dataclass(frozen=True)
class Spec:
    """A ``from:`` question: its node, id and the course it draws on."""

    node: Node
    qid: str
    course: Course

    def activity(self, key: str) -> Activity:
        return activity_ref(self.node.field(key), self.course)

    def activities(self, key: str) -> tuple[Activity, ...]:
        if not self.node.has(key):
            return self.course.activities
        return tuple(activity_ref(n, self.course) for n in self.node.field(key).items())

    def stream(self) -> ValueStream:
        ref = self.node.field("stream")
        try:
            return self.course.value_stream(ref.text())
        except KeyError as exc:
            ref.fail(str(exc.args[0]))

    def practice(self, ref: Node) -> Practice:
        try:
            return self.course.practice(ref.text())
        except KeyError:
            names = ", ".join(p.name for p in self.course.practices)
            ref.fail(f"unknown practice {ref.text()!r}; the practices are: {names}")

    def field_name(self) -> str:
        ref = self.node.field("field")
        if ref.text() not in FIELDS:
            ref.fail(f"field is one of {', '.join(FIELDS)}, not {ref.text()!r}")
        return ref.text()

    def verdicts(
        self, options: Iterable[Option], right: Iterable[str]
    ) -> list[tuple[str, set[str]]]:
        """Sealed right/wrong marks for choice options; ``right`` holds option texts."""
        wanted = {normalise(r) for r in right}
        return [
            (o.text, {seal(self.qid, o.text, RIGHT if normalise(o.text) in wanted else WRONG)})
            for o in options
        ]


def activity_ref(node: Node, course: Course) -> Activity:
    found = find_activity(node.text(), course.activities)
    if found is None:
        valid = ", ".join(a.id for a in course.activities)
        node.fail(f"unknown activity {node.text()!r}; the activities are: {valid}")
    return found


def values(activity: Activity, field_name: str) -> tuple[str, ...]:
    value: tuple[str, ...] = getattr(activity, field_name)
    return value


def owners(course: Course, field_name: str, text: str) -> list[Activity]:
    """The activities whose ``field_name`` list holds ``text``."""
    wanted = normalise(text)
    return [a for a in course.activities if wanted in {normalise(v) for v in values(a, field_name)}]


#: Words of a practice's name that say nothing about the work it covers.
_GENERIC = frozenset({"management", "service", "and"})
_WORD = re.compile(r"[a-z]+")


def _stems(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.casefold())} - _GENERIC


def check_one_owner(spec: Spec, node: Node, text: str, found: list[Activity]) -> None:
    """Refuse an item (an output, a key activity) that a practice of another activity covers.

    "Manage suppliers" is a key activity of Obtain/Build in the material, but Supplier
    Management also supports Engage: a learner who answers Engage is not wrong, and a
    key that says so would be.
    """
    mine = {a.id for a in found}
    words = _stems(text)
    for practice in spec.course.practices:
        others = [a for a in practice.supports if a not in mine]
        if others and words & _stems(practice.name):
            owner = " and ".join(a.name for a in found)
            other = spec.course.activity_by_id(others[0]).name
            node.fail(
                f"{text!r} belongs to {owner} in the course material, but {practice.name} "
                f"covers it and also supports {other}: a learner who answers {other} is not "
                "wrong. Ask about an item that only one activity can claim."
            )


#: How a question on practice-to-activity links must say what it asks about.
MAP_WORDS = re.compile(r"course['\u2019]s map", re.IGNORECASE)


def check_map_prompt(node: Node) -> None:
    """A question on which practice supports which activity asks about the course's map.

    The material lists the practices that support each activity; it never says that
    a practice supports no other activity, so the course asks only about its own map.
    """
    prompt = node.field("prompt")
    if not MAP_WORDS.search(prompt.text()):
        prompt.fail(
            "a question on which practices support which activity must ask about "
            '"this course\'s map": the course material lists the practices that support '
            "each activity but never says that a practice supports no other. "
            'Say "in this course\'s map" in the prompt.'
        )


def about(activity: Activity, field_name: str) -> str:
    """One sentence on an activity's outputs, key activities, practices or purpose."""
    if field_name == "purpose":
        return f"The purpose of {activity.name}: {lower_first(activity.purpose)}"
    if field_name == "practices":
        listed = ", ".join(values(activity, field_name))
        return f"In this course's map, {activity.name} is supported by {listed}."
    listed = ", ".join(values(activity, field_name))
    return f"The {FIELDS[field_name]} of {activity.name}: {listed}."


def activity_options(course: Course, field_name: str) -> tuple[Option, ...]:
    """The six activities as choices, each explained through ``field_name``."""
    return tuple(Option(a.name, about(a, field_name)) for a in course.activities)


def in_stream(stream: ValueStream, activity: Activity) -> str:
    for number, step in enumerate(stream.steps, start=1):
        if step.activity == activity.id:
            return f"{activity.name} is step {number} of {stream.name}: {step.action}."
    return f"{activity.name} is not a step of {stream.name}."


def join(parts: Iterable[str]) -> str:
    return " ".join(parts)


def lower_first(text: str) -> str:
    """``text`` with a lower-case first letter, to follow a colon mid-sentence."""
    return text[:1].lower() + text[1:]
