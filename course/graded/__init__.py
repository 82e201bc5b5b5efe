"""Grading helpers for the course's nbgrader notebooks (pure: no widget import).

A graded question in a notebook is three cells: the question (markdown), the
answer (``activities = ...``, which the student replaces) and a locked test
cell. The test cell's visible part checks the form of the answer; its hidden
part, which only the source notebook holds, scores it::

    graded.check_names(activities, count=6)
    ### BEGIN HIDDEN TESTS
    graded.score_names(activities, ["Plan", ...], points=3)
    ### END HIDDEN TESTS

Answers are compared only after :func:`plain` has copied them into plain JSON
values, so an object with a rigged ``__eq__``, ``__hash__`` or ``__class__``
never passes. A malformed answer earns 0 with a message, never a traceback.

Where a widget can answer the question, the check and the scorer take its
``question`` id: a typed answer wins, and ``...`` falls back to the widget's
answer (live in the student's kernel; in autograding, from the notebook's
saved widget state, see :mod:`course.graded._widget_state`).

A key that is a fact of the course content (which activity a practice supports, the
six activities...) is never written in a hidden test: the test calls a helper of
:mod:`course.graded._content_keys` (``graded.practice_links([...])``...), which reads
the content when the test runs, so an edit of the content is an edit of the key.

The self-paced edition replaces each test cell by :func:`self_check` with the
question's key sealed (:mod:`course.graded._sealed`): a verdict at once, scored
by the same scorers (:mod:`course.graded._verdict`).
"""

from __future__ import annotations

from ._content_keys import (
    CONTENT_KEYS,
    ContentKeyError,
    all_activities,
    evaluate_key,
    key_activity_letters,
    output_owners,
    practice_letters,
    practice_links,
    practices_of,
    quiz_letters,
)
from ._grade import (
    check_choice,
    check_mapping,
    check_names,
    check_truth,
    score_choice,
    score_mapping,
    score_names,
    score_sequence,
    score_truth,
)
from ._plain import JSON, NOT_ANSWERED, AnswerError, describe, plain
from ._result import Problem, Result, format_points
from ._sealed import SealError, seal_spec
from ._stream import check_stream, score_stream
from ._verdict import Verdict, self_check
from ._widget_state import (
    ANSWER_TRAITS,
    ANSWERS_ENV,
    ANSWERS_FILE,
    STATE_MIME,
    is_empty,
    notebook_widget_answers,
    restored_answer,
    widget_answer,
)

__all__ = [
    "ANSWERS_ENV",
    "ANSWERS_FILE",
    "ANSWER_TRAITS",
    "CONTENT_KEYS",
    "JSON",
    "NOT_ANSWERED",
    "STATE_MIME",
    "AnswerError",
    "ContentKeyError",
    "Problem",
    "Result",
    "SealError",
    "Verdict",
    "all_activities",
    "check_choice",
    "check_mapping",
    "check_names",
    "check_stream",
    "check_truth",
    "describe",
    "evaluate_key",
    "format_points",
    "is_empty",
    "key_activity_letters",
    "notebook_widget_answers",
    "output_owners",
    "plain",
    "practice_letters",
    "practice_links",
    "practices_of",
    "quiz_letters",
    "restored_answer",
    "score_choice",
    "score_mapping",
    "score_names",
    "score_sequence",
    "score_stream",
    "score_truth",
    "seal_spec",
    "self_check",
    "widget_answer",
]
