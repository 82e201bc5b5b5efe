"""Graded keys that are facts of the content: derived from it by the hidden tests'
helpers, and held to it by ``python -m autograder check``, which names the question."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from autograder.cli import main
from course import graded, load_course
from course.graded import ContentKeyError
from course.loader import CONTENT_DIR
from course.quizbank import load_bank

from .content_support import break_file

REPO = Path(__file__).resolve().parents[1]
PQ4_PAIRS = ["Service Desk", "Risk Management", "Release Management"]


def test_the_helpers_read_the_content() -> None:
    course = load_course()
    links = graded.practice_links(["Supplier Management", "Service Desk"])
    assert links == {
        "Supplier Management": list(course.practice("Supplier Management").supports),
        "Service Desk": list(course.practice("Service Desk").supports),
    }
    assert links["Supplier Management"] == ["engage", "obtain-build"]
    assert graded.all_activities() == [a.id for a in course.activities]
    assert graded.practices_of("Obtain/Build") == [
        p.id for p in course.practices if "obtain-build" in p.supports
    ]
    assert graded.output_owners(["Software"]) == {"Software": ["obtain-build"]}
    options = ["Procure hardware", "Handle incidents", "Set objectives"]
    assert graded.key_activity_letters("Deliver & Support", options) == "B"
    assert graded.practice_letters(["Engage", "Service Desk", "Plan"]) == "B"


def test_quiz_letters_are_the_options_the_bank_marks_right() -> None:
    """Q6.2's key is the letter of Engage's purpose among the bank question's options."""
    question = load_bank().question("six-engage-purpose")
    (letter,) = graded.quiz_letters("six-engage-purpose")
    purpose = load_course().activity_by_id("engage").purpose
    assert question.options[ord(letter) - ord("A")].text == purpose


def test_a_name_the_content_does_not_hold_is_an_error_that_says_where_to_look() -> None:
    with pytest.raises(ContentKeyError) as info:
        graded.practice_links(["Help Desk"])
    assert str(info.value).startswith("'Help Desk' is not a practice of practices.yaml (")
    with pytest.raises(ContentKeyError, match="'Fax' is not among the key activities"):
        graded.key_activity_letters("Plan", ["Set objectives", "Fax"])
    with pytest.raises(ContentKeyError, match="'Lunch' names neither a practice"):
        graded.practice_letters(["Lunch", "Service Desk"])


# --- check: the graded-keys part --------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    return folder


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    shutil.copytree(REPO / "source", folder)
    return folder


def _edit_cell(source: Path, notebook: str, grade_id: str, old: str, new: str) -> None:
    path = source / notebook / f"{notebook}.ipynb"
    data = json.loads(path.read_text(encoding="utf-8"))
    for cell in data["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            text = "".join(cell["source"])
            assert old in text, f"test set-up: {old!r} not in {grade_id}"
            cell["source"] = text.replace(old, new)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _check(content: Path, source: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["check", str(content), "--source", str(source)]) == 2
    return capsys.readouterr().out


def test_a_renamed_practice_names_every_question_whose_key_needs_it(
    content: Path, source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_file(
        content,
        "practices.yaml",
        "id: risk-management\n    name: Risk Management",
        "id: risk-and-compliance\n    name: Risk and Compliance",
    )
    out = _check(content, source, capsys)
    assert "content: ok" in out
    assert (
        "  - source/06-practice/06-practice.ipynb, question pq4-pairs: its hidden test's "
        "graded.practice_links(...) no longer fits the content: 'Risk Management' is not a "
        "practice of practices.yaml ("
    ) in out
    assert "change the question and its hidden test, or the content" in out
    # the quiz bank's own problem with the rename is reported beside it
    assert "quiz bank: 1 problem" in out
    assert "question 'prac-match-one'" in out


def test_a_literal_key_that_restates_a_content_fact_is_held_to_it(
    content: Path, source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's bug: a hard-coded practice link that an edit of the content contradicts."""
    today = {name: list(load_course().practice(name).supports) for name in PQ4_PAIRS[:2]}
    _edit_cell(
        source,
        "06-practice",
        "pq4-pairs",
        'graded.practice_links(["Service Desk", "Risk Management", "Release Management", '
        '"Measurement and Reporting", "Relationship Management", "Development and Management"])',
        json.dumps(today),
    )
    assert main(["check", str(content), "--source", str(source)]) == 0  # it agrees today
    capsys.readouterr()
    practices = (content / "practices.yaml").read_text(encoding="utf-8")
    adapted = re.sub(r"(name: Service Desk\n    supports: )\[[^\]]*\]", r"\1[improve]", practices)
    assert adapted != practices
    (content / "practices.yaml").write_text(adapted, encoding="utf-8")
    out = _check(content, source, capsys)
    assert out.splitlines()[-2:] == [
        "graded keys: 1 problem",
        "  - source/06-practice/06-practice.ipynb, question pq4-pairs: the key says "
        f"'Service Desk' -> {', '.join(sorted(today['Service Desk']))}, the content says "
        "improve: write the key as graded.practice_links(['Service Desk', 'Risk Management']) "
        "so that it follows the content",
    ]


def test_lettered_options_must_match_the_helpers_list(
    content: Path, source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_cell(
        source,
        "05-activities-practices",
        "q5-3-question",
        "- **E.** Release Management",
        "- **E.** Problem Management",
    )
    out = _check(content, source, capsys)
    assert (
        "  - source/05-activities-practices/05-activities-practices.ipynb, question q5-3: the "
        "question lists the options ['Continual Improvement', 'Engage', 'Improve', "
        "'Service Desk', 'Problem Management', 'Plan'], but its hidden test's "
        "graded.practice_letters(...) letters ['Continual Improvement', 'Engage', 'Improve', "
        "'Service Desk', 'Release Management', 'Plan']; make the two lists the same"
    ) in out
