"""Turn whatever a learner (or a test) gives as an answer into plain JSON.

:func:`parse_answer` accepts the natural Python value for each question type
and returns the canonical response that widgets store in their ``response``
trait and that :func:`course.quizbank.check.check_answer` marks:

=============  =============================================  ============================
kind           accepted                                       canonical response
=============  =============================================  ============================
single         an option's text                               ``"Engage"``
multiple       one option's text or a list of them            ``["Plan", "Improve"]``
true_false     ``True``/``False`` or "true", "false", ...     ``true``
matching       ``{item: choice}`` or a list of choices,       ``{"Plans": "Plan", ...}``
               one per item in the order shown
ordering       a list of items, first step first              ``["Engage", "Plan", ...]``
short_text     text                                           ``"design and transition"``
=============  =============================================  ============================

Texts are matched as :func:`course.lookup.normalise` reads them, so case and
punctuation do not matter. Anything else raises :class:`AnswerProblem`, whose
message says what was wrong and what an answer looks like; it never reaches a
learner as a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .errors import QuizError
from .model import Option, Question, find_option

__all__ = ["AnswerProblem", "Response", "is_empty", "parse_answer"]

Response = Any  # plain JSON: str | bool | list[str | None] | dict[str, str] | None

_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


class AnswerProblem(QuizError):
    """An answer that cannot be marked; the message tells the learner why."""


def _listing(options: Iterable[Option]) -> str:
    return ", ".join(repr(o.text) for o in options)


def _one_of(value: object, choices: tuple[Option, ...], what: str) -> str:
    if not isinstance(value, str):
        raise AnswerProblem(
            f"{what} is given as text, for example {choices[0].text!r}; got {value!r}."
        )
    found = find_option(value, choices)
    if found is None:
        raise AnswerProblem(
            f"{value!r} is not one of the choices. The choices are: {_listing(choices)}."
        )
    return found.text


def _texts(value: object) -> list[object] | None:
    if isinstance(value, (str, bytes, Mapping)):
        return None
    if isinstance(value, Iterable):
        return list(value)
    return None


def parse_answer(question: Question, value: object) -> Response:
    """The canonical plain-JSON form of ``value`` as an answer to ``question``."""
    kind = question.kind
    if value is None:
        return None
    if kind == "single":
        return _one_of(value, question.options, "The answer")
    if kind == "multiple":
        return _parse_multiple(question, value)
    if kind == "true_false":
        return _parse_bool(value)
    if kind == "matching":
        return _parse_matching(question, value)
    if kind == "ordering":
        return _parse_ordering(question, value)
    if not isinstance(value, str):
        raise AnswerProblem(f"Type the answer as text, for example 'Plan'; got {value!r}.")
    return value.strip()


def _parse_multiple(question: Question, value: object) -> list[str]:
    given = [value] if isinstance(value, str) else _texts(value)
    if given is None:
        raise AnswerProblem(
            "Give the options you select as a list of their texts, for example "
            f"[{question.options[0].text!r}, {question.options[-1].text!r}]; got {value!r}."
        )
    chosen = {_one_of(v, question.options, "Each option") for v in given}
    return [o.text for o in question.options if o.text in chosen]


def _parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise AnswerProblem(f"Answer True or False; got {value!r}.")


def _parse_matching(question: Question, value: object) -> dict[str, str]:
    if isinstance(value, Mapping):
        pairs = list(value.items())
    else:
        listed = _texts(value)
        if listed is None or len(listed) != len(question.items):
            raise AnswerProblem(
                "Give the matches as {item: choice}, or as a list with one choice per item "
                f"in the order shown ({len(question.items)} items); got {value!r}."
            )
        pairs = [(item.text, choice) for item, choice in zip(question.items, listed, strict=True)]
    out: dict[str, str] = {}
    for item_text, choice in pairs:
        if not isinstance(item_text, str) or (item := question.item(item_text)) is None:
            raise AnswerProblem(
                f"{item_text!r} is not one of the items to match. "
                f"The items are: {_listing(question.items)}."
            )
        if _blank(choice):
            continue
        out[item.text] = _one_of(choice, question.options, "Each match")
    return {i.text: out[i.text] for i in question.items if i.text in out}


def _parse_ordering(question: Question, value: object) -> list[str | None]:
    listed = _texts(value)
    size = len(question.options)
    if listed is None or len(listed) != size:
        raise AnswerProblem(
            f"Give the order as a list of all {size} items, first step first, for example "
            f"[{question.options[0].text!r}, ...]; got {value!r}."
        )
    steps: list[str | None] = []
    for position, entry in enumerate(listed, start=1):
        if _blank(entry):
            steps.append(None)
            continue
        text = _one_of(entry, question.options, f"Step {position}")
        if text in steps:
            raise AnswerProblem(
                f"{text!r} is placed twice (step {steps.index(text) + 1} and step {position}); "
                "each item belongs to exactly one step."
            )
        steps.append(text)
    return steps


def _blank(value: object) -> bool:
    """No choice made: ``None`` or empty text (compared without trusting ``value.__eq__``)."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_empty(question: Question, response: Response) -> bool:
    """Whether ``response`` gives no answer at all."""
    if response is None or response == "" or response == [] or response == {}:
        return True
    return question.kind == "ordering" and all(step is None for step in response)
