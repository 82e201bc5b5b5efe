"""Graded keys that are facts of the course content, derived when the hidden test runs.

A hidden test whose key is a fact of ``course/content`` (which activity a practice
supports, whose output a thing is, the six activities, the purpose the quiz bank
derives for Engage) never writes that fact: it calls one of these helpers, which
reads the content at grading time. An instructor who edits the content therefore
edits the key too, and ``python -m autograder check`` evaluates every such call
against the content, naming the question when one no longer fits::

    graded.score_mapping(supported_by, graded.practice_links(["Service Desk", ...]), points=3)

Each helper takes plain literals (names as the question shows them), so the
self-paced edition can evaluate the call and seal its result
(:func:`evaluate_key`), and an optional ``course`` (and ``bank``) to read another
content folder (``check`` and the tests do). A name the content does not know
raises :class:`ContentKeyError`, saying which file to look at.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import Any

from ..loader import load_course
from ..lookup import find_activity, normalise
from ..model import Activity, Course

__all__ = [
    "CONTENT_KEYS",
    "ContentKeyError",
    "all_activities",
    "evaluate_key",
    "key_activity_letters",
    "output_owners",
    "practice_letters",
    "practice_links",
    "practices_of",
    "quiz_letters",
]

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class ContentKeyError(ValueError):
    """A content-derived key names something the content does not hold."""


def _course(course: Course | None) -> Course:
    return course if course is not None else load_course()


def _activity(name: str, course: Course) -> Activity:
    found = find_activity(name, course.activities)
    if found is None:
        valid = ", ".join(a.name for a in course.activities)
        raise ContentKeyError(f"{name!r} is not an activity of activities.yaml ({valid})")
    return found


def _practice_names(course: Course) -> str:
    return ", ".join(p.name for p in course.practices)


def all_activities(*, course: Course | None = None) -> list[str]:
    """The ids of every activity of ``activities.yaml``, in order ("list the six activities")."""
    return [a.id for a in _course(course).activities]


def practice_links(
    practices: Sequence[str], *, course: Course | None = None
) -> dict[str, list[str]]:
    """Each practice name -> the ids of the activities it supports (``practices.yaml``).

    A practice that supports two activities accepts either of them.
    """
    model = _course(course)
    out: dict[str, list[str]] = {}
    for name in practices:
        try:
            practice = model.practice(name)
        except KeyError:
            raise ContentKeyError(
                f"{name!r} is not a practice of practices.yaml ({_practice_names(model)})"
            ) from None
        out[name] = list(practice.supports)
    return out


def practices_of(activity: str, *, course: Course | None = None) -> list[str]:
    """The ids of the practices that support ``activity`` (``practices.yaml``)."""
    model = _course(course)
    wanted = _activity(activity, model).id
    return [p.id for p in model.practices if wanted in p.supports]


def output_owners(outputs: Sequence[str], *, course: Course | None = None) -> dict[str, list[str]]:
    """Each output -> the ids of the activities that list it under ``outputs``."""
    return _owners(outputs, "outputs", _course(course))


def _owners(texts: Sequence[str], field: str, course: Course) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for text in texts:
        ids = [a.id for a in course.activities if _holds(a, field, text)]
        if not ids:
            raise ContentKeyError(
                f"{text!r} is not among the {field.replace('_', ' ')} of any activity "
                "in activities.yaml"
            )
        out[text] = ids
    return out


def _holds(activity: Activity, field: str, text: str) -> bool:
    values: tuple[str, ...] = getattr(activity, field)
    return normalise(text) in {normalise(v) for v in values}


def _letters(options: Sequence[str], right: Callable[[str], bool]) -> str:
    if len(options) > len(LETTERS):
        raise ContentKeyError(f"at most {len(LETTERS)} options can be lettered")
    return "".join(LETTERS[i] for i, text in enumerate(options) if right(text))


def key_activity_letters(
    activity: str, options: Sequence[str], *, course: Course | None = None
) -> str:
    """The letters (A for the first option...) of ``options`` that are key activities of
    ``activity``; every option must be a key activity of some activity."""
    model = _course(course)
    owner = _activity(activity, model)
    _owners(options, "key_activities", model)  # each option is a key activity somewhere
    return _letters(options, lambda text: _holds(owner, "key_activities", text))


def practice_letters(options: Sequence[str], *, course: Course | None = None) -> str:
    """The letters of ``options`` that name practices; every other option must name an
    activity (the question tells the two apart)."""
    model = _course(course)
    for text in options:
        practice = _is_practice(text, model)
        if not practice and find_activity(text, model.activities) is None:
            raise ContentKeyError(
                f"{text!r} names neither a practice of practices.yaml nor an activity"
            )
    return _letters(options, lambda text: _is_practice(text, model))


def _is_practice(text: str, course: Course) -> bool:
    try:
        course.practice(text)
    except KeyError:
        return False
    return True


def quiz_letters(question: str, *, bank: Any = None) -> str:
    """The letters of the right options of choice question ``question`` of the quiz bank,
    in the order the graded widget shows them (its key derives from the content when the
    question has ``from:``)."""
    from ..quizbank import load_bank
    from ..quizbank.errors import UnknownQuestionError
    from ..quizbank.keys import RIGHT

    found_bank = bank if bank is not None else load_bank()
    try:
        found = found_bank.question(question)
    except UnknownQuestionError as exc:
        raise ContentKeyError(str(exc)) from None
    if found.kind not in ("single", "multiple"):
        raise ContentKeyError(f"quiz question {question!r} is a {found.kind} question, not choice")
    return _letters([o.text for o in found.options], lambda text: found.key.accepts(text, RIGHT))


#: The helpers a hidden test may call for its key, by name (``graded.<name>(...)``).
CONTENT_KEYS: dict[str, Callable[..., Any]] = {
    "all_activities": all_activities,
    "practice_links": practice_links,
    "practices_of": practices_of,
    "output_owners": output_owners,
    "key_activity_letters": key_activity_letters,
    "practice_letters": practice_letters,
    "quiz_letters": quiz_letters,
}


def content_call(node: ast.expr) -> str | None:
    """The helper's name when ``node`` is ``graded.<helper>(...)``, else ``None``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "graded"
        and node.func.attr in CONTENT_KEYS
    ):
        return node.func.attr
    return None


def evaluate_key(node: ast.expr, *, course: Course | None = None, bank: Any = None) -> Any:
    """The key a hidden test's key expression stands for: a plain literal, or a call of a
    content helper with literal arguments, evaluated against ``course`` (and ``bank``)."""
    name = content_call(node)
    if name is None:
        return ast.literal_eval(node)
    assert isinstance(node, ast.Call)
    args = [ast.literal_eval(a) for a in node.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
    if name == "quiz_letters":
        return CONTENT_KEYS[name](*args, **kwargs, bank=bank)
    return CONTENT_KEYS[name](*args, **kwargs, course=course)
