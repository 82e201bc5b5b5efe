"""``feedback``: one HTML page per notebook and student, never showing a hidden test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.course_layout import open_course
from autograder.engine.grade import BatchResult
from autograder.outputs.feedback import generate_feedback
from tests.autograder.fixtures.course_fixture import HIDDEN

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def feedback(graded_class: tuple[Path, BatchResult]) -> Path:
    course, _ = graded_class
    done = generate_feedback(open_course(course), "ps1")
    assert done.leaked == []
    return course / "feedback"


def test_every_graded_notebook_gets_a_feedback_page(feedback: Path) -> None:
    pages = sorted(str(p.relative_to(feedback)) for p in feedback.rglob("*.html"))
    students = ["alice", "bob", "carol", "dave", "erin"]
    expected = [f"{s}/ps1/{n}.html" for s in students for n in ("bonus", "problems")]
    assert pages == sorted([*expected, "frank/ps1/problems.html"])


def test_no_page_holds_hidden_test_text(feedback: Path) -> None:
    for page in feedback.rglob("*.html"):
        text = page.read_text()
        assert [h for h in HIDDEN if h in text] == [], page
        assert "BEGIN HIDDEN TESTS" not in text


def test_a_page_shows_the_score_and_what_went_wrong(feedback: Path) -> None:
    bob = (feedback / "bob" / "ps1" / "problems.html").read_text()
    assert re.search(r"Score:\s*0(\.0)?\s*/\s*7", bob)
    assert "AssertionError" in bob
    frank = (feedback / "frank" / "ps1" / "problems.html").read_text()
    assert "Autograder: needs review" in frank
    assert "q2-answer (In [3]) ran longer than the time limit" in frank
    assert "the cell ran longer than 5 s and was stopped by the autograder" in frank


def test_the_widget_answer_is_explained_in_the_feedback(feedback: Path) -> None:
    dave = (feedback / "dave" / "ps1" / "bonus.html").read_text()
    assert "2 of 2 right" in dave


def test_a_student_without_a_gradable_notebook_is_reported(
    graded_class: tuple[Path, BatchResult], capsys: pytest.CaptureFixture[str]
) -> None:
    course, _ = graded_class
    assert main(["--course-dir", str(course), "feedback", "ps1", "--student", "nobody"]) == 0
    assert "no feedback for nobody: no submission" in capsys.readouterr().err


def test_a_page_that_would_leak_is_deleted_not_handed_out(
    graded_class: tuple[Path, BatchResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last guard: if a page ever held hidden text, it is removed and reported."""
    import shutil

    from autograder.outputs import feedback as module

    course = tmp_path / "course"
    shutil.copytree(graded_class[0], course)
    monkeypatch.setattr(module, "hidden_test_text", lambda layout, a: ["Score:"])
    done = generate_feedback(open_course(course), "ps1", ["alice"])
    assert [p.name for p in done.leaked] == ["bonus.html", "problems.html"]
    assert not list((course / "feedback" / "alice").rglob("*.html"))


_LOADS = re.compile(
    r"<script[^>]*\bsrc=[\"']?https?://|<link[^>]*\bhref=[\"']?https?://|@import\s+(url\()?"
    r"[\"']?https?://|url\(\s*[\"']?https?://|<img[^>]*\bsrc=[\"']?https?://",
    re.I,
)


def test_nothing_on_a_page_loads_from_the_network(feedback: Path) -> None:
    """No MathJax from a CDN, no widget scripts: every style is inlined."""
    pages = list(feedback.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text()
        assert _LOADS.findall(text) == [], page
        assert "cdnjs" not in text, page


def test_the_summary_names_the_questions(feedback: Path) -> None:
    carol = (feedback / "carol" / "ps1" / "problems.html").read_text()
    assert "Test cell" not in carol
    for grade_id in ("q1-test", "q2-test", "q3-test"):
        assert f'<a href="#{grade_id}">{grade_id}</a>: Practice: the Service Value Chain' in carol


def test_the_course_configuration_gives_nbgrader_the_kits_feedback() -> None:
    """The formgrader's Generate Feedback runs nbgrader's GenerateFeedback with the
    course's settings: they name the kit's steps and exporter."""
    from nbgrader.converters import GenerateFeedback

    from autograder.nbgrader_settings import course_config
    from autograder.outputs.feedback_steps import FeedbackExporter

    converter = GenerateFeedback(config=course_config())
    assert converter.exporter_class is FeedbackExporter
    assert converter.preprocessors == [
        "autograder.outputs.feedback_steps.FeedbackGrades",
        "nbgrader.preprocessors.ClearHiddenTests",
        "autograder.outputs.feedback_steps.FeedbackCleanup",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
