"""A value stream a learner builds: an ordered series of steps.

Each step is one of the six activities (kept by id) with an optional note of
what happens there. Activities may repeat and may follow each other in any
order (the course material: "activities are not sequential"). A
:class:`Stream` is an immutable value: every edit returns a new stream, so
undo is a stack of earlier values and nothing is ever half-changed::

    from course.valuestream import Stream
    s = Stream.from_names(["engage", "Plan", "design and transition"])
    s = s.connect("Design & Transition", "obtain/build")
    s.names       # ('Engage', 'Plan', 'Design & Transition', 'Obtain/Build')
    s.to_json()   # [{'activity': 'engage', 'note': ''}, ...]

Names are read with the spelling rules of :func:`course.activity`; a name that
is not an activity raises :class:`~course.errors.UnknownActivityError`, which
lists the six. Any other malformed input raises :class:`StreamError` saying
what is wrong and where.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import UnknownActivityError
from .loader import load_course
from .lookup import resolve_activity
from .model import Activity, Pattern, Step, ValueStream

__all__ = ["Stream", "StreamError", "UnknownStepError", "activity_id", "activity_name"]


class StreamError(ValueError):
    """A value stream, or an edit to one, that does not make sense."""


class UnknownStepError(UnknownActivityError):
    """An unknown activity at a known step (still an :class:`UnknownActivityError`)."""

    def __init__(self, position: int, cause: UnknownActivityError) -> None:
        super().__init__(cause.given, cause.valid, cause.suggestion)
        self.position = position
        self.args = (f"Step {position}: {cause}",)


def _activities() -> tuple[Activity, ...]:
    return load_course().activities


def activity_id(name: object) -> str:
    """The id of the activity ``name`` spells (any spelling :func:`course.activity` takes)."""
    return resolve_activity(name, _activities()).id


def activity_name(activity: str) -> str:
    """The display name of the activity with id (or spelling) ``activity``."""
    for item in _activities():  # ids first: the common case, and cheap
        if item.id == activity:
            return item.name
    return resolve_activity(activity, _activities()).name


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if value is None:
        return "nothing (None)"
    if isinstance(value, (bool, int, float)):
        return f"the value {value!r}"
    return f"a {type(value).__name__} object"


def _step(item: object, position: int) -> Step:
    """One step from a name, a ``{"activity", "note"}`` mapping or a :class:`Step`."""
    note: object = ""
    if isinstance(item, Step):
        name: object = item.activity
        note = item.action
    elif isinstance(item, dict):
        unknown = set(item) - {"activity", "note", "action"}
        if "activity" not in item or unknown:
            raise StreamError(
                f"Step {position}: a step written as a mapping needs the key 'activity' "
                f"and may have a 'note'; got the keys {sorted(map(str, item))}"
            )
        name = item["activity"]
        note = item.get("note", item.get("action", ""))
    else:
        name = item
    if not isinstance(name, (str, Activity)):
        raise StreamError(
            f"Step {position}: expected the name of an activity, found {_describe(name)}"
        )
    if not isinstance(note, str):
        raise StreamError(f"Step {position}: a note must be text, found {_describe(note)}")
    try:
        found = resolve_activity(name, _activities())
    except UnknownActivityError as exc:
        raise UnknownStepError(position, exc) from None
    return Step(found.id, note.strip())


@dataclass(frozen=True)
class Stream:
    """An ordered series of steps; ``steps`` hold activity ids."""

    steps: tuple[Step, ...] = ()

    # -- building ---------------------------------------------------------

    @classmethod
    def from_names(cls, names: object) -> Stream:
        """A stream from a list of activity names (or ``{"activity", "note"}`` mappings).

        An empty list gives the empty stream; anything that is not a list or
        tuple is refused with a message that says what was given instead.
        """
        if isinstance(names, Stream):
            return names
        if isinstance(names, str):
            raise StreamError(
                f"A value stream is a list of activity names, like ['Engage', 'Plan']; "
                f"got a single text {names!r}: put each activity in the list on its own"
            )
        if not isinstance(names, (list, tuple)):
            raise StreamError(
                "A value stream is a list of activity names, like ['Engage', 'Plan']; "
                f"got {_describe(names)}"
            )
        return cls(tuple(_step(item, number) for number, item in enumerate(names, start=1)))

    from_json = from_names

    @classmethod
    def from_value_stream(cls, stream: ValueStream) -> Stream:
        """The worked example ``stream`` of the course, with its actions as notes."""
        return cls(tuple(stream.steps))

    @classmethod
    def from_pattern(cls, pattern: Pattern) -> Stream:
        """A common pattern of the course as a stream without notes."""
        return cls(tuple(Step(activity, "") for activity in pattern.steps))

    # -- reading ----------------------------------------------------------

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __bool__(self) -> bool:
        return bool(self.steps)

    @property
    def activities(self) -> tuple[str, ...]:
        """The activity ids, step by step."""
        return tuple(step.activity for step in self.steps)

    @property
    def names(self) -> tuple[str, ...]:
        """The activity names, step by step."""
        return tuple(activity_name(a) for a in self.activities)

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        """Each hand-over from one step to the next, as a pair of activity ids."""
        ids = self.activities
        return tuple(itertools.pairwise(ids))

    def to_json(self) -> list[dict[str, str]]:
        """Plain JSON values: ``[{"activity": id, "note": text}, ...]``."""
        return [{"activity": step.activity, "note": step.action} for step in self.steps]

    def describe(self) -> str:
        """The stream as one line of text, e.g. ``1 Engage → 2 Plan``."""
        if not self.steps:
            return "(no steps yet)"
        return " → ".join(f"{n} {name}" for n, name in enumerate(self.names, start=1))

    # -- editing (each returns a new stream) ------------------------------

    def add(self, name: object, note: str = "") -> Stream:
        """A new last step."""
        return self.insert(len(self.steps), name, note)

    def insert(self, index: int, name: object, note: str = "") -> Stream:
        """A new step placed before ``index`` (0-based; ``len`` appends)."""
        if not 0 <= index <= len(self.steps):
            raise StreamError(
                f"cannot insert at position {index}: the stream has {len(self.steps)} steps"
            )
        step = _step({"activity": name, "note": note}, index + 1)
        return Stream((*self.steps[:index], step, *self.steps[index:]))

    def _index(self, index: int) -> int:
        if not isinstance(index, int) or isinstance(index, bool):
            raise StreamError(f"a step index must be a whole number, not {_describe(index)}")
        size = len(self.steps)
        if not -size <= index < size:
            if not size:
                raise StreamError("the value stream has no steps yet")
            raise StreamError(
                f"there is no step at index {index}: the stream has {size} steps "
                f"(indexes 0 to {size - 1}, or -1 for the last)"
            )
        return index % size

    def remove(self, index: int) -> Stream:
        """The stream without the step at ``index`` (0-based, negative from the end)."""
        at = self._index(index)
        return Stream(self.steps[:at] + self.steps[at + 1 :])

    def move(self, index: int, offset: int) -> Stream:
        """The step at ``index`` moved ``offset`` places (negative: earlier)."""
        at = self._index(index)
        target = at + offset
        if not 0 <= target < len(self.steps):
            where = "first" if target < 0 else "last"
            raise StreamError(f"step {at + 1} cannot move there: it would pass the {where} step")
        steps = list(self.steps)
        steps.insert(target, steps.pop(at))
        return Stream(tuple(steps))

    def with_note(self, index: int, note: str) -> Stream:
        """The stream with a new note on the step at ``index``."""
        at = self._index(index)
        steps = list(self.steps)
        steps[at] = Step(steps[at].activity, note.strip())
        return Stream(tuple(steps))

    def connect(self, source: object, target: object) -> Stream:
        """The stream with a hand-over from ``source`` to ``target``.

        A stream grows at its ends: an empty stream becomes ``[source,
        target]``; when ``source`` is the last step, ``target`` is appended;
        when ``target`` is the first step, ``source`` becomes the new first
        step. Anything else raises :class:`StreamError` saying where a new
        connection may start.
        """
        first, then = activity_id(source), activity_id(target)
        if first == then:
            raise StreamError(
                f"{activity_name(first)} cannot hand over to itself: connect two "
                "different activities"
            )
        if not self.steps:
            return self.add(first).add(then)
        ids = self.activities
        if ids[-1] == first:
            return self.add(then)
        if ids[0] == then:
            return self.insert(0, first)
        return_to = activity_name(ids[-1])
        begin = activity_name(ids[0])
        raise StreamError(
            f"{activity_name(first)} is not the end of your value stream: a new step joins "
            f"the end, so connect from {return_to} (step {len(ids)}), or connect a new first "
            f"step to {begin} (step 1)"
        )
