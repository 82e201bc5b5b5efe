"""Turn a student's answer into plain JSON values that cannot cheat a comparison.

Graded checks never compare the student's own objects: an object whose
``__eq__`` always says True, a ``str`` subclass with a rigged ``__hash__`` or a
fake ``__class__`` would pass ``==`` and ``in``. :func:`plain` accepts only the
exact built-in types (tested with ``type(value) is ...``, which no object can
fake) and copies them into fresh JSON values; anything else raises
:class:`AnswerError` with a message for the student.
"""

from __future__ import annotations

from collections.abc import Iterable, Sized
from typing import TypeAlias, cast

from ..model import Activity

__all__ = ["JSON", "NOT_ANSWERED", "AnswerError", "describe", "plain"]

JSON: TypeAlias = bool | int | float | str | list["JSON"] | dict[str, "JSON"] | None

#: What an answer cell holds until the student answers: ``answer = ...``.
NOT_ANSWERED = Ellipsis

MAX_DEPTH = 6
MAX_ITEMS = 2_000
MAX_TEXT = 2_000

_SCALARS = (type(None), bool, int, float, str)
_SEQUENCES = (list, tuple, set, frozenset)
_BUILTIN_BASES = (bool, int, float, str, list, tuple, set, frozenset, dict)


class AnswerError(ValueError):
    """An answer that cannot be graded; the message tells the student why."""


def describe(value: object) -> str:
    """A short, friendly description of ``value`` for messages ("a number (42)")."""
    kind = type(value)
    if value is None:
        return "nothing (None)"
    if value is NOT_ANSWERED:
        return "... (not answered yet)"
    if kind is bool:
        return f"the truth value {value!r}"
    if kind in (int, float):
        return f"a number ({value!r})"
    if kind is str:
        text = cast(str, value)
        return f"the text {text if len(text) <= 40 else text[:37] + '...'!r}"
    if kind is Activity:
        return f"the activity {object.__getattribute__(value, 'name')!r}"
    if kind in (list, tuple, set, frozenset, dict):
        size = len(cast(Sized, value))
        noun = {list: "list", tuple: "tuple", dict: "dict"}.get(kind, "set")
        unit = ("entry", "entries") if kind is dict else ("item", "items")
        return f"a {noun} of {size} {unit[0] if size == 1 else unit[1]}"
    base = next((b for b in _BUILTIN_BASES if issubclass(kind, b)), None)
    if base is not None:
        return f"an object of type {kind.__name__} (made from {base.__name__}, but not a plain one)"
    return f"an object of type {kind.__name__}"


def _sort_key(value: JSON) -> tuple[str, str]:
    return (type(value).__name__, repr(value))


class _Converter:
    def __init__(self) -> None:
        self.items = 0

    def count(self) -> None:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise AnswerError(f"The answer is far too large (more than {MAX_ITEMS} values).")

    def convert(self, value: object, depth: int) -> JSON:
        self.count()
        kind = type(value)
        if depth > MAX_DEPTH:
            raise AnswerError("The answer is nested too deeply to be a plain value.")
        if kind is Activity:
            # An Activity from course.activity(...) stands for its name.
            return self.convert(object.__getattribute__(value, "name"), depth + 1)
        if kind in _SCALARS:
            if kind is str and len(cast(str, value)) > MAX_TEXT:
                raise AnswerError(f"A text in the answer is too long (over {MAX_TEXT} characters).")
            return cast(JSON, value)
        if kind in _SEQUENCES:
            items = [self.convert(item, depth + 1) for item in cast(Iterable[object], value)]
            if kind in (set, frozenset):
                items.sort(key=_sort_key)
            return items
        if kind is dict:
            out: dict[str, JSON] = {}
            for key, item in cast(dict[object, object], value).items():
                if type(key) is Activity:
                    key = object.__getattribute__(key, "name")
                if type(key) is not str:
                    raise AnswerError(
                        "Every key of the dict must be a plain text (str); "
                        f"one key is {describe(key)}."
                    )
                out[key] = self.convert(item, depth + 1)
            return out
        if value is NOT_ANSWERED:
            if depth > 0:
                return None  # a part still to answer: {"a": ..., "b": True}
            raise AnswerError("The answer still holds ...: replace ... with your answer.")
        raise AnswerError(
            f"The answer contains {describe(value)}. Use plain values only: text in quotes, "
            "numbers, True/False, and lists or dicts of those."
        )


def plain(value: object) -> JSON:
    """A fresh plain-JSON copy of ``value``, or :class:`AnswerError` saying why not.

    A ``...`` inside a list or dict (a part not answered yet) becomes ``None``.
    Accepted: ``None``, ``bool``, ``int``, ``float``, ``str`` (exactly those
    types, not subclasses), lists and tuples (become lists), sets (become
    sorted lists), dicts with ``str`` keys, and the :class:`~course.model.Activity`
    objects that ``course.activity(...)`` returns (they become their names).
    """
    return _Converter().convert(value, 0)
