"""The question bank: what it holds, how it is laid out, and how a broken file fails."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from course import ContentError, load_course
from course.quizbank import (
    KINDS,
    QuizError,
    UnknownObjectiveError,
    UnknownQuestionError,
    assemble,
    load_bank,
    question_ids,
    read_bank,
)
from course.quizbank.bank import QUIZ_DIR
from course.quizbank.keys import RIGHT, seal

from .content_support import break_file
from .quiz_support import solve

OBJECTIVES = [o.id for o in load_course().objectives]


def test_one_file_per_objective_with_at_least_eight_questions_each() -> None:
    bank = load_bank()
    assert sorted(p.stem for p in QUIZ_DIR.glob("*.yaml")) == sorted(OBJECTIVES)
    counts = Counter(q.objective for q in bank.questions)
    assert set(counts) == set(OBJECTIVES)
    assert min(counts.values()) >= 8, counts


def test_every_question_type_is_used_and_each_objective_mixes_types() -> None:
    bank = load_bank()
    assert {q.kind for q in bank.questions} == set(KINDS)
    for objective in OBJECTIVES:
        kinds = {q.kind for q in bank.for_objective(objective)}
        assert len(kinds) >= 3, (objective, kinds)


def test_every_question_teaches_after_an_answer() -> None:
    """An explanation for every question, and a note on every choice a learner can pick."""
    for question in load_bank().questions:
        assert question.prompt, question.id
        assert question.explanation, question.id
        if question.kind in ("single", "multiple", "matching"):
            assert all(o.why for o in question.options), question.id


def test_the_right_option_of_authored_questions_is_not_always_in_one_place() -> None:
    """Without shuffling, the position of the right answer must not become a clue."""
    positions = Counter(
        [o.text for o in q.options].index(solve(q))
        for q in load_bank().questions
        if q.kind == "single" and q.source == "authored"
    )
    assert len(positions) >= 3, positions
    assert max(positions.values()) <= sum(positions.values()) / 2, positions


def test_unknown_objective_lists_the_valid_ids() -> None:
    with pytest.raises(UnknownObjectiveError) as info:
        load_bank().for_objective("six-activity")
    message = str(info.value)
    assert "Did you mean 'six-activities'?" in message
    for objective in OBJECTIVES:
        assert objective in message
    with pytest.raises(UnknownObjectiveError, match="is not a learning objective"):
        load_bank().for_objective(3)


def test_questions_are_found_by_id() -> None:
    bank = load_bank()
    first = bank.questions[0]
    assert bank.question(first.id) is first
    assert question_ids("value-streams") == tuple(q.id for q in bank.for_objective("value-streams"))
    assert len(question_ids()) == len(bank.questions)
    with pytest.raises(UnknownQuestionError, match="question_ids"):
        bank.question("no-such-question")


# -- choosing and laying out a quiz ---------------------------------------------------------


def test_without_shuffle_a_quiz_is_the_bank_in_file_order() -> None:
    ids = [q.id for q in assemble("six-activities")]
    assert ids == list(question_ids("six-activities"))
    assert [q.id for q in assemble("six-activities", seed=1)] == ids


def test_a_random_subset_is_reproducible_with_its_seed() -> None:
    first = [q.id for q in assemble("value-streams", n=4, seed=7)]
    assert len(first) == len(set(first)) == 4
    assert [q.id for q in assemble("value-streams", n=4, seed=7)] == first
    draws = {tuple(q.id for q in assemble("value-streams", n=4, seed=s)) for s in range(10)}
    assert len(draws) > 1
    order = list(question_ids("value-streams"))
    assert first == sorted(first, key=order.index)  # a subset keeps the bank's order


def test_shuffle_follows_the_seed_and_moves_options() -> None:
    one = assemble("six-activities", shuffle=True, seed=3)
    two = assemble("six-activities", shuffle=True, seed=3)
    assert [(q.id, q.options, q.items) for q in one] == [(q.id, q.options, q.items) for q in two]
    other = assemble("six-activities", shuffle=True, seed=4)
    assert [q.id for q in one] != [q.id for q in other]
    assert sorted(q.id for q in one) == sorted(question_ids("six-activities"))


@pytest.mark.parametrize("bad", [0, 99, -1, 2.5, "3", True])
def test_a_bad_subset_size_says_what_is_allowed(bad: object) -> None:
    with pytest.raises(QuizError, match=r"n must be a whole number from 1 to \d+"):
        assemble("six-activities", n=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [None, 0, 1, 2, 3])
def test_layout_never_lists_items_in_the_order_of_their_answers(seed: int | None) -> None:
    """Matching items do not run down the choices; ordering items never start in order."""
    for objective in OBJECTIVES:
        for question in assemble(objective, shuffle=seed is not None, seed=seed):
            key = solve(question)
            if question.kind == "ordering":
                assert [o.text for o in question.options] != key, question.id
            if question.kind == "matching":
                texts = [o.text for o in question.options]
                answers = [texts.index(key[i.text][0]) for i in question.items]
                if len(set(answers)) > 1:
                    assert answers != sorted(answers), question.id


# -- a broken quiz file fails with file, line and reason --------------------------------------


@pytest.fixture
def quizzes(tmp_path: Path) -> Path:
    target = tmp_path / "quizzes"
    shutil.copytree(QUIZ_DIR, target)
    return target


def _error(folder: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        read_bank(folder, load_course())
    return info.value


def test_the_shipped_bank_loads_from_a_copy(quizzes: Path) -> None:
    assert len(read_bank(quizzes, load_course()).questions) == len(load_bank().questions)


def test_an_option_edited_after_sealing_is_caught(quizzes: Path) -> None:
    break_file(quizzes, "six-activities.yaml", "- text: Obtain/Build\n", "- text: Obtain or Buy\n")
    err = _error(quizzes)
    assert err.file == "quizzes/six-activities.yaml"
    assert err.line is not None
    assert "questions[5].options[3].mark" in str(err)
    assert "neither right nor wrong" in str(err)
    assert "write the plain answer back in its place (a mark: right or wrong" in str(err)
    assert "run `python -m autograder seal` on this file" in str(err)


def test_a_plain_answer_left_in_a_file_is_refused(quizzes: Path) -> None:
    sealed = seal("svc-universal", "statement", "true")
    break_file(quizzes, "what-is-svc.yaml", f"key: {sealed}", "key: 'true'")
    err = _error(quizzes)
    assert "is not a sealed key" in str(err)
    assert "questions[5].key" in str(err)


def test_two_right_options_in_a_single_choice_question(quizzes: Path) -> None:
    wrong = seal("six-procure-scenario", "Plan", "wrong")
    break_file(quizzes, "six-activities.yaml", wrong, seal("six-procure-scenario", "Plan", RIGHT))
    assert "exactly one right option, not 2" in str(_error(quizzes))


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "six-activities.yaml",
            "type: ordering",
            "type: sorting",
            "unknown question type 'sorting'",
        ),
        ("six-activities.yaml", "from: purpose-of", "from: purpose", "no generator 'purpose'"),
        (
            "value-streams.yaml",
            "stream: incident-resolution",
            "stream: incidents",
            "unknown value stream 'incidents'",
        ),
        (
            "six-activities.yaml",
            "  - Test results\n",
            "  - Test reports\n",
            "'Test reports' is not one of the outputs",
        ),
        (
            "activities-practices.yaml",
            "  - Risk Management\n",
            "  - Risk Control\n",
            "unknown practice 'Risk Control'",
        ),
        (
            "six-activities.yaml",
            "activity: plan",
            "activity: planning",
            "unknown activity 'planning'",
        ),
        (
            "six-activities.yaml",
            "    explanation: >-\n      Obtain",
            "    explanaton: >-\n      Obtain",
            "unknown field 'explanaton'",
        ),
        (
            "activities-practices.yaml",
            "      - Release Management\n\n  - id: prac-plan",
            "      - Incident Management\n\n  - id: prac-plan",
            "supports Deliver & Support, so it cannot be a distractor",
        ),
        (
            "six-activities.yaml",
            "      - text: Service Desk\n",
            "      - text: Engage\n",
            "'Engage' is a right answer",
        ),
        (
            "value-streams.yaml",
            "id: vs-new-service-start",
            "id: vs-change-start",
            "duplicate question id 'vs-change-start'",
        ),
        (
            "value-streams.yaml",
            "objective: value-streams",
            "objective: six-activities",
            "holds the questions of 'value-streams'",
        ),
        ("activities-together.yaml", "after: engage", "after: improve", "Improve has no next step"),
    ],
)
def test_broken_files_name_the_place_and_the_reason(
    quizzes: Path, file: str, old: str, new: str, expected: str
) -> None:
    break_file(quizzes, file, old, new)
    err = _error(quizzes)
    assert err.file == f"quizzes/{file}"
    assert err.line is not None
    assert expected in str(err)


def test_a_file_named_after_no_objective_is_refused(quizzes: Path) -> None:
    (quizzes / "six-activites.yaml").write_text("objective: six-activites\nquestions: []\n")
    err = _error(quizzes)
    assert err.file == "quizzes/six-activites.yaml"
    assert "no learning objective is called 'six-activites'" in str(err)


def test_a_missing_objective_file_is_refused(quizzes: Path) -> None:
    (quizzes / "value-streams.yaml").unlink()
    assert "quizzes/value-streams.yaml: the content file is missing" in str(_error(quizzes))
