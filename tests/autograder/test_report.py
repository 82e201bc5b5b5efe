"""``report``: the class report is one HTML page with its plots and tables."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.cli import main
from autograder.course_layout import open_course
from autograder.engine.grade import BatchResult
from autograder.engine.results import GradingNotes
from autograder.outputs.answers import Judged, QuestionSpec, judge, question_specs
from autograder.outputs.charts import bar_chart
from autograder.outputs.export import ExportRow
from autograder.outputs.report import build_report, objective_of, render_answer, wrong_answers
from course.graded import score_stream
from course.scenarios import scenario
from tests.autograder.fixtures.offline_html import remote_loads
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
    assert render_answer({"t": "ellipsis"}) == ("no answer", False)
    assert render_answer("C") == ("'C'", False)


# --- the report's fixes: who did not submit, "no answer", whole mappings, notebook order,
# streams judged by the lesson's scorer, nothing loaded from the network.

ROSTER_ONLY = "zed"


@pytest.fixture(scope="module")
def with_absent(
    graded_class: tuple[Path, BatchResult], tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The report of the class with one more student on the roster who handed nothing in."""
    course = tmp_path_factory.mktemp("absent") / "course"
    shutil.copytree(graded_class[0], course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "itil-svc") as gb:
        gb.update_or_create_student(ROSTER_ONLY, first_name="Zed", last_name="Zulu")
    return build_report(open_course(course), "ps1")


def test_a_student_who_did_not_submit_is_counted_apart_not_as_needing_review(
    with_absent: str,
) -> None:
    assert "<span class='kpi'>Need review<b>1</b></span>" in with_absent  # frank only
    assert "<span class='kpi'>Did not submit<b>1</b></span>" in with_absent
    assert "<h2 id='absent'>Did not submit</h2><p>zed</p>" in with_absent
    review = with_absent[with_absent.index("id='review'") : with_absent.index("id='absent'")]
    assert "zed" not in review
    assert "<p class='muted'>7 students;" in with_absent
    counts = re.findall(r"<title>\d+-\d+%: (\d+) students</title>", with_absent)
    assert sum(int(n) for n in counts) == 6  # zed's missing work is not a score of 0


def test_an_unanswered_ellipsis_reads_no_answer_wherever_it_is() -> None:
    assert render_answer({"t": "ellipsis"}) == ("no answer", False)
    nested = {"t": "dict", "v": [["Service Desk", {"t": "ellipsis"}], ["Risk Management", "Plan"]]}
    assert render_answer(nested) == (
        "{'Service Desk': no answer, 'Risk Management': 'Plan'}",
        False,
    )
    assert "Ellipsis" not in render_answer({"t": "tuple", "v": [{"t": "ellipsis"}]})[0]


PAIRS = {
    "Service Desk": "deliver-support",
    "Risk Management": "plan",
    "Release Management": "design-transition",
    "Measurement and Reporting": "improve",
    "Relationship Management": "engage",
    "Development and Management": "obtain-build",
}
RIGHT_PAIRS = {
    "Service Desk": "Deliver & Support",
    "Risk Management": "Plan",
    "Release Management": "Design & Transition",
    "Measurement and Reporting": "Improve",
    "Relationship Management": "Engage",
    "Development and Management": "Obtain/Build",
}


