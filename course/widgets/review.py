"""The mixed review on the start page: ``course.review()``.

Five self-check questions from all the learning objectives, chosen by
:func:`course.retrieval.pick_review` from the learner's records (wrong answers
and questions not seen for longest first), for about five minutes of
retrieval practice. Each question checks and records like any quiz question,
so the next review knows what was answered. **Another set** picks again from
the records as they are now.
"""

from __future__ import annotations

import datetime as dt
import time
from html import escape

import ipywidgets as w

from ..loader import load_course
from ..quizbank import load_bank
from ..quizbank.select import arrange
from ..records import load_records
from ..retrieval import ReviewItem, pick_review
from ._keyboard import keyboard_friendly
from ._quiz_questions import QuestionWidget
from ._quiz_view import CSS
from .quiz import widget_for

__all__ = ["MixedReview", "review"]


class MixedReview(w.VBox):
    """A few questions from every objective, most due first."""

    def __init__(self, size: int, seed: int | str) -> None:
        super().__init__()
        self.size = size
        self.seed = seed
        self.rounds = 0
        self.items: tuple[ReviewItem, ...] = ()
        self.questions: list[QuestionWidget] = []
        self.again_button = w.Button(
            description="Another set",
            icon="refresh",
            tooltip="Pick again from your results as they are now",
        )
        self.again_button.on_click(lambda _: self.pick())
        self.add_class("itil-review")  # not "itil-quiz": that marks a lesson's quiz
        self.layout.max_width = "880px"
        self.pick()

    def pick(self) -> tuple[ReviewItem, ...]:
        """Choose the questions again from the records, and show them."""
        bank = load_bank()
        questions = {objective: bank.ids(objective) for objective in bank.objectives}
        seed = f"{self.seed}:{self.rounds}"
        self.rounds += 1
        self.items = pick_review(
            load_records(), questions, now=time.time(), size=self.size, seed=seed
        )
        titles = {o.id: (o.number, o.title) for o in load_course().objectives}
        total = len(self.items)
        self.questions = [
            widget_for(arrange(bank.question(item.question)), number=i, total=total, css=False)
            for i, item in enumerate(self.items, 1)
        ]
        rows = []
        for item, question in zip(self.items, self.questions, strict=True):
            number, title = titles[item.objective]
            rows.append(
                w.HTML(
                    f'<div class="itil-review-why"><small>Lesson {number}, {escape(title)} '
                    f"&middot; {escape(item.reason)}</small></div>"
                )
            )
            rows.append(question)
        intro = (
            '<div class="itil-quiz-title"><p><strong>Five-minute review:</strong> '
            f"{total} questions from across the course, the most due first. Answer each "
            "and press <strong>Check</strong>; your results count in your progress.</p></div>"
        )
        self.children = [w.HTML(CSS + intro), *rows, self.again_button]
        return self.items


def review(size: int = 5, seed: int | str | None = None) -> MixedReview:
    """The mixed review; ``seed`` defaults to today's date, so a re-run the same day
    (with the same results) shows the same questions."""
    keyboard_friendly()
    return MixedReview(size, dt.date.today().isoformat() if seed is None else seed)
