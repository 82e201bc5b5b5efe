"""Marking, type by type: right, wrong, partial and malformed answers.

The questions here are made up for the test (their keys are sealed on the
spot), so each case states its own right answer.
"""

from __future__ import annotations

import pytest

from course.quizbank import REVEAL_AFTER, Key, Option, Question, check_answer, parse_answer
from course.quizbank.answers import AnswerProblem
from course.quizbank.keys import RIGHT, WRONG, seal

ACTIVITIES = [
    "Plan",
    "Improve",
    "Engage",
    "Design & Transition",
    "Obtain/Build",
    "Deliver & Support",
]


def _question(kind: str, entries: list[tuple[str, set[str]]], **fields: object) -> Question:
    qid = f"test-{kind}"
    return Question(
        id=qid,
        objective="six-activities",
        kind=kind,  # type: ignore[arg-type]
        prompt="A question made up for the test.",
        explanation="The explanation.",
        key=Key.build(qid, entries),
        **fields,  # type: ignore[arg-type]
    )


def _choices(kind: str, right: set[str], texts: list[str]) -> Question:
    qid = f"test-{kind}"
    marks = [(t, {seal(qid, t, RIGHT if t in right else WRONG)}) for t in texts]
    options = tuple(Option(t, f"About {t}.") for t in texts)
    return _question(kind, marks, options=options)


SINGLE = _choices("single", {"Engage"}, ["Plan", "Engage", "Improve"])
MULTIPLE = _choices("multiple", {"Plan", "Engage"}, ["Plan", "Engage", "Improve", "Service Desk"])
TRUE_FALSE = _question(
    "true_false", [("statement", {seal("test-true_false", "statement", "false")})]
)
MATCHING = _question(
    "matching",
    [
        ("Test results", {seal("test-matching", "Test results", "Design & Transition")}),
        ("Components", {seal("test-matching", "Components", "Obtain/Build")}),
        ("Supplier Management", {seal("test-matching", "Supplier Management", "Engage")}),
        ("Supplier Management", {seal("test-matching", "Supplier Management", "Obtain/Build")}),
    ],
    items=(Option("Test results"), Option("Components"), Option("Supplier Management")),
    options=tuple(Option(a, f"About {a}.") for a in ACTIVITIES),
)
STEPS = ["Engage", "Obtain/Build", "Deliver & Support", "Improve"]
ORDERING = _question(
    "ordering",
    [(f"step {n}", {seal("test-ordering", f"step {n}", s)}) for n, s in enumerate(STEPS, 1)],
    options=tuple(Option(s) for s in reversed(STEPS)),
)
TYPED = _question(
    "short_text",
    [("answer", {seal("test-short_text", "answer", "Design & Transition")})],
    expects="activity",
    options=tuple(Option(a, f"About {a}.") for a in ACTIVITIES),
)
NUMBER = _question(
    "short_text", [("answer", {seal("test-short_text", "answer", a) for a in ("6", "six")})]
)


# -- single choice --------------------------------------------------------------------------


def test_single_right_and_wrong_with_the_chosen_option_explained() -> None:
    right = check_answer(SINGLE, "Engage")
    assert (right.valid, right.correct, right.score) == (True, True, 1.0)
    assert "Right." in right.feedback
    assert "About Engage." in right.feedback
    assert right.explanation == "The explanation."
    wrong = check_answer(SINGLE, "Plan")
    assert (wrong.correct, wrong.score) == (False, 0.0)
    assert "About Plan." in wrong.feedback
    assert "Engage" not in wrong.feedback  # a wrong answer does not name the right one
    assert wrong.explanation == ""


def test_spelling_of_an_option_does_not_matter() -> None:
    assert check_answer(SINGLE, "  engage ").correct


def test_the_explanation_appears_after_enough_tries() -> None:
    assert check_answer(SINGLE, "Plan", attempt=REVEAL_AFTER - 1).explanation == ""
    assert check_answer(SINGLE, "Plan", attempt=REVEAL_AFTER).explanation == "The explanation."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "Service Desk",
            "'Service Desk' is not one of the choices. "
            "The choices are: 'Plan', 'Engage', 'Improve'.",
        ),
        (2, "The answer is given as text, for example 'Plan'; got 2."),
        (["Engage"], "The answer is given as text"),
    ],
)
def test_single_malformed_answers_get_a_clear_message(value: object, message: str) -> None:
    result = check_answer(SINGLE, value)
    assert (result.valid, result.correct, result.score) == (False, False, 0.0)
    assert message in result.feedback


