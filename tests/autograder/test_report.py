"""``report``: the class report is one HTML page with its plots and tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.engine.grade import BatchResult
from autograder.outputs.charts import bar_chart
from autograder.outputs.report import objective_of, render_answer
from tests.autograder.fixtures.pytest_fixtures import XSS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(graded_class: tuple[Path, BatchResult]) -> str:
    course, _ = graded_class
    assert main(["--course-dir", str(course), "report", "ps1"]) == 0
    return (course / "autograded" / "ps1-report.html").read_text()


def test_the_report_has_its_three_plots(report: str) -> None:
    assert len(re.findall(r"<svg class=\"chart\"", report)) == 3
    for section in ("distribution", "difficulty", "mastery", "wrong", "review"):
        assert f"id='{section}'" in report


def test_the_distribution_counts_every_student(report: str) -> None:
    counts = re.findall(r"<title>(\d+-\d+%): (\d+) students</title>", report)
    assert sum(int(n) for _, n in counts) == 6
    assert ("90-100%", "2") in counts  # alice and dave, 9/9


def test_difficulty_is_the_share_of_points_earned_per_question(report: str) -> None:
    """Frank's unreadable q4 is left out; nobody else's score is."""
    shares = dict(re.findall(r"<title>(q\d-test): (\d+%)</title>", report))
    assert shares == {"q4-test": "50%", "q1-test": "83%", "q2-test": "50%", "q3-test": "75%"}


def test_a_share_under_half_is_drawn_in_the_warning_colour() -> None:
    svg = bar_chart([("easy", 0.9), ("hard", 0.2)], "shares")
    assert re.search(r'fill="#3b6ea8"><title>easy: 90%', svg)
    assert re.search(r'fill="#c0504d"><title>hard: 20%', svg)


def test_wrong_value_streams_are_drawn_as_steps(report: str) -> None:
    assert "value stream: Plan → Plan → Plan → Plan" in report
    assert "value stream: Engage → Obtain/Build → Plan → Plan" in report


def test_student_text_is_escaped(report: str) -> None:
    assert XSS not in report
    assert "&lt;script&gt;" in report


def test_the_review_table_names_the_student(report: str) -> None:
    assert re.search(r"<td>frank</td><td>bonus.ipynb: is not valid JSON", report)


def test_objectives_come_from_practice_ids_or_the_assignment_name() -> None:
    assert objective_of("06-practice", "pq3-stream") == "value-streams"
    assert objective_of("04-value-streams", "q4-1") == "value-streams"
    assert objective_of("02-anything", "q2-1") == "six-activities"
    assert objective_of("ps1", "q1-test") == ""


def test_answers_render_as_short_text() -> None:
    assert render_answer(["engage", "plan"], "payroll_stream") == ("Engage → Plan", True)
    assert render_answer(["engage", "plan"], "activities") == ("['engage', 'plan']", False)
    assert render_answer({"t": "ellipsis"})[0].startswith("... (not typed")
    assert render_answer("C") == ("'C'", False)
