"""The course material as frozen, typed objects.

Instances are built by :mod:`course.loader` from ``course/content/*.yaml``;
nothing here reads files or imports a widget library.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Activity",
    "Characteristic",
    "Course",
    "Example",
    "ImproveLink",
    "Objective",
    "Pattern",
    "Practice",
    "PracticeQuestion",
    "Step",
    "Takeaway",
    "ValueStream",
]


@dataclass(frozen=True)
class Example:
    """A worked example of one activity: a title and its steps."""

    title: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Activity:
    """One of the six activities of the Service Value Chain."""

    id: str
    name: str
    number: int
    summary: str
    colour: str
    purpose: str
    key_activities: tuple[str, ...]
    outputs: tuple[str, ...]
    practices: tuple[str, ...]
    example: Example

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Practice:
    """A practice and the activities it supports (by activity id)."""

    id: str
    name: str
    supports: tuple[str, ...]
    #: Other spellings a learner may type for it (e.g. its full ITIL 4 name).
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Step:
    """One step of a value stream: the activity and what happens there."""

    activity: str
    action: str


@dataclass(frozen=True)
class ValueStream:
    """A worked example value stream."""

    id: str
    name: str
    steps: tuple[Step, ...]

    @property
    def activities(self) -> tuple[str, ...]:
        """The activity ids of the steps, in order."""
        return tuple(step.activity for step in self.steps)


@dataclass(frozen=True)
class Pattern:
    """A common way in which activities follow each other."""

    id: str
    steps: tuple[str, ...]
    meaning: str


@dataclass(frozen=True)
class ImproveLink:
    """An example of Improve connecting to another activity."""

    to: str
    meaning: str


@dataclass(frozen=True)
class Characteristic:
    name: str
    text: str


@dataclass(frozen=True)
class Objective:
    """A learning objective; ``id`` is stable and used across the kit."""

    id: str
    number: int
    title: str


@dataclass(frozen=True)
class PracticeQuestion:
    """A practice question of the course material (text only, no answer)."""

    id: str
    number: int
    objective: str
    text: str


@dataclass(frozen=True)
class Takeaway:
    title: str
    text: str


@dataclass(frozen=True)
class Course:
    """The whole course material."""

    title: str
    level: str
    definition: str
    place_in_svs: str
    characteristics: tuple[Characteristic, ...]
    reminder: str
    activities: tuple[Activity, ...]
    practices: tuple[Practice, ...]
    value_stream_definition: str
    value_stream_combining: str
    rule_any_order: str
    rule_improve_connects_to_any: str
    improve_links: tuple[ImproveLink, ...]
    value_streams: tuple[ValueStream, ...]
    patterns: tuple[Pattern, ...]
    objectives: tuple[Objective, ...]
    practice_questions: tuple[PracticeQuestion, ...]
    takeaways: tuple[Takeaway, ...]
    related_topics: tuple[str, ...]
    references: tuple[str, ...]

    def activity_by_id(self, activity_id: str) -> Activity:
        for item in self.activities:
            if item.id == activity_id:
                return item
        raise KeyError(activity_id)

    def objective(self, objective_id: str) -> Objective:
        for item in self.objectives:
            if item.id == objective_id:
                return item
        valid = ", ".join(o.id for o in self.objectives)
        raise KeyError(f"unknown learning objective {objective_id!r}; the objectives are: {valid}")

    def value_stream(self, stream_id: str) -> ValueStream:
        for item in self.value_streams:
            if item.id == stream_id:
                return item
        valid = ", ".join(v.id for v in self.value_streams)
        raise KeyError(f"unknown value stream {stream_id!r}; the value streams are: {valid}")

    def practice(self, name_or_id: str) -> Practice:
        """The practice ``name_or_id`` spells (see :func:`course.lookup.find_practice`)."""
        from .lookup import find_practice  # lookup imports this module

        found = find_practice(name_or_id, self.practices)
        if found is None:
            raise KeyError(f"unknown practice {name_or_id!r}")
        return found
