"""Checks and scorers for names, sequences, choices, truth values and mappings.

Every function takes the student's answer as they left it (``...`` until they
answer) and, where a widget can answer the question, its ``question`` id.
A typed answer wins; ``...`` or ``None`` falls back to the widget's answer.

- ``check_*`` (visible in the student's notebook) print one line when the
  answer has the expected form, and return a :class:`~._result.Problem`
  (shown as a message, worth 0 points to nbgrader) when it does not.
- ``score_*`` (in hidden tests) return a :class:`~._result.Result`: the points
  earned and why. They never raise on an answer; an answer that cannot be
  read earns 0 with the reason.

Keys are the scorers' arguments, written in the hidden tests of ``source/``:
nothing here knows an answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ._common import Names, as_ids, clamp, ok, resolve, verdict
from ._plain import AnswerError
from ._read import (
    Kind,
    bank_options,
    canonical,
    letters_for,
    read_letters,
    read_mapping,
    read_names,
    read_truth,
)
from ._result import Problem, Result

__all__ = [
    "check_choice",
    "check_mapping",
    "check_names",
    "check_truth",
    "score_choice",
    "score_mapping",
    "score_names",
    "score_sequence",
    "score_truth",
]


# --- names: "list the six activities" --------------------------------------


def check_names(
    answer: object,
    *,
    kind: Kind = "activity",
    count: int | None = None,
    question: str | None = None,
) -> Problem | None:
    """Is the answer a list of names (of ``count`` names, when given)?"""
    try:
        value, origin = resolve(answer, question)
        names = read_names(value, kind)
    except AnswerError as exc:
        return Problem(str(exc))
    if count is not None and len(names) != count:
        return Problem(f"The question asks for {count} names; your list has {len(names)}.")
    ok(f"a list of {len(names)} name{'' if len(names) == 1 else 's'}", origin)
    return None


def score_names(
    answer: object,
    key: Iterable[str],
    *,
    points: float,
    kind: Kind = "activity",
    count: int | None = None,
    question: str | None = None,
) -> Result:
    """Each right name earns a share; each wrong one takes a share back (never below 0).

    ``count``: the question asks for that many of the names in ``key`` ("name two
    practices that..."), so each right name earns ``1 / count`` of the points.
    """
    wanted = set(as_ids(list(key), kind))
    shares = count or len(wanted)
    try:
        value, _ = resolve(answer, question)
        names = read_names(value, kind)
    except AnswerError as exc:
        return Result(0.0, points, (str(exc),))
    right: set[str] = set()
    wrong: list[str] = []
    for text, found in names:
        if found is not None and found in wanted:
            right.add(found)
        elif text not in wrong and found not in right:
            wrong.append(text)
    lines = [f"{min(len(right), shares)} of {shares} right."]
    if wrong:
        lines.append("Not right here: " + ", ".join(repr(w) for w in wrong) + ".")
    return Result(clamp((len(right) - len(wrong)) / shares, points), points, tuple(lines))


def score_sequence(
    answer: object,
    key: Sequence[str],
    *,
    points: float,
    kind: Kind = "activity",
    question: str | None = None,
) -> Result:
    """Position by position: each name in its right place earns a share of the points.

    Extra names count as places, so a longer list cannot earn more.
    """
    wanted = as_ids(list(key), kind)
    try:
        value, _ = resolve(answer, question)
        names = read_names(value, kind)
    except AnswerError as exc:
        return Result(0.0, points, (str(exc),))
    places = max(len(wanted), len(names))
    right = [i for i, (_, found) in enumerate(names[: len(wanted)]) if found == wanted[i]]
    lines = [f"{len(right)} of {len(wanted)} in the right place."]
    if len(names) > len(wanted):
        lines.append(f"Your list has {len(names)} names; the answer has {len(wanted)}.")
    wrong = [
        f"{i + 1}: {names[i][0]!r}" for i in range(min(len(names), len(wanted))) if i not in right
    ]
    if wrong:
        lines.append("Not right at position " + ", ".join(wrong) + ".")
    return Result(clamp(len(right) / places, points), points, tuple(lines))


# --- choices: "answer = 'B'" -------------------------------------------------


def _choices(options: str | None, question: str | None) -> tuple[str, tuple[str, ...]]:
    """The valid letters, and the option texts when ``question`` is a self-check bank question
    (its widget records the text of the choice; typed letters count its options from the top)."""
    texts = bank_options(question) or ()
    if options is None:
        options = letters_for(len(texts)) if texts else "ABCD"
    return options, texts


def check_choice(
    answer: object,
    *,
    options: str | None = None,
    multiple: bool = False,
    question: str | None = None,
) -> Problem | None:
    """Is the answer one letter of ``options`` (or several, when ``multiple``)?

    ``options`` defaults to ``"ABCD"``, or to one letter per option of the bank question
    ``question`` when a quiz widget can answer it.
    """
    letters_ok, texts = _choices(options, question)
    try:
        value, origin = resolve(answer, question)
        letters = read_letters(value, letters_ok, multiple=multiple, texts=texts)
    except AnswerError as exc:
        return Problem(str(exc))
    ok("you chose " + ", ".join(letters), origin)
    return None


def score_choice(
    answer: object,
    key: str,
    *,
    points: float,
    options: str | None = None,
    multiple: bool = False,
    question: str | None = None,
) -> Result:
    """One letter: all or nothing. Several: each right letter earns a share and each
    wrong one takes a share back (never below 0). ``options`` as for :func:`check_choice`."""
    wanted = set(key.upper())
    letters_ok, texts = _choices(options, question)
    try:
        value, _ = resolve(answer, question)
        chosen = set(read_letters(value, letters_ok, multiple=multiple, texts=texts))
    except AnswerError as exc:
        return Result(0.0, points, (str(exc),))
    shown = ", ".join(sorted(chosen))
    if not multiple:
        right = chosen == wanted
        return Result(points if right else 0.0, points, (f"You chose {shown}: {verdict(right)}",))
    hits, misses = chosen & wanted, chosen - wanted
    lines = [f"You chose {shown}: {len(hits)} of {len(wanted)} right choices."]
    if misses:
        lines.append("Not right here: " + ", ".join(sorted(misses)) + ".")
    return Result(clamp((len(hits) - len(misses)) / len(wanted), points), points, tuple(lines))


# --- truth: "True or False?" -------------------------------------------------


def check_truth(
    answer: object, *, parts: Iterable[str] | None = None, question: str | None = None
) -> Problem | None:
    """Is the answer True/False (or a dict of part -> True/False, when ``parts`` is given)?"""
    try:
        value, origin = resolve(answer, question)
        if parts is None:
            ok(f"you answered {read_truth(value)}", origin)
            return None
        found, unknown = read_mapping(value, parts, "bool")
    except AnswerError as exc:
        return Problem(str(exc))
    return _mapping_report(found, unknown, list(parts), origin, kind="bool")


def score_truth(
    answer: object,
    key: bool | Mapping[str, bool],
    *,
    points: float,
    question: str | None = None,
) -> Result:
    """One statement: all or nothing. Several (a dict): a share for each right one."""
    try:
        value, _ = resolve(answer, question)
        if isinstance(key, bool):
            right = read_truth(value) is key
            return Result(points if right else 0.0, points, (verdict(right).capitalize(),))
        found, _unknown = read_mapping(value, key.keys(), "bool")
    except AnswerError as exc:
        return Result(0.0, points, (str(exc),))
    expected = {k: ["true" if v else "false"] for k, v in key.items()}
    return _score_pairs(found, expected, points, kind="bool")


# --- mappings: {"Incident Management": "Deliver & Support"} -------------------


def check_mapping(
    answer: object,
    *,
    keys: Iterable[str],
    kind: Kind = "activity",
    choices: Iterable[str] | None = None,
    question: str | None = None,
) -> Problem | None:
    """Is the answer a dict from the expected keys to names of ``kind``?

    With ``kind="text"``, ``choices`` lists the values a student may give (for instance
    the four characteristics, or the letters of the options).
    """
    expected = list(keys)
    try:
        value, origin = resolve(answer, question)
        found, unknown = read_mapping(value, expected, kind)
    except AnswerError as exc:
        return Problem(str(exc))
    if choices is not None:
        allowed = {canonical(c, "text") for c in choices}
        stray = [(k, given) for k, (given, ident) in found.items() if ident not in allowed]
        if stray:
            listing = ", ".join(repr(c) for c in choices)
            key, given = stray[0]
            return Problem(f"The value for {key!r}, {given!r}, is not one of: {listing}.")
    return _mapping_report(found, unknown, expected, origin, kind=kind)


def _mapping_report(
    found: Mapping[str, tuple[str, str | None]],
    unknown: list[str],
    expected: list[str],
    origin: str,
    *,
    kind: str,
) -> Problem | None:
    if unknown:
        listing = ", ".join(repr(k) for k in expected)
        return Problem(f"{unknown[0]!r} is not one of the things to match. They are: {listing}.")
    unreadable = [f"{k!r}: {given!r}" for k, (given, ident) in found.items() if ident is None]
    if unreadable:
        what = {"bool": "True or False", "activity": "an activity name"}.get(kind, f"a {kind} name")
        return Problem(f"This value is not {what}: {unreadable[0]}.")
    if not found:
        return Problem("Not answered yet: replace each ... with your answer.")
    missing = [k for k in expected if k not in found]
    note = f"; still to answer: {', '.join(repr(k) for k in missing)}" if missing else ""
    ok(f"{len(found)} of {len(expected)} answered{note}", origin)
    return None


def score_mapping(
    answer: object,
    key: Mapping[str, Names],
    *,
    points: float,
    kind: Kind = "activity",
    question: str | None = None,
) -> Result:
    """A share of the points for each key matched to (one of) its right value(s)."""
    expected = {k: list(as_ids(v, kind)) for k, v in key.items()}
    try:
        value, _ = resolve(answer, question)
        found, _unknown = read_mapping(value, key.keys(), kind)
    except AnswerError as exc:
        return Result(0.0, points, (str(exc),))
    return _score_pairs(found, expected, points, kind=kind)


def _score_pairs(
    found: Mapping[str, tuple[str, str | None]],
    expected: Mapping[str, list[str]],
    points: float,
    *,
    kind: str,
) -> Result:
    right = [k for k, ids in expected.items() if k in found and found[k][1] in ids]
    wrong = [k for k in expected if k in found and k not in right]
    missing = [k for k in expected if k not in found]
    lines = [f"{len(right)} of {len(expected)} right."]
    if wrong:
        shown = ", ".join(f"{k!r}: {found[k][0]!r}" for k in wrong)
        lines.append(f"Not right: {shown}.")
    if missing:
        lines.append("Not answered: " + ", ".join(repr(k) for k in missing) + ".")
    return Result(clamp(len(right) / len(expected), points), points, tuple(lines))
