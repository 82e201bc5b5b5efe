"""Real nbgrader grades the course: generate, submit fake students, autograde, exact scores."""

from __future__ import annotations

import pytest

from .answers import TYPED, WIDGET
from .conftest import GradedCourse
from .nbgrading import assignments, errors_in

pytestmark = pytest.mark.slow

GRADED = [a for a in assignments() if a != "00-start-here"]


def _question_ids(course: GradedCourse, assignment: str) -> list[str]:
    return sorted(course.results("solutions", assignment))


@pytest.mark.parametrize("assignment", GRADED)
def test_the_source_solutions_score_full_marks_on_every_graded_cell(
    graded_course: GradedCourse, assignment: str
) -> None:
    graded = graded_course.results("solutions", assignment)
    assert graded, f"{assignment} has no graded cells"
    assert {q: g.score for q, g in graded.items()} == {q: g.max_score for q, g in graded.items()}
    assert errors_in(graded_course.autograded("solutions", assignment)) == []


@pytest.mark.parametrize("assignment", assignments())
def test_the_release_as_handed_out_runs_without_errors_and_scores_zero(
    graded_course: GradedCourse, assignment: str
) -> None:
    graded = graded_course.results("blank", assignment)
    assert {q: g.score for q, g in graded.items()} == dict.fromkeys(graded, 0)
    assert errors_in(graded_course.autograded("blank", assignment)) == []


@pytest.mark.parametrize("student", ["wrong", "partial", "hostile"])
@pytest.mark.parametrize("assignment", GRADED)
def test_typed_answers_get_exactly_their_points(
    graded_course: GradedCourse, assignment: str, student: str
) -> None:
    graded = graded_course.results(student, assignment)
    expected = {q: TYPED[q][student][1] for q in graded}
    assert {q: g.score for q, g in graded.items()} == expected


@pytest.mark.parametrize("assignment", GRADED)
def test_malformed_and_rigged_answers_show_a_message_never_a_traceback(
    graded_course: GradedCourse, assignment: str
) -> None:
    """Rigged __eq__, str subclasses, a faked __class__, wrong types: 0 points, with a reason."""
    assert errors_in(graded_course.autograded("hostile", assignment)) == []
    for question, graded in graded_course.results("hostile", assignment).items():
        shown = [o for o in graded.outputs if o["output_type"] == "execute_result"]
        assert shown, f"{question}: no result shown"
        assert "0 of" in shown[-1]["data"]["text/html"], question


@pytest.mark.parametrize("assignment", sorted(WIDGET))
def test_answers_saved_in_the_widget_state_are_graded(
    graded_course: GradedCourse, assignment: str
) -> None:
    """The newest widget per question counts; a typed answer wins over a widget's."""
    graded = graded_course.results("widget", assignment)
    assert {q: g.score for q, g in graded.items()} == WIDGET[assignment][2]
    assert errors_in(graded_course.autograded("widget", assignment)) == []


def test_every_graded_question_has_answers_for_every_fake_student(
    graded_course: GradedCourse,
) -> None:
    questions = {q for a in GRADED for q in _question_ids(graded_course, a)}
    assert questions == set(TYPED)
    for question, students in TYPED.items():
        assert set(students) == {"wrong", "partial", "hostile"}, question
