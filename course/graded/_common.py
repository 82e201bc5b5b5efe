"""What every check and scorer shares: the answer as given, and the points as earned."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from ._plain import JSON, NOT_ANSWERED, AnswerError, plain
from ._read import Kind, canonical
from ._widget_state import is_empty, widget_answer

__all__ = ["GRADED_LATER", "Names", "as_ids", "clamp", "ok", "resolve", "verdict"]

Names: TypeAlias = str | Sequence[str]
GRADED_LATER = "It is graded when your work is marked."


def resolve(answer: object, question: str | None) -> tuple[JSON, str]:
    """The plain answer and where it came from ("typed" or "widget").

    A typed answer wins; ``...`` or ``None`` falls back to the answer given through the
    widget for ``question``. An answer that cannot be read raises :class:`AnswerError`.
    """
    if answer is NOT_ANSWERED or answer is None:
        if question:
            from_widget = widget_answer(question)
            if not is_empty(from_widget):
                return from_widget, "widget"
        where = " (or answer with the widget above)" if question else ""
        raise AnswerError(f"Not answered yet: replace ... with your answer{where}.")
    return plain(answer), "typed"


def ok(summary: str, origin: str) -> None:
    """Print the one line a well-formed answer gets."""
    source = " Taken from your choice in the widget above." if origin == "widget" else ""
    print(f"Format OK: {summary}.{source} {GRADED_LATER}")


def clamp(fraction: float, points: float) -> float:
    """``fraction`` (kept between 0 and 1) of ``points``, to two decimals."""
    return round(max(0.0, min(1.0, fraction)) * points, 2)


def verdict(right: bool) -> str:
    return "right." if right else "not the right choice."


def as_ids(names: Names, kind: Kind) -> tuple[str, ...]:
    """Author-written names as ids; a name that spells nothing is an authoring error."""
    listed = [names] if isinstance(names, str) else list(names)
    out = []
    for name in listed:
        found = canonical(name, kind)
        if found is None:
            raise ValueError(f"the key names {name!r}, which is not a known {kind}")
        out.append(found)
    return tuple(out)
