"""The kit's feedback steps, on small notebooks: lateness said as a person says it,
question titles from the source, widgets and display objects as readable text, and a
review banner that says where review stands."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder.engine.gradebook import BANNER_ID
from autograder.outputs.feedback_steps import (
    WIDGET_NOTE,
    FeedbackCleanup,
    late_text,
    question_titles,
)


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(30, "1 min"), (12 * 60, "12 min"), (5 * 3600 + 20 * 60, "5 h 20 min"),
     (2 * 86400 + 3 * 3600 + 59, "2 days 3 h"), (86400, "1 day")],
)  # fmt: skip
def test_lateness_is_said_in_days_hours_and_minutes(seconds: float, said: str) -> None:
    assert late_text(seconds) == said


def _grade(grade_id: str, source: str = "check()") -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": 1}
    return cell


def test_titles_come_from_the_source_headings(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    question = nbformat.v4.new_markdown_cell("### Question 6.1 · 3 points\n\nList them.")
    question.metadata["nbgrader"] = {"locked": True, "grade_id": "pq1-question"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Practice question 1: *What are the six?*"),
        question,
        _grade("pq1"),
        nbformat.v4.new_markdown_cell("A paragraph that is not a heading, but long enough " * 3),
        _grade("pq2"),
    ]
    path = tmp_path / "a.ipynb"
    nbformat.write(nb, path)
    assert question_titles(path) == {
        "pq1": "Practice question 1: What are the six? (Question 6.1 · 3 points)",
        "pq2": "Practice question 1: What are the six?",
    }


def _output(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("execute_result", data={"text/plain": text})


def test_widgets_become_the_answer_as_graded_and_display_objects_go() -> None:
    nb = nbformat.v4.new_notebook()
    widget = nbformat.v4.new_code_cell('course.builder("x", question_id="pq3-stream")')
    widget.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/plain": "<IPython.core.display.Javascript object>"}
        ),
        _output('ValueStreamBuilder(children=(HTML(value="<h3>Graded question</h3>"),))'),
    ]
    banner = nbformat.v4.new_markdown_cell("**Autograder: needs review.**\n\n- pq3: lost")
    banner.metadata["autograder"] = {"banner": BANNER_ID}
    nb.cells = [banner, widget, nbformat.v4.new_code_cell("portal = ..."), _grade("pq3-stream")]
    nb.metadata["widgets"] = {"state": {}}
    answers = {"pq3-stream": {"portal": ["Engage", "Plan"]}}
    resources = {"nbgrader": {"answers": answers, "pending": False}}
    nb, _ = FeedbackCleanup().preprocess(nb, resources)
    assert "widgets" not in nb.metadata
    assert [o["data"]["text/plain"] for o in nb.cells[1].outputs] == [
        f"{WIDGET_NOTE}\nYour answer to pq3-stream, as graded:\n  portal = Engage → Plan"
    ]
    assert nb.cells[0].source == (
        "**Reviewed by hand.** Your instructor has reviewed what the autograder flagged:"
        "\n\n- pq3: lost"
    )


def test_a_pending_review_says_the_instructor_will_look() -> None:
    nb = nbformat.v4.new_notebook()
    banner = nbformat.v4.new_markdown_cell("**Autograder: needs review.**\n\n- pq3: lost")
    banner.metadata["autograder"] = {"banner": BANNER_ID}
    nb.cells = [banner]
    nb, _ = FeedbackCleanup().preprocess(nb, {"nbgrader": {"pending": True}})
    assert nb.cells[0].source.startswith("**Autograder: needs review.** Your instructor will")


def test_a_builder_that_answers_a_question_is_not_titled_free_mode() -> None:
    from course.widgets._builder_view import header_html

    assert "free mode" in header_html(None)
    titled = header_html(None, "pq3-stream")
    assert "free mode" not in titled
    assert "Graded question pq3-stream" in titled
