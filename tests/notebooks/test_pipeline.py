"""Real nbgrader grades the course: generate, submit fake students, autograde, exact scores."""

from __future__ import annotations

import nbformat
import pytest

from .answers import NONSENSE, TYPED, WIDGET
from .conftest import GradedCourse
from .nbgrading import SOURCE, assignments, errors_in, notebook_path

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


STREAM_QUESTIONS = {
    "q3-2": "03-activities-together",
    "q4-1": "04-value-streams",
    "q4-2": "04-value-streams",
    "pq3-stream": "06-practice",
}


def _hidden_test(assignment: str, question: str) -> str:
    nb = nbformat.read(notebook_path(SOURCE, assignment), 4)
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == question]
    return str(cell.source.split("### BEGIN HIDDEN TESTS")[1])


def test_the_stream_questions_are_the_nonsense_students_questions() -> None:
    assert sorted(NONSENSE) == sorted(STREAM_QUESTIONS)


@pytest.mark.parametrize("question", sorted(STREAM_QUESTIONS))
def test_the_graded_stream_questions_are_regraded_from_the_source_at_full_marks(
    graded_course: GradedCourse, question: str
) -> None:
    """Q3.2, Q4.1, Q4.2 and Q6.3b score on their scenario's rubric: the source solution
    (one good answer of several) earns every point."""
    assignment = STREAM_QUESTIONS[question]
    graded = graded_course.results("solutions", assignment)[question]
    assert graded.score == graded.max_score > 0
    assert "graded.score_stream(" in _hidden_test(assignment, question)
    assert "scenario=" in _hidden_test(assignment, question)


@pytest.mark.parametrize("student", ["nonsense", "padded"])
@pytest.mark.parametrize("question", sorted(STREAM_QUESTIONS))
def test_the_streams_issue_12_found_mis_scored_earn_at_most_half(
    graded_course: GradedCourse, question: str, student: str
) -> None:
    """Padding, activities repeated without purpose, steps the situation does not need,
    a reversed stream: at most half the points, where they used to earn up to all."""
    assignment = STREAM_QUESTIONS[question]
    graded = graded_course.results(student, assignment)[question]
    assert graded.score <= graded.max_score / 2, (student, question, graded.score)
    assert errors_in(graded_course.autograded(student, assignment)) == []


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
