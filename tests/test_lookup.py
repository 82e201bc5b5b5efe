"""course.activity() accepts the spellings people type, and nothing else."""

from __future__ import annotations

import pytest

import course
from course.lookup import find_practice


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


@pytest.mark.parametrize(
    "typed",
    [
        "Development and Management",
        "development & management",
        "development-and-management",
        "Software Development and Management",
        "software development & management",
    ],
)
def test_a_practice_is_found_by_name_id_or_its_full_itil_name(typed: str) -> None:
    """The material shortens "Software Development and Management"; both spellings count."""
    found = find_practice(typed, course.load_course().practices)
    assert found is not None
    assert found.id == "development-and-management"
    assert course.load_course().practice(typed).id == "development-and-management"


def test_a_name_that_is_no_practice_is_not_found() -> None:
    assert find_practice("Software Management", course.load_course().practices) is None
    assert find_practice("  ", course.load_course().practices) is None
    with pytest.raises(KeyError, match="unknown practice"):
        course.load_course().practice("Software")