def _tag(value: object) -> object:
    """A plain value tagged as the grader stores answers."""
    if value is ...:
        return {"t": "ellipsis"}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[k, _tag(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [_tag(v) for v in value]
    return value


def test_a_mapping_answer_shows_its_wrong_pairs_first_however_long_it_is() -> None:
    """The last pair is the wrong one; the text leads with it (and the unanswered one)."""
    spec = QuestionSpec("pq4-pairs", scorer="score_mapping", key=PAIRS)
    answer = {**RIGHT_PAIRS, "Relationship Management": ..., "Development and Management": "Plan"}
    judged = judge(spec, _tag(answer), "supported_by")
    assert judged == Judged(
        "Relationship Management → no answer; Development and Management → 'Plan' "
        "(4 of 6 pairs right)",
        False,
        True,
    )
    assert judge(spec, _tag(RIGHT_PAIRS), "supported_by").wrong is False
    broken = QuestionSpec("pq4-pairs", scorer="score_mapping", key={"Service Desk": "nothing"})
    assert judge(broken, _tag({"Service Desk": "Plan"}), "supported_by") == Judged(
        "{'Service Desk': 'Plan'}", False, True
    )  # a key the scorer refuses: the answer whole, never a crash
    whole, _ = render_answer(_tag({**RIGHT_PAIRS, "Development and Management": "Plan"}))
    assert whole.endswith("'Development and Management': 'Plan'}")  # without a key: whole


def _notes(student: str, answers: dict[str, dict[str, object]]) -> GradingNotes:
    return GradingNotes(student, "06-practice", answers=answers)


def test_wrong_answers_follow_the_notebook_order_and_the_lessons_stream_scorer() -> None:
    """Ann's first lost question is the last one of the notebook; the table still lists
    pq1 first. Ben's stream is one the lesson accepts (an ``also_accepted`` answer of
    the scenario): though the gradebook took points off, it is not a wrong answer."""
    accepted = list(scenario("feedback-portal").also_accepted[0].activities)
    assert score_stream(accepted, scenario="feedback-portal", points=3).points == 3
    reversed_stream = list(reversed(scenario("feedback-portal").model_answer.activities))
    questions = ["pq1", "pq3-stream", "pq5"]
    maxima = {"pq1": 3.0, "pq3-stream": 3.0, "pq5": 1.0}
    specs = {
        "pq1": QuestionSpec("pq1", scorer="score_names"),
        "pq3-stream": QuestionSpec(
            "pq3-stream", scorer="score_stream", widget="pq3-stream", scenario="feedback-portal"
        ),
        "pq5": QuestionSpec("pq5", scorer="score_truth"),
    }
    rows = [
        ExportRow("ann", {"pq1": 3.0, "pq3-stream": 0.0, "pq5": 0.0}, graded=True),
        ExportRow("ben", {"pq1": 0.0, "pq3-stream": 2.0, "pq5": 1.0}, graded=True),
    ]
    notes = {
        "ann": _notes("ann", {
            "pq3-stream": {"portal_stream": _tag(reversed_stream)},
            "pq5": {"any_order": False},
        }),
        "ben": _notes("ben", {
            "pq1": {"activities": _tag(["Plan"])},
            "pq3-stream": {"portal_stream": _tag(accepted)},
        }),
    }  # fmt: skip
    table = wrong_answers(questions, rows, notes, maxima, specs)
    assert table == [
        ("pq1", [("['Plan']", False, 1)]),
        (
            "pq3-stream",
            [("Improve → Deliver & Support → Obtain/Build → Design & Transition → Plan → Engage",
              True, 1)],
        ),
        ("pq5", [("False", False, 1)]),
    ]  # fmt: skip


def test_an_answer_given_with_the_widget_is_shown_as_such() -> None:
    spec = QuestionSpec("pq3-stream", scorer="score_stream", widget="pq3-stream",
                        scenario="feedback-portal")  # fmt: skip
    judged = judge(spec, {"t": "ellipsis"}, "portal_stream", ["Engage", "Plan"])
    assert judged == Judged("Engage → Plan (with the widget)", True, True)
    assert judge(spec, {"t": "ellipsis"}, "portal_stream", None) == Judged("no answer", False, True)


def test_question_specs_are_read_from_the_test_cells(
    graded_class: tuple[Path, BatchResult],
) -> None:
    specs = question_specs(open_course(graded_class[0]), "ps1")
    assert specs["q4-test"] == QuestionSpec(
        "q4-test",
        "bonus",
        "score_mapping",
        "q4",
        "",
        {"Incident Management": "deliver-support", "Relationship Management": "engage"},
    )
    assert specs["q3-test"] == QuestionSpec("q3-test", "problems")  # a plain assert


def test_the_report_loads_nothing_from_the_network(report: str, with_absent: str) -> None:
    assert remote_loads(report) == []
    assert remote_loads(with_absent) == []


def test_the_network_check_finds_a_cdn_wherever_it_hides() -> None:
    """The check above can fail: each of these pages loads something from a CDN."""
    pages = [
        "<script src='https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js'></script>",
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Inter">',
        "<style>@import 'https://cdn.example/x.css';</style>",
        "<style>@font-face{src:url(https://fonts.gstatic.com/a.woff2)}</style>",
        '<div style="background:url(http://cdn.example/bg.png)"></div>',
        '<svg><image href="https://cdn.example/i.png"/></svg>',
    ]
    for page in pages:
        assert remote_loads(page) != [], page
    assert remote_loads("<a href='https://www.axelos.com/'>ITIL</a><img src='data:,'>") == []