def test_nothing_chosen_asks_for_an_answer() -> None:
    result = check_answer(SINGLE, None)
    assert not result.valid
    assert result.feedback == "Choose an option first, then check."


# -- multiple choice ------------------------------------------------------------------------


def test_multiple_all_right() -> None:
    result = check_answer(MULTIPLE, ["Engage", "Plan"])
    assert (result.correct, result.score) == (True, 1.0)
    assert result.verdict == "Right: you found all 2 right options."


def test_multiple_partial_scores_hits_minus_misses() -> None:
    half = check_answer(MULTIPLE, ["Plan"])
    assert (half.correct, half.score, half.partial) == (False, 0.5, True)
    assert (
        half.verdict
        == "Partly right: your 1 choice is right, but 1 right option is not selected. Try again."
    )
    cancelled = check_answer(MULTIPLE, ["Plan", "Service Desk"])
    assert cancelled.score == 0.0
    assert "1 of your 2 choices is right" in cancelled.verdict
    marks = {m.label: m.ok for m in cancelled.marks}
    assert marks == {"Plan": True, "Service Desk": False}
    assert "About Service Desk." in cancelled.feedback


def test_multiple_takes_one_text_for_one_choice_and_ignores_repeats() -> None:
    assert parse_answer(MULTIPLE, "plan") == ["Plan"]
    assert parse_answer(MULTIPLE, ["Engage", "engage", "Plan"]) == ["Plan", "Engage"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["Plan", "Transition"], "'Transition' is not one of the choices"),
        (42, "Give the options you select as a list of their texts"),
        ([], "Select at least one option first, then check."),
    ],
)
def test_multiple_malformed(value: object, message: str) -> None:
    result = check_answer(MULTIPLE, value)
    assert not result.valid
    assert message in result.feedback


# -- true / false ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [False, "false", "False", "no", "F"])
def test_true_false_right_in_any_usual_spelling(value: object) -> None:
    result = check_answer(TRUE_FALSE, value)
    assert result.correct
    assert result.verdict == "Right: the statement is false."


def test_true_false_wrong_still_shows_the_justification() -> None:
    result = check_answer(TRUE_FALSE, True)
    assert (result.correct, result.score) == (False, 0.0)
    assert result.verdict == "Not right: the statement is false."
    assert result.explanation == "The explanation."


def test_true_false_malformed() -> None:
    result = check_answer(TRUE_FALSE, "maybe")
    assert not result.valid
    assert result.feedback == "Answer True or False; got 'maybe'."


# -- matching -------------------------------------------------------------------------------

RIGHT_MATCHES = {
    "Test results": "Design & Transition",
    "Components": "Obtain/Build",
    "Supplier Management": "Engage",
}


def test_matching_all_right_and_either_of_two_accepted() -> None:
    assert check_answer(MATCHING, RIGHT_MATCHES).correct
    assert check_answer(MATCHING, {**RIGHT_MATCHES, "Supplier Management": "obtain build"}).correct


def test_matching_marks_pair_by_pair() -> None:
    result = check_answer(MATCHING, {**RIGHT_MATCHES, "Test results": "Obtain/Build"})
    assert result.score == pytest.approx(2 / 3)
    assert result.verdict == "Partly right: 2 of 3 matches are right. Try again."
    assert [m.ok for m in result.marks] == [False, True, True]
    assert result.marks[0].label == "Test results → Obtain/Build"
    assert result.marks[0].note == "About Obtain/Build."


def test_matching_accepts_a_list_in_the_order_shown() -> None:
    assert check_answer(MATCHING, list(RIGHT_MATCHES.values())).correct


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {"Test results": "Design & Transition"},
            "Choose a match for every item first: 2 of 3 still empty.",
        ),
        ({"Test reports": "Plan"}, "'Test reports' is not one of the items to match"),
        ({"Test results": "Build"}, "'Build' is not one of the choices"),
        (["Plan"], "one choice per item in the order shown (3 items)"),
        ("Plan", "Give the matches as {item: choice}"),
    ],
)
def test_matching_malformed_or_incomplete(value: object, message: str) -> None:
    result = check_answer(MATCHING, value)
    assert not result.valid
    assert message in result.feedback


