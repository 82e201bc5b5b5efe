"""course.activity() accepts the spellings people type, and nothing else."""

from __future__ import annotations

import pytest

import course


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("design and transition", "Design & Transition"),
        ("Design & Transition", "Design & Transition"),
        ("design-transition", "Design & Transition"),
        ("DESIGN/TRANSITION", "Design & Transition"),
        ("obtain-build", "Obtain/Build"),
        ("Obtain/Build", "Obtain/Build"),
        ("obtain and build", "Obtain/Build"),
        ("  deliver & support ", "Deliver & Support"),
        ("deliver_support", "Deliver & Support"),
        ("plan", "Plan"),
        ("Improve", "Improve"),
        ("engage", "Engage"),
    ],
)
def test_spellings_a_person_types(typed: str, expected: str) -> None:
    """Case, punctuation, '&' and 'and' do not matter."""
    assert course.activity(typed).name == expected


def test_an_activity_object_is_returned_as_it_is() -> None:
    plan = course.activity("plan")
    assert course.activity(plan) is plan


@pytest.mark.parametrize("typed", ["", "Planning", "Incident Management", "design", 3, None])
def test_anything_else_names_the_six_valid_activities(typed: object) -> None:
    """Unknown names, practices, partial names and non-strings are refused clearly."""
    with pytest.raises(course.UnknownActivityError) as info:
        course.activity(typed)
    message = str(info.value)
    assert "is not a Service Value Chain activity" in message
    for name in ("Plan", "Improve", "Engage", "Design & Transition", "Obtain/Build",
                 "Deliver & Support"):  # fmt: skip
        assert name in message


def test_a_near_miss_gets_a_suggestion() -> None:
    with pytest.raises(course.UnknownActivityError, match="Did you mean 'Deliver & Support'"):
        course.activity("delivr and suport")
