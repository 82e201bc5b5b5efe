"""The quiz widgets: driven from code and by (simulated) clicks, with the same outcome.

A "click" here is what the front end does: it sends the new control state,
which ipywidgets applies with ``set_state``, then the button's click message.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest

import course
from course.quizbank import UnknownObjectiveError, UnknownQuestionError, load_bank
from course.records import load_records
from course.widgets.quiz import (
    WIDGETS,
    MatchingQuestion,
    QuestionWidget,
    Quiz,
    question_widget,
)

from ..quiz_support import one_right_answer, one_wrong_answer

ONE_OF_EACH = {
    kind: next(q.id for q in load_bank().questions if q.kind == kind) for kind in WIDGETS
}


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def _click(widget: QuestionWidget, answer: Any) -> None:
    """Set the controls as the browser would (``set_state`` from the front end)."""
    kind = widget.question.kind
    if kind in ("single", "true_false"):
        labels = list(widget.controls[0]._options_labels)
        label = answer if kind == "single" else ("True" if answer else "False")
        widget.controls[0].set_state({"index": labels.index(label)})
    elif kind == "multiple":
        for box in widget.controls:
            box.set_state({"value": box.description in answer})
    elif kind in ("matching", "ordering"):
        if kind == "matching":
            wanted = [answer[item.text] for item in widget.question.items]
        else:
            wanted = list(answer)
        for control, value in zip(widget.controls, wanted, strict=True):
            control.set_state({"index": list(control._options_labels).index(value)})
    else:
        widget.controls[0].set_state({"value": answer})


@pytest.mark.parametrize("kind", list(WIDGETS))
def test_answer_and_check_give_the_same_result_as_clicking(kind: str) -> None:
    by_code = question_widget(ONE_OF_EACH[kind])
    by_click = question_widget(ONE_OF_EACH[kind])
    answer = one_right_answer(by_code.question)
    status = by_code.answer(answer)
    assert status.accepted, status.message
    result = by_code.check()
    _click(by_click, answer)
    by_click.check_button.click()
    assert (result.valid, result.correct, result.score) == (True, True, 1.0)
    assert by_click.result == result
    assert by_click.response == by_code.response
    assert by_click.feedback.value == by_code.feedback.value
    assert "Right" in by_code.feedback.value


@pytest.mark.parametrize("kind", list(WIDGETS))
def test_the_response_trait_is_plain_json_of_what_was_chosen(kind: str) -> None:
    widget = question_widget(ONE_OF_EACH[kind])
    assert widget.response is None
    answer = one_right_answer(widget.question)
    _click(widget, answer)
    saved = json.loads(json.dumps(widget.get_state()["response"]))
    assert saved == widget.response
    assert saved is not None
    assert widget.get_state()["question_id"] == widget.question.id
    assert type(widget).question_id.help
    assert type(widget).response.help


def test_a_wrong_multiple_choice_is_partly_right_and_explains_each_choice() -> None:
    widget = question_widget("prac-deliver")
    widget.answer(["Incident Management", "Problem Management"])
    result = widget.check()
    assert (result.correct, result.partial) == (False, False)
    assert result.score == 0.0
    assert "Problem Management supports Improve." in result.feedback
    assert "✗ wrong: Problem Management" in result.feedback
    html = widget.feedback.value
    assert 'role="status"' in html
    assert "Wrong:" in html
    assert "Right:" in html


def test_partial_matching_marks_each_pair() -> None:
    widget = question_widget("six-outputs")
    answer = one_right_answer(widget.question)
    answer["Test results"] = "Obtain/Build"
    widget.answer(answer)
    result = widget.check()
    assert result.partial
    assert result.score == pytest.approx(5 / 6)
    assert "Partly right: 5 of 6 matches are right." in result.feedback
    assert "itil-partial" in widget.feedback.value


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        ("six-procure-scenario", "Build it", "'Build it' is not one of the choices"),
        ("six-names", 7, "Give the options you select as a list of their texts"),
        ("svc-universal", "perhaps", "Answer True or False"),
        ("six-outputs", {"Test reports": "Plan"}, "'Test reports' is not one of the items"),
        ("vs-incident-order", ["Engage"], "Give the order as a list of all 4 items"),
        ("six-test-results", ["Plan"], "Type the answer as text"),
    ],
)
def test_a_malformed_answer_gives_a_message_not_a_traceback(
    question_id: str, value: object, message: str, data: Path
) -> None:
    widget = question_widget(question_id)
    status = widget.answer(value)
    assert not status.accepted
    assert message in repr(status)
    assert message in widget.feedback.value.replace("&#x27;", "'")
    assert widget.response is None
    result = widget.check()
    assert not result.valid
    assert load_records() == []


def test_checking_with_nothing_chosen_asks_for_an_answer_and_records_nothing() -> None:
    widget = question_widget("six-purposes")
    result = widget.check()
    assert not result.valid
    assert "Choose a match for every item first" in result.feedback
    assert widget.attempts == 0
    assert load_records() == []


def test_each_marked_check_is_recorded_with_objective_score_and_attempt() -> None:
    widget = question_widget("vs-incident-order")
    widget.answer(["Engage", "Deliver & Support", "Obtain/Build", "Improve"])
    widget.check()
    widget.answer(one_right_answer(widget.question))
    widget.check()
    records = load_records()
    assert [(r.kind, r.item, r.objective) for r in records] == [
        ("quiz", "vs-incident-order", "value-streams")
    ] * 2
    assert [r.score for r in records] == [0.5, 1.0]
    assert [r.attempt for r in records] == [1, 2]
    assert records[0].detail["response"] == [
        "Engage",
        "Deliver & Support",
        "Obtain/Build",
        "Improve",
    ]
    assert records[1].detail["correct"] is True
    assert records[0].time <= records[1].time


def test_a_result_that_cannot_be_saved_is_still_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("ITIL_COURSE_DATA", str(blocker))
    widget = question_widget("svc-universal")
    widget.answer(True)
    result = widget.check()
    assert result.correct
    assert "could not be saved" in widget.feedback.value


def test_try_again_clears_the_answer_and_the_explanation_comes_with_the_second_try() -> None:
    widget = question_widget("six-procure-scenario")
    widget.answer("Plan")
    first = widget.check()
    assert first.explanation == ""
    widget.retry_button.click()
    assert widget.response is None
    assert widget.feedback.value == ""
    assert widget.controls[0].index is None
    widget.answer("Deliver & Support")
    second = widget.check()
    assert (second.correct, widget.attempts) == (False, 2)
    assert second.explanation
    assert "Why:" in widget.feedback.value


def test_changing_the_answer_after_a_check_says_so() -> None:
    widget = question_widget("svc-universal")
    widget.answer(False)
    widget.check()
    _click(widget, True)
    assert "Answer changed: press Check to mark it." in widget.feedback.value


# -- the quiz --------------------------------------------------------------------------------


def test_course_quiz_lists_the_objectives_questions() -> None:
    quiz = course.quiz("six-activities")
    assert isinstance(quiz, Quiz)
    assert [q.question_id for q in quiz.questions] == list(
        course.quizbank.question_ids("six-activities")
    )
    assert all(isinstance(q, QuestionWidget) for q in quiz.questions)
    assert "Self-check: The six activities" in quiz.children[0].value


def test_an_unknown_objective_lists_the_valid_ids() -> None:
    with pytest.raises(UnknownObjectiveError) as info:
        course.quiz("value-stream")
    assert "Did you mean 'value-streams'?" in str(info.value)
    assert "what-is-svc, six-activities, activities-together" in str(info.value)


def test_subset_and_shuffle_are_reproducible_with_the_seed() -> None:
    one = course.quiz("activities-practices", n=5, shuffle=True, seed=11)
    two = course.quiz("activities-practices", n=5, shuffle=True, seed=11)
    assert len(one.questions) == 5
    assert [q.question_id for q in one.questions] == [q.question_id for q in two.questions]
    assert [q.question.options for q in one.questions] == [
        q.question.options for q in two.questions
    ]


def test_running_score_summary_and_start_again() -> None:
    quiz = course.quiz("what-is-svc", n=3, seed=2)
    first, second, third = quiz.questions
    assert "Score so far: 0 of 3" in quiz.score_line.value
    first.answer(one_right_answer(first.question))
    first.check()
    assert "Score so far: 1 of 3" in quiz.score_line.value
    assert "1 of 3 questions checked" in quiz.score_line.value
    assert quiz.summary.value == ""
    second.answer(one_right_answer(second.question))
    second.check()
    third.answer(one_wrong_answer(third.question))
    assert not third.check().correct
    assert quiz.checked == 3
    text = quiz.summary_text()
    assert text.startswith("Done: all 3 questions checked. Score ")
    assert "Right at the first try: 2 of 3." in text
    assert "Worth another look:\n- Question 3 (score 0" in text
    assert "Summary" in quiz.summary.value
    quiz.restart_button.click()
    assert quiz.score == 0
    assert quiz.checked == 0
    assert quiz.summary.value == ""
    assert all(q.response is None for q in quiz.questions)


def test_a_perfect_run_says_so() -> None:
    quiz = course.quiz("value-streams")
    for question in quiz.questions:
        question.answer(one_right_answer(question.question))
        assert question.check().correct
    assert quiz.score == len(quiz.questions)
    assert "(100%)" in quiz.summary_text()
    assert "Every answer is right now." in quiz.summary_text()


def test_question_widget_builds_any_bank_question_by_id() -> None:
    widget = question_widget("six-outputs")
    assert isinstance(widget, MatchingQuestion)
    assert widget.question_id == "six-outputs"
    with pytest.raises(UnknownQuestionError):
        question_widget("six-output")


# -- accessibility --------------------------------------------------------------------------


def _controls(quiz: Quiz) -> list[Any]:
    found = []
    todo: list[Any] = [quiz]
    while todo:
        item = todo.pop()
        if isinstance(item, w.Box):
            todo.extend(item.children)
        else:
            found.append(item)
    return found


@pytest.mark.parametrize("objective", [o.id for o in course.load_course().objectives])
def test_every_control_has_a_text_a_screen_reader_can_read(objective: str) -> None:
    for control in _controls(course.quiz(objective)):
        if isinstance(control, w.Button):
            assert control.description.strip(), control
            assert control.tooltip, control
        elif isinstance(control, (w.RadioButtons, w.Dropdown, w.Text)):
            assert control.description.strip(), control
            assert control.tooltip
            if isinstance(control, w.RadioButtons):
                assert all(label.strip() for label in control._options_labels)
        elif isinstance(control, w.Checkbox):
            assert control.description.strip()
        else:
            assert isinstance(control, w.HTML), control


PURE_FIRST = (
    "import course.quizbank.bank\nimport course\nquiz = course.quiz('six-activities', n=2)\n"
)
WIDGET_FIRST = (
    "import course\nquiz = course.quiz('six-activities', n=2)\nimport course.quizbank.bank\n"
)
REPORT = (
    "import course.widgets.quiz as view\n"
    "print(type(quiz).__name__, len(quiz.questions), len(course.quizbank.question_ids()),"
    " view.quiz is course.quiz)\n"
)


@pytest.mark.parametrize("start", [PURE_FIRST, WIDGET_FIRST], ids=["pure-first", "widget-first"])
def test_course_quiz_is_the_widget_entry_point_whatever_was_imported_first(start: str) -> None:
    """`course.quiz` stays the quiz entry point beside the pure `course.quizbank` package."""
    out = subprocess.run(
        [sys.executable, "-c", start + REPORT], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["Quiz", "2", str(len(load_bank().questions)), "True"]
