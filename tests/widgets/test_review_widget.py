"""The start page's mixed review, and graded verdicts on the progress table."""

from __future__ import annotations

from pathlib import Path

import pytest

import course
from course import records
from course.quizbank import load_bank


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def test_the_review_shows_five_questions_from_five_objectives_and_why() -> None:
    review = course.review(seed="fixed")
    assert len(review.questions) == 5
    assert {i.objective for i in review.items} == set(load_bank().objectives)
    text = " ".join(getattr(c, "value", "") for c in review.children)
    assert "Five-minute review" in text
    assert text.count("not answered yet") == 5
    again = course.review(seed="fixed")
    assert [i.question for i in again.items] == [i.question for i in review.items]


def test_checking_in_the_review_records_and_another_set_brings_wrong_answers_first() -> None:
    review = course.review(seed="s")
    single = next(q for q in review.questions if q.question.kind == "single")
    single.answer(single.question.options[0].text)
    single.check()
    assert records.load_records()[-1].item == single.question.id
    wrong = review.items[-1]
    records.record_result("quiz", wrong.question, wrong.objective, 0.0)
    wrong_now = {r.item for r in records.load_records() if r.score < 1.0}
    assert wrong.question in wrong_now
    review.again_button.click()
    first = review.items[: len(wrong_now)]
    assert {i.question for i in first} == wrong_now
    assert {i.reason for i in first} == {"wrong last time (today)"}


def test_graded_verdicts_count_on_the_progress_table() -> None:
    """A self-paced graded answer appears under its objective, by its title, to revisit
    when it was not fully right."""
    records.record_result("graded", "q2-3", "six-activities", 0.5, {"title": "Question 2.3"})
    table = course.progress().table.value
    assert "1 graded question(s)" in table
    assert "Question 2.3 (50%)" in table
