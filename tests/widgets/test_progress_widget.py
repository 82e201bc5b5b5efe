"""The progress view and the start-page widgets."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import course
from course import records
from course.quizbank import question_ids


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def test_progress_table_shows_status_score_and_what_to_revisit() -> None:
    records.record_result("quiz", "vs-all-six", "value-streams", 0.5)
    records.record_result("stream", "incident-resolution", "value-streams", 1.0)
    view = course.progress(available={"value-streams": 8})
    table = view.table.value
    assert "4. How to create value streams" in table
    assert "in progress" in table
    assert "75%" in table
    assert "1 of 8 question(s), 1 value stream(s)" in table
    assert "Every value stream must use all six activities. (50%)" in table
    assert "Incident Resolution" not in table  # fully right: nothing to revisit
    assert table.count("not started") == 4


def test_revisit_names_questions_and_exercises_not_ids() -> None:
    """A learner reads the question's prompt (shortened) and the exercise's title."""
    records.record_result("quiz", "six-dt-procures", "six-activities", 0.0)
    records.record_result("stream", "email-outage", "value-streams", 0.5)
    table = course.progress().table.value
    assert "Design &amp; Transition is the activity that procures hardware… (0%)" in table
    assert "Email is down for the sales team (50%)" in table
    assert "six-dt-procures" not in table
    assert "email-outage" not in table


def test_revisit_falls_back_to_the_id_of_a_retired_question() -> None:
    records.record_result("quiz", "retired-question", "what-is-svc", 0.25)
    assert "retired-question (25%)" in course.progress().table.value


def test_coverage_counts_the_bank_questions_without_being_told() -> None:
    """``course.progress()`` alone says how many of the objective's questions were tried."""
    records.record_result("quiz", "vs-all-six", "value-streams", 1.0)
    table = course.progress().table.value
    total = len(question_ids("value-streams"))
    assert f"1 of {total} question(s), 0 value stream(s)" in table


def test_refresh_picks_up_new_results() -> None:
    view = course.progress()
    assert "Nothing recorded yet" in view.table.value
    records.record_result("quiz", "svc-universal", "what-is-svc", 1.0)
    view.refresh_button.click()
    assert "Nothing recorded yet" not in view.table.value
    assert "in progress" in view.table.value  # one question of many: not mastered yet
    for question_id in question_ids("what-is-svc"):
        records.record_result("quiz", question_id, "what-is-svc", 1.0)
    view.refresh_button.click()
    assert "mastered" in view.table.value


@pytest.mark.slow
def test_progress_survives_a_kernel_restart(data: Path) -> None:
    """A result recorded in one kernel shows in the progress view of the next."""
    first = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "from course import records\n"
                "records.record_result('stream', 'new-service-request', 'value-streams', 0.5)"
            )
        ]
    )
    second = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import course\nprint(course.progress().table.value)")]
    )
    NotebookClient(first, timeout=60, kernel_name="python3").execute()
    NotebookClient(second, timeout=60, kernel_name="python3").execute()
    shown = second.cells[0].outputs[0]["text"]
    assert "New Service Request (50%)" in shown
    assert "in progress" in shown
