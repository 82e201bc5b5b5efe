"""Scoring constraint by constraint: each kind, partial credit, needless steps, explanations."""

from __future__ import annotations

import json

import pytest

from course.rubric import (
    NEEDLESS_COST,
    Before,
    Budget,
    End,
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
    rubric = Rubric((Start(any_of=("plan",), why="Plan."), Require(any_of=("plan",), why="Plan.")))
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


INCIDENT = Rubric(
    (
        Start(any_of=("engage",), why="The user first."),
        Then(first=("obtain-build",), then=("deliver-support",), why="Fix with it.", weight=2),
        Then(first=("deliver-support",), then=("improve",), why="Learn."),
    ),
    Budget(
        {"engage": 2, "obtain-build": 1, "deliver-support": 2, "improve": 1},
        why="Nothing is planned or designed for an incident.",
    ),
)


def test_each_needless_step_costs_a_quarter_of_the_marks_never_below_zero() -> None:
    """Steps the budget rules out, activities used too often and repeats all cost the same."""
    assert NEEDLESS_COST == 0.25
    good = INCIDENT.grade(["Engage", "Obtain/Build", "Deliver & Support", "Improve"])
    assert (good.score, good.correct, good.needless) == (1.0, True, ())
    planned = INCIDENT.grade(
        ["Engage", "Plan", "Design & Transition", "Obtain/Build", "Deliver & Support", "Improve"]
    )
    assert (planned.score, planned.correct) == (0.5, False)  # every check met, two needless
    assert [(n.number, n.activity) for n in planned.needless] == [
        (2, "plan"),
        (3, "design-transition"),
    ]
    assert planned.needless[0].reason == "this situation does not need Plan."
    assert [bool(n.why) for n in planned.needless] == [True, False]  # the budget's why once
    padded = INCIDENT.grade(
        ["Engage", "Improve", "Obtain/Build", "Improve", "Deliver & Support", "Improve"]
    )
    assert [n.number for n in padded.needless] == [4, 6]  # Improve is allowed once
    assert padded.needless[0].reason == "a good answer uses Improve once at most here."
    assert padded.score == 0.5
    repeated = INCIDENT.grade(["Engage", "Engage", "Engage", "Plan", "Plan"])
    assert [n.number for n in repeated.needless] == [2, 3, 4, 5]
    assert "repeats the step before it" in repeated.needless[0].reason
    assert repeated.score == 0.0  # 1 of 4 checks, less four needless steps: clamped at 0


def test_needless_steps_are_explained_with_the_budget_why() -> None:
    result = INCIDENT.grade(["Engage", "Plan", "Obtain/Build", "Deliver & Support", "Improve"])
    assert result.summary == "3 of 3 checks met, 1 needless step: score 75%."
    assert result.feedback.splitlines()[4] == (
        "✗ Step 2 (Plan) is needless: this situation does not need Plan. "
        "Nothing is planned or designed for an incident."
    )
    assert result.to_json()["needless"] == [
        {
            "number": 2,
            "activity": "plan",
            "reason": "this situation does not need Plan.",
            "why": "Nothing is planned or designed for an incident.",
        }
    ]


def test_a_reversed_stream_meets_no_ordering_constraint() -> None:
    reversed_ = INCIDENT.grade(["Improve", "Deliver & Support", "Obtain/Build", "Engage"])
    assert (reversed_.score, len(reversed_.met)) == (0.0, 0)


def test_each_constraint_anchors_on_the_step_it_is_about() -> None:
    ids = ("engage", "obtain-build", "deliver-support", "improve")
    starts, fix, learn = INCIDENT.constraints
    assert (starts.anchor(ids), fix.anchor(ids), learn.anchor(ids)) == (0, 2, 3)
    assert Before(first=("engage",), then=("improve",), why="w").anchor(ids) == 3
    assert Require(any_of=("plan",), why="w").anchor(ids) is None