# -- ordering -------------------------------------------------------------------------------


def test_ordering_right() -> None:
    result = check_answer(ORDERING, STEPS)
    assert (result.correct, result.score) == (True, 1.0)
    assert result.verdict == "Right: all 4 steps are in place."


def test_ordering_marks_position_by_position() -> None:
    result = check_answer(ORDERING, ["Engage", "Deliver & Support", "Obtain/Build", "Improve"])
    assert result.score == 0.5
    assert [m.ok for m in result.marks] == [True, False, False, True]
    assert result.marks[1].label == "Step 2: Deliver & Support"
    assert result.verdict == "Partly right: 2 of 4 steps are in place. Try again."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["Engage", "Engage", "Improve", "Plan"], "'Engage' is placed twice (step 1 and step 2)"),
        (["Engage", "Improve"], "Give the order as a list of all 4 items"),
        (["Engage", None, "Improve", "Obtain/Build"], "1 of 4 steps are still empty"),
        (["Engage", "Plan", "Improve", "Obtain/Build"], "'Plan' is not one of the choices"),
    ],
)
def test_ordering_malformed_or_incomplete(value: object, message: str) -> None:
    result = check_answer(ORDERING, value)
    assert not result.valid
    assert message in result.feedback


# -- short text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["Design & Transition", "design and transition", "Design-Transition", "design-transition"],
)
def test_short_text_accepts_the_spellings_course_activity_accepts(typed: str) -> None:
    assert check_answer(TYPED, typed).correct


def test_short_text_wrong_activity_is_marked_and_explained() -> None:
    result = check_answer(TYPED, "obtain build")
    assert (result.valid, result.correct) == (True, False)
    assert result.marks[0].label == "Obtain/Build"
    assert result.marks[0].note == "About Obtain/Build."


def test_a_practice_typed_for_an_activity_is_wrong_and_says_why() -> None:
    """The activity vs practice confusion is marked (and recorded), not refused."""
    result = check_answer(TYPED, "service validation and testing")
    assert (result.valid, result.correct, result.score) == (True, False, 0.0)
    assert "that is a practice, not an activity" in result.verdict
    assert "Design & Transition" not in result.feedback


def test_a_typo_is_not_marked_and_gets_a_suggestion() -> None:
    result = check_answer(TYPED, "Desing and Transition")
    assert not result.valid
    assert "Did you mean 'Design & Transition'?" in result.feedback
    assert "The activities are: Plan, Improve, Engage" in result.feedback


def test_short_text_of_plain_text_accepts_each_sealed_answer() -> None:
    assert check_answer(NUMBER, "6").correct
    assert check_answer(NUMBER, " Six ").correct
    assert not check_answer(NUMBER, "34").correct


@pytest.mark.parametrize(
    ("value", "message"), [(6, "Type the answer as text"), ("   ", "Type your answer first")]
)
def test_short_text_malformed(value: object, message: str) -> None:
    result = check_answer(NUMBER, value)
    assert not result.valid
    assert message in result.feedback


def test_parse_answer_raises_a_quiz_error_for_code_that_wants_it() -> None:
    with pytest.raises(AnswerProblem, match="not one of the choices"):
        parse_answer(SINGLE, "nope")


class _Sneaky:
    """An answer object that claims to equal everything (and to be true)."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


@pytest.mark.parametrize("question", [SINGLE, MULTIPLE, MATCHING, ORDERING, TYPED, TRUE_FALSE])
def test_an_object_that_equals_everything_is_refused_not_trusted(question: Question) -> None:
    """Answers become plain JSON before marking, so a rigged __eq__ wins nothing."""
    for value in (
        _Sneaky(),
        [_Sneaky()] * len(question.options or [1]),
        {"Test results": _Sneaky()},
    ):
        result = check_answer(question, value)
        assert not result.correct
        assert result.score == 0.0
