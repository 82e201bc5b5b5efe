"""Read a plain answer as the value a question expects.

Each reader takes a plain-JSON answer (see :mod:`._plain`) and returns what
the scorer compares, or raises :class:`~._plain.AnswerError` with a message
for the student. Names are read with the spelling rules of
:func:`course.activity`: case, punctuation and the word "and" do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..loader import load_course
from ..lookup import find_activity, find_practice, normalise
from ._plain import JSON, AnswerError, describe

__all__ = [
    "Kind",
    "activity_name",
    "canonical",
    "read_letters",
    "read_mapping",
    "read_names",
    "read_truth",
]

Kind = str  # "activity", "practice" or "text"
_KINDS = ("activity", "practice", "text")
_TRUE = {"true", "yes", "y", "t"}
_FALSE = {"false", "no", "n", "f"}
_LETTERS = re.compile(r"[^A-Za-z]+")


def _practice(text: str) -> str | None:
    found = find_practice(text, load_course().practices)
    return found.id if found is not None else None


def _same_practice(text: str, names: Iterable[str]) -> str | None:
    """The one of ``names`` that spells the same practice as ``text`` (an alias, say)."""
    wanted = _practice(text)
    return next((n for n in names if wanted is not None and _practice(n) == wanted), None)


def canonical(text: str, kind: Kind) -> str | None:
    """The id ``text`` names (activity or practice), its normalised form for ``text``."""
    if kind == "activity":
        found = find_activity(text, load_course().activities)
        return found.id if found is not None else None
    if kind == "practice":
        return _practice(text)
    if kind == "text":
        return normalise(text) or None
    raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(_KINDS)}")


def activity_name(activity_id: str) -> str:
    """The display name of an activity id ("design-transition" -> "Design & Transition")."""
    return load_course().activity_by_id(activity_id).name


def display(identifier: str, kind: Kind) -> str:
    """How to show an id of ``kind`` to a student."""
    if kind == "activity":
        return activity_name(identifier)
    if kind == "practice":
        return load_course().practice(identifier).name
    return identifier


def _strings(value: JSON, what: str, example: str) -> list[str]:
    if type(value) is str:
        raise AnswerError(
            f"{what} should be a list of names in square brackets, like {example}; "
            f"it is {describe(value)}."
        )
    if type(value) is not list:
        raise AnswerError(f"{what} should be a list, like {example}; it is {describe(value)}.")
    out = []
    for position, item in enumerate(value, start=1):
        if item is None:
            raise AnswerError(
                f"Item {position} of the list is still empty (... or None): replace it with a "
                "name in quotes, or remove it."
            )
        if type(item) is not str:
            raise AnswerError(
                f"Item {position} of the list is {describe(item)}: every item should be a "
                "name in quotes."
            )
        out.append(item)
    return out


def read_names(value: JSON, kind: Kind) -> list[tuple[str, str | None]]:
    """Each name of a list with the id it spells (``None`` when it names nothing known)."""
    example = '["Plan", "Improve"]' if kind == "activity" else '["Service Desk", "Risk Management"]'
    names = _strings(value, "Your answer", example)
    return [(name, canonical(name, kind)) for name in names]


def bank_options(question: str | None) -> tuple[str, ...] | None:
    """The option texts of self-check bank question ``question``, in the order shown.

    ``None`` when ``question`` is not a bank question (a builder's id, for instance).
    """
    if not question:
        return None
    from ..quizbank import UnknownQuestionError, load_bank

    try:
        found = load_bank().question(question)
    except UnknownQuestionError:
        return None
    return tuple(option.text for option in found.options) or None


def letters_for(count: int) -> str:
    """``"ABCD"`` for four options."""
    return "".join(chr(ord("A") + i) for i in range(count))


def _option_letter(value: str, texts: Sequence[str]) -> str | None:
    wanted = normalise(value)
    for index, text in enumerate(texts):
        if wanted and normalise(text) == wanted:
            return letters_for(index + 1)[-1]
    return None


def read_letters(
    value: JSON, options: str, *, multiple: bool, texts: Sequence[str] = ()
) -> list[str]:
    """The option letters chosen: ``"B"``, ``"b"``, ``"(b)"``; ``["A", "C"]`` or ``"A, C"``.

    With ``texts`` (the options' texts, A first), an option's text counts as its letter:
    that is how a quiz widget records a choice.
    """
    if texts:
        if type(value) is str and (letter := _option_letter(value, texts)):
            return [letter]
        if multiple and type(value) is list:
            mapped = [_option_letter(v, texts) if type(v) is str else None for v in value]
            if value and all(mapped):
                return sorted({m for m in mapped if m})
    valid = options.upper()
    listing = ", ".join(valid)
    if type(value) is str:
        letters = list(_LETTERS.sub("", value).upper())
        if not multiple and len(letters) > 1:
            raise AnswerError(
                f'Choose one letter, as text in quotes like "{valid[0]}"; '
                f"your answer {value!r} has {len(letters)}."
            )
    elif multiple and type(value) is list:
        letters = []
        for item in value:
            if type(item) is not str or len(_LETTERS.sub("", item)) != 1:
                raise AnswerError(
                    f'Each choice should be one letter in quotes, like "{valid[0]}"; '
                    f"one of them is {describe(item)}."
                )
            letters.append(_LETTERS.sub("", item).upper())
    else:
        shape = f'["{valid[0]}", "{valid[-1]}"]' if multiple else f'"{valid[0]}"'
        raise AnswerError(
            f"Your answer should be {'letters' if multiple else 'a letter'} in quotes, like "
            f"{shape}; it is {describe(value)}."
        )
    if not letters:
        raise AnswerError(f"Your answer has no letter in it: choose from {listing}.")
    for letter in letters:
        if letter not in valid:
            raise AnswerError(f"{letter!r} is not one of the choices: choose from {listing}.")
    return sorted(set(letters))


def read_truth(value: JSON) -> bool:
    """``True``/``False``, or the words "yes", "no", "true", "false"."""
    if type(value) is bool:
        return bool(value)
    if type(value) is str and value.strip().casefold() in _TRUE | _FALSE:
        return value.strip().casefold() in _TRUE
    raise AnswerError(f"Answer True or False (without quotes); your answer is {describe(value)}.")


def read_mapping(
    value: JSON, keys: Iterable[str], kind: Kind
) -> tuple[dict[str, tuple[str, str | None]], list[str]]:
    """Read ``{key: name}``: for each expected key (as written by the author), the name given
    and the id it spells; plus the keys of the answer that match no expected key."""
    expected = {normalise(k): k for k in keys}
    if type(value) is not dict:
        first = next(iter(expected.values()), "...")
        raise AnswerError(
            f'Your answer should be a dict, like {{"{first}": "..."}}; it is {describe(value)}.'
        )
    found: dict[str, tuple[str, str | None]] = {}
    unknown: list[str] = []
    for key, item in value.items():
        author_key = expected.get(normalise(key)) or _same_practice(key, expected.values())
        if author_key is None:
            unknown.append(key)
            continue
        if item is None:
            continue  # this part is not answered yet
        if kind == "bool":
            try:
                found[author_key] = (str(item), "true" if read_truth(item) else "false")
            except AnswerError:
                found[author_key] = (str(item), None)
            continue
        if type(item) is not str:
            raise AnswerError(
                f"The value for {key!r} should be a name in quotes; it is {describe(item)}."
            )
        found[author_key] = (item, canonical(item, kind))
    return found, unknown
