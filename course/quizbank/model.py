"""Quiz questions as frozen, typed objects (built by :mod:`course.quizbank.bank`).

One :class:`Question` class covers every type; which fields matter depends on
``kind``:

=============  ==========================================  ========================
kind           ``options``                                 ``items``
=============  ==========================================  ========================
single         the choices (one is right)                  --
multiple       the choices (one or more are right)         --
true_false     --                                          --
matching       the choices each item is matched to         the things to match
ordering       the things to put in order                  --
short_text     (optional) notes on likely answers          --
=============  ==========================================  ========================

The key is a :class:`Key` of sealed digests (:mod:`course.quizbank.keys`), never
the plain answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from ..lookup import normalise
from .keys import seal

__all__ = ["KINDS", "Expects", "Key", "Kind", "Option", "Question", "find_option"]

Kind = Literal["single", "multiple", "true_false", "matching", "ordering", "short_text"]
KINDS: tuple[Kind, ...] = ("single", "multiple", "true_false", "matching", "ordering", "short_text")
Expects = Literal["text", "activity"]


@dataclass(frozen=True)
class Option:
    """A choice, an item or a step; ``why`` explains it and is shown once checked."""

    text: str
    why: str = ""


@dataclass(frozen=True)
class Key:
    """Sealed answers: for each slot, the digests that count as right there."""

    question_id: str
    entries: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def build(cls, question_id: str, entries: Iterable[tuple[str, Iterable[str]]]) -> Key:
        merged: dict[str, set[str]] = {}
        for slot, digests in entries:
            merged.setdefault(normalise(slot), set()).update(digests)
        return cls(question_id, tuple((s, frozenset(d)) for s, d in merged.items()))

    def accepts(self, slot: str, answer: str) -> bool:
        """Whether ``answer`` is right in ``slot``."""
        wanted = normalise(slot)
        digest = seal(self.question_id, slot, answer)
        return any(s == wanted and digest in d for s, d in self.entries)

    def digests(self) -> frozenset[str]:
        return frozenset(d for _, group in self.entries for d in group)


@dataclass(frozen=True)
class Question:
    """One self-check question of the bank."""

    id: str
    objective: str
    kind: Kind
    prompt: str
    explanation: str
    key: Key = field(repr=False)
    options: tuple[Option, ...] = ()
    items: tuple[Option, ...] = ()
    expects: Expects = "text"
    source: str = "authored"

    def option(self, text: str) -> Option | None:
        """The option whose text reads as ``text`` (spelling-tolerant), if any."""
        return find_option(text, self.options)

    def item(self, text: str) -> Option | None:
        return find_option(text, self.items)


def find_option(text: str, choices: Iterable[Option]) -> Option | None:
    """The choice whose text reads as ``text`` once normalised, if any."""
    wanted = normalise(text)
    if not wanted:
        return None
    for choice in choices:
        if normalise(choice.text) == wanted:
            return choice
    return None
