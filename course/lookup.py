"""Match the spellings a person types to one of the six activities, or to a practice."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .errors import UnknownActivityError
from .model import Activity, Practice

__all__ = ["find_activity", "find_practice", "normalise", "resolve_activity"]

_WORD = re.compile(r"[a-z0-9]+")


def normalise(name: str) -> str:
    """Reduce a name to the letters that identify it.

    Case, punctuation and the joining word "and" are ignored, so
    "Design & Transition", "design and transition" and "design-transition"
    all become ``designtransition``.
    """
    words = _WORD.findall(name.casefold().replace("&", " and "))
    return "".join(word for word in words if word != "and")


def find_activity(name: str, activities: Iterable[Activity]) -> Activity | None:
    """The activity ``name`` spells (by name or id), or ``None``."""
    key = normalise(name)
    if not key:
        return None
    for item in activities:
        if key in (normalise(item.name), normalise(item.id)):
            return item
    return None


def find_practice(name: str, practices: Iterable[Practice]) -> Practice | None:
    """The practice ``name`` spells (by name, id or alias), or ``None``.

    Every place a learner types a practice name resolves it here, so an alias in
    ``practices.yaml`` ("Software Development and Management") counts everywhere.
    """
    key = normalise(name)
    if not key:
        return None
    for item in practices:
        if key in {normalise(n) for n in (item.name, item.id, *item.aliases)}:
            return item
    return None


def resolve_activity(name: object, activities: Iterable[Activity]) -> Activity:
    """Like :func:`find_activity`, but raise a helpful error when it fails."""
    choices = list(activities)
    if isinstance(name, Activity):
        return name
    found = find_activity(name, choices) if isinstance(name, str) else None
    if found is not None:
        return found
    suggestion = None
    if isinstance(name, str):
        keys = {normalise(a.name): a.name for a in choices}
        close = difflib.get_close_matches(normalise(name), keys, n=1, cutoff=0.6)
        suggestion = keys[close[0]] if close else None
    raise UnknownActivityError(name, [a.name for a in choices], suggestion)
