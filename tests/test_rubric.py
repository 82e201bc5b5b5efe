"""Scoring constraint by constraint: each kind, partial credit, explanations."""

from __future__ import annotations

import json

import pytest

from course.rubric import (
    Before,
    End,
    MaxSteps,
    MinSteps,
    Require,
    Rubric,
    Start,
    Then,
    pattern_notes,
    repeat_notes,
)


def _one(constraint: object, answer: list[str]) -> tuple[bool, str]:
    result = Rubric((constraint,)).grade(answer)  # type: ignore[arg-type]
    (only,) = result.constraints
    return only.met, only.detail


def test_require_accepts_any_of_the_named_activities() -> None:
    either = Require(any_of=("obtain-build", "design-transition"), why="w")
    assert _one(either, ["Engage", "Design & Transition"]) == (
        True,
        "Design & Transition is at step 2.",
    )
    assert _one(either, ["Engage", "Plan"]) == (
        False,
        "your stream has no Obtain/Build or Design & Transition step.",
    )
    twice = Require(any_of=("improve",), why="w")
    assert _one(twice, ["Improve", "Plan", "Improve"]) == (True, "Improve is at steps 1 and 3.")


def test_before_is_a_precondition_nothing_of_the_second_until_the_first() -> None:
    before = Before(first=("obtain-build",), then=("deliver-support",), why="w")
    assert before.describe() == "Obtain/Build comes before Deliver & Support"
    assert _one(before, ["Engage", "Obtain/Build", "Deliver & Support"]) == (
        True,
        "step 2 comes before step 3.",
    )
    # delivering once before anything is built breaks it, even if it is built later
    assert _one(before, ["Deliver & Support", "Obtain/Build", "Deliver & Support"]) == (
        False,
        "Deliver & Support is already step 1, before the first Obtain/Build (step 2).",
    )
    assert _one(before, ["Engage", "Deliver & Support"]) == (
        False,
        "your stream has no Obtain/Build step.",
    )


def test_then_is_a_follow_up_after_the_last_step_of_the_first() -> None:
    then = Then(first=("deliver-support",), then=("improve",), why="w")
    assert then.describe() == "Deliver & Support is followed by Improve"
    assert _one(then, ["Deliver & Support", "Plan", "Improve"]) == (
        True,
        "step 1 is followed by step 3.",
    )
    # improving between two deliveries does not follow up the second one
    assert _one(then, ["Deliver & Support", "Improve", "Deliver & Support"]) == (
        False,
        "nothing after Deliver & Support (step 3) is Improve.",
    )
    assert _one(then, ["Improve", "Plan"]) == (False, "your stream has no Deliver & Support step.")


def test_then_directly_needs_a_straight_hand_over() -> None:
    then = Then(first=("deliver-support",), then=("improve",), directly=True, why="w")
    assert then.describe() == "Deliver & Support leads straight to Improve"
    assert _one(then, ["Deliver & Support", "Improve", "Deliver & Support"]) == (
        True,
        "step 1 hands over to step 2.",
    )
    assert _one(then, ["Deliver & Support", "Plan", "Improve"]) == (
        False,
        "no Deliver & Support step (step 1) hands over straight to Improve (step 3).",
    )


def test_start_end_and_step_bounds() -> None:
    assert _one(Start(any_of=("plan", "engage"), why="w"), ["Engage", "Plan"]) == (
        True,
        "your stream starts with Engage.",
    )
    assert _one(End(any_of=("improve",), why="w"), ["Engage", "Plan"]) == (
        False,
        "your stream ends instead with Plan.",
    )
    assert _one(MinSteps(limit=2, why="w"), ["Plan"]) == (False, "your stream has 1.")
    assert _one(MaxSteps(limit=2, why="w"), ["Plan", "Engage"]) == (True, "your stream has 2.")


def test_partial_credit_is_the_weighted_share_of_constraints_met() -> None:
    rubric = Rubric(
        (
            Start(any_of=("engage",), why="Engage first.", weight=2),
            Require(any_of=("improve",), why="Learn."),
            Before(first=("engage",), then=("deliver-support",), why="Ask before delivering."),
        )
    )
    result = rubric.grade(["Engage", "Deliver & Support"])
    assert result.score == 0.75  # 3 of a total weight of 4
    assert not result.correct
    assert [c.description for c in result.missed] == ["Uses Improve"]
    assert result.summary == "2 of 3 checks met: score 75%."
    full = rubric.grade(["Engage", "Deliver & Support", "Improve"])
    assert (full.score, full.correct) == (1.0, True)


def test_feedback_explains_every_constraint_met_or_missed_with_why() -> None:
    rubric = Rubric(
        (
            Start(any_of=("engage",), why="The customer comes first."),
            End(any_of=("improve",), why="Keep learning."),
        )
    )
    lines = rubric.grade(["Engage", "Plan"]).feedback.splitlines()
    assert lines[0] == "1 of 2 checks met: score 50%."
    assert lines[1] == (
        "✓ Starts with Engage: your stream starts with Engage. The customer comes first."
    )
    assert lines[2] == "✗ Ends with Improve: your stream ends instead with Plan. Keep learning."


def test_empty_answer_scores_zero_and_says_so_for_every_constraint() -> None:
    rubric = Rubric((MaxSteps(limit=5, why="Short."), Require(any_of=("plan",), why="Plan.")))
    result = rubric.grade([])
    assert (result.score, result.correct) == (0.0, False)
    assert result.problem.startswith("Your value stream is empty")
    assert all(c.detail == "your value stream has no steps yet." for c in result.constraints)


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("Engage", "got a single text 'Engage'"),
        (["Engage", "Desing"], "Step 2: 'Desing' is not a Service Value Chain activity"),
        ({"steps": []}, "got a dict object"),
    ],
)
def test_unreadable_answers_score_zero_with_the_reason_and_never_raise(
    answer: object, problem: str
) -> None:
    result = Rubric((Require(any_of=("plan",), why="w"),)).grade(answer)
    assert (result.score, result.correct, result.constraints) == (0.0, False, ())
    assert problem in result.problem
    assert problem in result.feedback


def test_result_exports_to_plain_json() -> None:
    result = Rubric((Require(any_of=("plan",), why="Plan."),)).grade(["Plan", "Improve"])
    exported = result.to_json()
    assert json.loads(json.dumps(exported)) == exported
    assert exported["steps"] == ["plan", "improve"]
    assert exported["constraints"][0]["met"] is True


def test_common_patterns_found_in_a_stream_are_noted() -> None:
    notes = pattern_notes(("engage", "plan", "design-transition", "deliver-support", "improve"))
    assert any(n.startswith("Common pattern: Engage → Plan → Design & Transition.") for n in notes)
    assert any(n.startswith("Common pattern: Deliver & Support → Improve.") for n in notes)
    assert not any("Obtain/Build" in n for n in notes)


def test_an_activity_following_itself_gets_a_note_but_no_penalty() -> None:
    assert repeat_notes(("engage", "engage", "plan")) == (
        "Steps 1 and 2 are both Engage: an activity does not hand over to itself, "
        "so they are really one step; merge them.",
    )
    result = Rubric((Require(any_of=("plan",), why="w"),)).grade(["Engage", "Engage", "Plan"])
    assert result.score == 1.0
    assert result.notes[0].startswith("Steps 1 and 2 are both Engage")
