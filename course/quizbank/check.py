"""Mark an answer: right or wrong, a score between 0 and 1, and feedback that teaches.

:func:`check_answer` is the single place where answers are marked; the quiz
widgets call it for a click on *Check* and for ``.check()`` alike, so both give
the same result.

Scores: single choice, true/false and short text score 1 or 0; multiple choice
scores (right choices - wrong choices) / right options, never below 0;
matching and ordering score the share of pairs or steps that are right.

The general explanation is shown once the answer is right, after
:data:`REVEAL_AFTER` marked attempts, and always for true/false (its
justification). Per-option notes are shown for what the learner chose; a wrong
answer never names the right one by itself.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..loader import load_course
from ..lookup import find_activity, normalise
from .answers import AnswerProblem, Response, is_empty, parse_answer
from .keys import RIGHT
from .model import Question

__all__ = ["REVEAL_AFTER", "Mark", "Result", "check_answer"]

#: Marked attempts after which the explanation is shown even if still wrong.
REVEAL_AFTER = 2

_PROMPT_FIRST = {
    "single": "Choose an option first, then check.",
    "multiple": "Select at least one option first, then check.",
    "true_false": "Choose True or False first, then check.",
    "matching": "Choose a match for every item first, then check.",
    "ordering": "Put an item in every step first, then check.",
    "short_text": "Type your answer first, then check.",
}


@dataclass(frozen=True)
class Mark:
    """The marking of one part of an answer: an option, a pair or a step.

    ``ok`` is ``True`` (right), ``False`` (wrong) or ``None`` (a note that is
    neither, such as a hint about what was typed).
    """

    label: str
    ok: bool | None
    note: str = ""

    def text(self) -> str:
        word = {True: "✓ right", False: "✗ wrong", None: "•"}[self.ok]
        return f"{word}: {self.label}" + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class Result:
    """The outcome of checking one answer.

    ``valid`` is ``False`` when the answer could not be marked (nothing chosen,
    an unknown option...): then ``score`` is 0, nothing is recorded, and
    ``verdict`` says what to do.
    """

    question_id: str
    valid: bool
    correct: bool
    score: float
    verdict: str
    marks: tuple[Mark, ...] = ()
    explanation: str = ""
    response: Response = None

    @property
    def feedback(self) -> str:
        """The whole feedback as plain text (what a screen reader reads out)."""
        lines = [self.verdict, *(mark.text() for mark in self.marks)]
        if self.explanation:
            lines.append(f"Why: {self.explanation}")
        return "\n".join(lines)

    @property
    def partial(self) -> bool:
        return self.valid and not self.correct and self.score > 0

    def __str__(self) -> str:
        return self.feedback


def check_answer(question: Question, value: object, *, attempt: int = 1) -> Result:
    """Mark ``value`` (any form :func:`parse_answer` accepts) as an answer to ``question``.

    ``attempt`` is the number of this marked attempt (1 for the first); it only
    decides whether the explanation is shown.
    """
    try:
        response = parse_answer(question, value)
    except AnswerProblem as problem:
        return Result(question.id, False, False, 0.0, str(problem))
    if is_empty(question, response):
        return Result(question.id, False, False, 0.0, _PROMPT_FIRST[question.kind])
    marker = _MARKERS[question.kind]
    result = marker(question, response)
    if not result.valid:
        return result
    reveal = result.correct or attempt >= REVEAL_AFTER or question.kind == "true_false"
    explanation = question.explanation if reveal else ""
    return Result(
        question.id,
        True,
        result.correct,
        result.score,
        result.verdict,
        result.marks,
        explanation,
        response,
    )


def _verdict(right: int, total: int, nouns: str, good: str) -> str:
    """E.g. 'Partly right: 2 of 4 matches are right. Try again.'"""
    if right == total:
        return f"Right: all {total} {nouns} are {good}."
    if right == 0:
        return f"Not right yet: none of the {total} {nouns} is {good}. Try again."
    verb = "is" if right == 1 else "are"
    return f"Partly right: {right} of {total} {nouns} {verb} {good}. Try again."


def _single(question: Question, response: str) -> Result:
    option = question.option(response)
    assert option is not None  # parse_answer returned one of the options
    ok = question.key.accepts(option.text, RIGHT)
    verdict = "Right." if ok else "Not right yet. Try again."
    mark = (option.text, ok, option.why)
    return Result(question.id, True, ok, 1.0 if ok else 0.0, verdict, (_mark(*mark),))


def _multiple(question: Question, response: list[str]) -> Result:
    right_options = [o for o in question.options if question.key.accepts(o.text, RIGHT)]
    chosen = [o for o in question.options if o.text in response]
    marks = tuple(_mark(o.text, o in right_options, o.why) for o in chosen)
    hits = sum(1 for o in chosen if o in right_options)
    misses = len(chosen) - hits
    left = len(right_options) - hits
    score = max(0.0, (hits - misses) / len(right_options))
    correct = misses == 0 and left == 0
    if correct:
        verdict = f"Right: you found all {len(right_options)} right options."
    else:
        verb = "is" if hits == 1 else "are"
        if misses == 0:
            said = f"your {_count(hits, 'choice')} {verb} right"
        else:
            said = f"{hits} of your {_count(len(chosen), 'choice')} {verb} right"
        if left:
            said += (
                f", but {_count(left, 'right option')} {'is' if left == 1 else 'are'} not selected"
            )
        verdict = ("Partly right: " if score > 0 else "Not right yet: ") + said + ". Try again."
    return Result(question.id, True, correct, score, verdict, marks)


def _true_false(question: Question, response: bool) -> Result:
    ok = question.key.accepts("statement", "true" if response else "false")
    truth = response if ok else not response
    verdict = ("Right: " if ok else "Not right: ") + f"the statement is {str(truth).lower()}."
    return Result(question.id, True, ok, 1.0 if ok else 0.0, verdict)


def _matching(question: Question, response: dict[str, str]) -> Result:
    if len(response) < len(question.items):
        left = len(question.items) - len(response)
        return Result(
            question.id,
            False,
            False,
            0.0,
            f"Choose a match for every item first: {left} of {len(question.items)} still empty.",
        )
    marks = []
    for item in question.items:
        choice = response[item.text]
        ok = question.key.accepts(item.text, choice)
        note = "" if ok else _note_on(question, choice)
        marks.append(_mark(f"{item.text} → {choice}", ok, note))
    right = sum(1 for m in marks if m.ok)
    total = len(marks)
    verdict = _verdict(right, total, "matches", "right")
    return Result(question.id, True, right == total, right / total, verdict, tuple(marks))


def _ordering(question: Question, response: list[str | None]) -> Result:
    empty = sum(1 for step in response if step is None)
    if empty:
        return Result(
            question.id,
            False,
            False,
            0.0,
            f"Put an item in every step first: {empty} of {len(response)} steps are still empty.",
        )
    marks = tuple(
        _mark(f"Step {n}: {text}", question.key.accepts(f"step {n}", str(text)))
        for n, text in enumerate(response, start=1)
    )
    right = sum(1 for m in marks if m.ok)
    verdict = _verdict(right, len(marks), "steps", "in place")
    return Result(question.id, True, right == len(marks), right / len(marks), verdict, marks)


def _short_text(question: Question, response: str) -> Result:
    answer = response
    if question.expects == "activity":
        course = load_course()
        found = find_activity(response, course.activities)
        if found is None:
            return _not_an_activity(question, response)
        answer = found.name
    ok = question.key.accepts("answer", answer)
    note = "" if ok else _note_on(question, answer)
    verdict = "Right." if ok else "Not right yet. Try again."
    return Result(question.id, True, ok, 1.0 if ok else 0.0, verdict, (_mark(answer, ok, note),))


def _not_an_activity(question: Question, typed: str) -> Result:
    course = load_course()
    practice = next(
        (p for p in course.practices if normalise(typed) in (normalise(p.name), normalise(p.id))),
        None,
    )
    if practice is not None:  # a real confusion: marked wrong, and explained
        note = "a practice, not an activity: practices support the activities"
        verdict = "Not right yet: that is a practice, not an activity. Try again."
        return Result(question.id, True, False, 0.0, verdict, (_mark(practice.name, False, note),))
    names = {normalise(a.name): a.name for a in course.activities}
    close = difflib.get_close_matches(normalise(typed), names, n=1, cutoff=0.6)
    hint = f" Did you mean {names[close[0]]!r}?" if close else ""
    listing = ", ".join(a.name for a in course.activities)
    return Result(
        question.id,
        False,
        False,
        0.0,
        f"{typed!r} is not one of the six activities.{hint} The activities are: {listing}.",
    )


def _note_on(question: Question, choice: str) -> str:
    """What the question says about a choice the learner picked (no right answer named)."""
    option = question.option(choice)
    return option.why if option is not None else ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _mark(label: str, ok: bool | None, note: str = "") -> Mark:
    return Mark(label, ok, note)


_MARKERS: dict[str, Callable[[Question, Any], Result]] = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "matching": _matching,
    "ordering": _ordering,
    "short_text": _short_text,
}
