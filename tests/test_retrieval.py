"""The mixed review's choice: spaced retrieval from the records, without a kernel."""

from __future__ import annotations

import pytest

from course.quizbank import load_bank
from course.records import Record
from course.retrieval import DAY, pick_review

NOW = 100 * DAY
QUESTIONS = {
    "one": ("one-a", "one-b", "one-c"),
    "two": ("two-a", "two-b"),
    "three": ("three-a", "three-b", "three-c", "three-d"),
}


def _quiz(item: str, objective: str, score: float, days_ago: float) -> Record:
    return Record("quiz", item, objective, score, 1, NOW - days_ago * DAY)


def test_a_new_learner_gets_one_question_from_every_objective_the_same_for_a_seed() -> None:
    first = pick_review([], QUESTIONS, now=NOW, size=3, seed=7)
    assert sorted(i.objective for i in first) == ["one", "three", "two"]
    assert all(i.reason == "not answered yet" for i in first)
    assert pick_review([], QUESTIONS, now=NOW, size=3, seed=7) == first
    seeds = {tuple(i.question for i in pick_review([], QUESTIONS, now=NOW, size=3, seed=s))
             for s in range(20)}  # fmt: skip
    assert len(seeds) > 1, "the seed changes which unseen questions are drawn"


def test_wrong_answers_come_first_the_oldest_wrong_first() -> None:
    records = [
        _quiz("two-a", "two", 0.0, 1),
        _quiz("one-b", "one", 0.5, 9),
        _quiz("three-c", "three", 1.0, 30),
    ]
    picked = pick_review(records, QUESTIONS, now=NOW, size=2, seed=1)
    assert [i.question for i in picked] == ["one-b", "two-a"]
    assert picked[0].reason == "wrong last time (9 days ago)"
    assert picked[1].reason == "wrong last time (yesterday)"


def test_a_question_answered_right_since_is_no_longer_wrong() -> None:
    records = [_quiz("two-a", "two", 0.0, 5), _quiz("two-a", "two", 1.0, 2)]
    picked = pick_review(records, {"two": ("two-a", "two-b")}, now=NOW, size=2, seed=1)
    assert [i.question for i in picked] == ["two-b", "two-a"]  # never seen, then seen 2 days ago
    assert picked[1].reason == "last answered 2 days ago"


def test_among_right_answers_the_one_not_seen_for_longest_comes_first() -> None:
    questions = {"one": ("one-a", "one-b", "one-c")}
    records = [
        _quiz("one-a", "one", 1.0, 3),
        _quiz("one-b", "one", 1.0, 40),
        _quiz("one-c", "one", 1.0, 0.2),
    ]
    picked = pick_review(records, questions, now=NOW, size=3, seed=0)
    assert [i.question for i in picked] == ["one-b", "one-a", "one-c"]
    assert picked[2].reason == "last answered today"


def test_every_objective_gives_one_before_any_gives_a_second() -> None:
    """Even when one objective has many due questions, a five-question review of five
    objectives has one from each; a larger review goes round again, most due first."""
    bank = load_bank()
    questions = {o: bank.ids(o) for o in bank.objectives}
    wrong = [_quiz(q, "value-streams", 0.0, 2) for q in questions["value-streams"]]
    picked = pick_review(wrong, questions, now=NOW, size=5, seed=3)
    assert sorted(i.objective for i in picked) == sorted(questions)
    assert picked[0].objective == "value-streams"
    bigger = pick_review(wrong, questions, now=NOW, size=7, seed=3)
    assert [i.objective for i in bigger].count("value-streams") == 2


def test_graded_answers_that_were_wrong_favour_their_objective() -> None:
    """A wrong graded answer (self-paced edition) puts its objective's unseen questions
    before those of objectives the learner has shown they know."""
    graded = [
        Record("graded", "q2-1", "two", 0.5, 1, NOW - DAY),
        Record("graded", "q3-1", "three", 1.0, 1, NOW - DAY),
    ]
    for seed in range(10):
        picked = pick_review(graded, QUESTIONS, now=NOW, size=1, seed=seed)
        assert picked[0].objective == "two", seed


def test_size_must_be_positive_and_caps_at_the_bank() -> None:
    with pytest.raises(ValueError, match="size must be at least 1"):
        pick_review([], QUESTIONS, now=NOW, size=0)
    assert len(pick_review([], QUESTIONS, now=NOW, size=50)) == 9
