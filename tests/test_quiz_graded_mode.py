"""A graded question answered through a quiz widget cannot be checked before submission.

Lesson 6 embeds bank questions (``six-names``, ``six-engage-purpose``) as one way to
answer graded questions. Their widgets run in graded mode: no *Check* button, no
verdict whatever the answer, and ``check()`` refuses to mark; the answer is still
recorded in the synced ``response`` trait, which is what the autograder reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as w
import pytest

from course import graded
from course.quizbank import load_bank
from course.records import load_records
from course.widgets.quiz import GradedQuestionError, QuestionWidget, question_widget

from .notebook_support import cells, notebooks
from .quiz_support import one_right_answer, solve

GRADED_WIDGETS = ["six-names", "six-engage-purpose"]


def _tree(widget: w.Widget) -> Iterator[w.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _tree(child)


def _wrong_answer(widget: QuestionWidget) -> object:
    key = solve(widget.question)
    others = [o.text for o in widget.question.options if o.text not in key]
    return others[:1] if widget.question.kind == "multiple" else others[0]


@pytest.mark.parametrize("question_id", GRADED_WIDGETS)
def test_a_graded_widget_has_no_check_button(question_id: str) -> None:
    made = question_widget(question_id, graded=True)
    labels = [c.description for c in _tree(made) if isinstance(c, w.Button)]
    assert "Check" not in labels, labels
    assert made.check_button not in list(_tree(made))


@pytest.mark.parametrize("question_id", GRADED_WIDGETS)
def test_a_graded_widget_says_the_same_for_a_right_and_a_wrong_answer(question_id: str) -> None:
    """Nothing it shows (feedback or status) depends on whether the answer is right."""
    made = question_widget(question_id, graded=True)
    before = len(load_records())
    right_status = made.answer(one_right_answer(made.question))
    right_feedback = made.feedback.value
    wrong_status = question_widget(question_id, graded=True).answer(_wrong_answer(made))
    assert right_status.accepted
    assert wrong_status.accepted
    assert right_status.message == wrong_status.message
    assert "graded after you submit" in right_feedback
    for shown in (right_feedback, right_status.message):
        assert not re.search(r"\b(right|wrong|correct|score)\b", shown, re.IGNORECASE), shown
    assert len(load_records()) == before, "a graded answer must not be marked for progress"


@pytest.mark.parametrize("question_id", GRADED_WIDGETS)
def test_check_on_a_graded_widget_refuses_to_mark(question_id: str) -> None:
    made = question_widget(question_id, graded=True)
    made.answer(one_right_answer(made.question))
    with pytest.raises(GradedQuestionError, match="graded"):
        made.check()
    assert made.result is None


def test_a_graded_widget_records_the_answer_the_graded_cell_reads() -> None:
    """The answer is kept in ``response``, where the hidden tests (and the autograder) find it."""
    made = question_widget("six-engage-purpose", graded=True)
    made.answer(one_right_answer(made.question))
    assert made.response == solve(made.question)
    assert graded.widget_answer("six-engage-purpose") == made.response


def test_a_graded_widget_shows_the_options_in_the_order_their_letters_count() -> None:
    """Typed letters count the options from the top, so a graded widget never shuffles."""
    made = question_widget("six-engage-purpose", graded=True, shuffle=True, seed=3)
    shown = [o.text for o in made.question.options]
    assert shown == [o.text for o in load_bank().question("six-engage-purpose").options]


def test_a_self_check_widget_still_has_its_check_button() -> None:
    made = question_widget("six-names")
    assert made.check_button in list(_tree(made))
    assert made.check().valid is False  # nothing chosen yet: a note, not a verdict


def _graded_widget_calls() -> list[tuple[Path, str, str]]:
    found = []
    for path in notebooks():
        for cell in cells(path.parent.name):
            text = "".join(cell["source"])
            for call in re.finditer(r"question_widget\((?P<args>[^)]*)\)", text):
                found.append(
                    (path, cell["metadata"].get("nbgrader", {}).get("grade_id", ""), call["args"])
                )
    return found


def test_every_quiz_widget_in_a_graded_notebook_is_in_graded_mode() -> None:
    """Lessons embed bank questions only to answer graded questions: each in graded mode."""
    calls = _graded_widget_calls()
    assert {re.search(r'"([^"]+)"', args)[1] for _, _, args in calls} >= set(GRADED_WIDGETS)
    for path, grade_id, args in calls:
        assert "graded=True" in args, f"{path.name}, cell {grade_id}: question_widget({args})"
