"""Self-check quizzes in the notebook: ``course.quiz("six-activities")``.

Entry points
------------

``course.quiz(objective_id, *, shuffle=False, seed=None, n=None)``
    A :class:`Quiz` widget on one learning objective (ids as in
    ``course.load_course().objectives``). The options of its choice questions
    come in the learner's own order (:mod:`course.learner`: the same in every
    session, different between learners), or in ``seed``'s order when a seed is
    given. ``n`` takes a random subset of that size, ``shuffle`` also shuffles
    the questions; both follow ``seed``. An unknown id raises
    :class:`course.quizbank.UnknownObjectiveError`, which lists the valid ids.

``question_widget(question_id, *, shuffle=False, seed=None, graded=False)``
    One question widget on its own, built from its bank id. Graded questions
    build on this (``graded=True``: no *Check*, no verdict, the answer is
    recorded and graded after submission): every question widget has the synced traits
    ``question_id`` (the bank id) and ``response`` (the learner's current
    answer as plain JSON), so JupyterLab's saved widget state records what the
    learner chose. The classes (:class:`SingleChoiceQuestion`,
    :class:`MultipleChoiceQuestion`, :class:`TrueFalseQuestion`,
    :class:`MatchingQuestion`, :class:`OrderingQuestion`,
    :class:`ShortTextQuestion`) are importable from here and take a
    :class:`course.quizbank.Question`; :data:`WIDGETS` maps a question kind to its class.

Driving a question from code (tests, keyboard or screen-reader users)::

    q = course.quiz("six-activities").questions[0]
    q.answer(["Plan", "Improve"])   # what a click would choose; bad input -> a message
    result = q.check()               # same as clicking Check
    result.correct, result.score, result.feedback

Every check that can be marked is recorded for the progress page with
:func:`course.records.record_result`. The questions, keys and marking live in
the pure package :mod:`course.quizbank`.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from course.learner import layout_seed
from course.loader import load_course
from course.quizbank import Question, assemble, load_bank
from course.quizbank.select import arrange, shuffle_options

from ..graded import restored_answer
from ._keyboard import keyboard_friendly
from ._quiz_questions import (
    AnswerStatus,
    GradedQuestionError,
    MatchingQuestion,
    MultipleChoiceQuestion,
    OrderingQuestion,
    QuestionWidget,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
)
from ._quiz_view import CSS

__all__ = [
    "WIDGETS",
    "AnswerStatus",
    "GradedQuestionError",
    "MatchingQuestion",
    "MultipleChoiceQuestion",
    "OrderingQuestion",
    "QuestionWidget",
    "Quiz",
    "ShortTextQuestion",
    "SingleChoiceQuestion",
    "TrueFalseQuestion",
    "question_widget",
    "quiz",
]

WIDGETS: dict[str, type[QuestionWidget]] = {
    cls.kind: cls
    for cls in (
        SingleChoiceQuestion,
        MultipleChoiceQuestion,
        TrueFalseQuestion,
        MatchingQuestion,
        OrderingQuestion,
        ShortTextQuestion,
    )
}


def widget_for(
    question: Question, *, number: int = 1, total: int = 1, css: bool = True, graded: bool = False
) -> QuestionWidget:
    """The widget that asks ``question`` (already laid out)."""
    return WIDGETS[question.kind](question, number=number, total=total, css=css, graded=graded)


def question_widget(
    question_id: str,
    *,
    shuffle: bool = False,
    seed: int | str | None = None,
    graded: bool = False,
) -> QuestionWidget:
    """One question of the bank, by id, as a widget of its own.

    ``graded=True`` answers a graded question: no *Check*, no verdict, the
    options in the bank's order (typed letters count them from the top); the
    answer is recorded and graded after submission.

    After a kernel restart it starts from the answer saved in the notebook
    file (graded questions are answered this way), so nothing is lost.
    """
    question = load_bank().question(question_id)
    keyboard_friendly()
    made = widget_for(arrange(question, shuffle=shuffle and not graded, seed=seed), graded=graded)
    saved = restored_answer(question_id)
    if saved is not None:  # the choice saved in this notebook before a restart
        made.answer(saved)
    return made


class Quiz(w.VBox):
    """A self-check quiz: the questions, a running score, and a summary at the end."""

    def __init__(self, objective_id: str, questions: tuple[Question, ...]) -> None:
        super().__init__()
        self.objective_id = objective_id
        self.title = load_course().objective(objective_id).title
        total = len(questions)
        self.questions: list[QuestionWidget] = [
            widget_for(q, number=i, total=total, css=False) for i, q in enumerate(questions, 1)
        ]
        for question in self.questions:
            question.on_result(self._update)
        intro = (
            f'<div class="itil-quiz-title"><h3>Self-check: {escape(self.title)}</h3>'
            f"<p>{total} questions. Answer each one and press <strong>Check</strong>: the "
            "feedback explains why. <strong>Try again</strong> clears an answer; you may "
            "retry as often as you like.</p></div>"
        )
        self.score_line = w.HTML("")
        self.summary = w.HTML("")
        self.restart_button = w.Button(
            description="Start again",
            icon="refresh",
            tooltip="Clear every answer and the score, and start the quiz again",
        )
        self.restart_button.on_click(lambda _: self.restart())
        self.children = [
            w.HTML(CSS + intro),
            self.score_line,
            *self.questions,
            self.summary,
            self.restart_button,
        ]
        self.add_class("itil-quiz")
        self._update()

    @property
    def score(self) -> float:
        """The sum of the last scores of the questions checked so far."""
        return sum(q.score for q in self.questions)

    @property
    def checked(self) -> int:
        return sum(1 for q in self.questions if q.result is not None)

    def restart(self) -> None:
        """Clear every answer, result and try count (the records kept for progress stay)."""
        for question in self.questions:
            question.retry()
            question.result = None
            question.attempts = 0
        self._update()

    def summary_text(self) -> str:
        """The summary shown once every question has been checked ('' before)."""
        total = len(self.questions)
        if self.checked < total:
            return ""
        percent = round(100 * self.score / total)
        first_time = sum(
            1 for q in self.questions if q.result and q.result.correct and q.attempts == 1
        )
        weak = [q for q in self.questions if q.result is not None and not q.result.correct]
        lines = [
            f"Done: all {total} questions checked. "
            f"Score {_num(self.score)} of {total} ({percent}%).",
            f"Right at the first try: {first_time} of {total}.",
        ]
        if weak:
            lines.append("Worth another look:")
            lines += [
                f"- Question {q.number} (score {_num(q.score)}): {q.question.prompt}" for q in weak
            ]
        else:
            lines.append("Every answer is right now. Well done.")
        return "\n".join(lines)

    def _update(self, *_: object) -> None:
        total = len(self.questions)
        self.score_line.value = (
            '<div class="itil-score" role="status" aria-live="polite">'
            f"<strong>Score so far: {_num(self.score)} of {total}</strong> · "
            f"{self.checked} of {total} questions checked</div>"
        )
        text = self.summary_text()
        self.summary.value = _summary_html(text) if text else ""

    def __repr__(self) -> str:
        return f"<Quiz {self.objective_id!r}: {len(self.questions)} questions>"


def quiz(
    objective_id: str,
    *,
    shuffle: bool = False,
    seed: int | str | None = None,
    n: int | None = None,
) -> Quiz:
    """The self-check quiz widget on the learning objective ``objective_id``."""
    keyboard_friendly()
    layout = layout_seed(seed)
    questions = assemble(objective_id, shuffle=shuffle, seed=seed, n=n)
    return Quiz(objective_id, tuple(shuffle_options(q, layout) for q in questions))


def _summary_html(text: str) -> str:
    lines = text.splitlines()
    items = "".join(f"<li>{escape(line[2:])}</li>" for line in lines if line.startswith("- "))
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines if not line.startswith("- "))
    listing = f"<ul>{items}</ul>" if items else ""
    return (
        '<div class="itil-summary" role="status" aria-live="polite">'
        f"<h4>Summary</h4>{paragraphs}{listing}</div>"
    )


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
