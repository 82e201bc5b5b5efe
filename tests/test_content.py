"""The content model is whole, consistent and loaded once.

What the content says is compared with the reference material in one place only,
``tests/test_fidelity_to_reference.py``; these tests read the content itself.
"""

from __future__ import annotations

import pytest

import course

COURSE = course.load_course()


def test_activities_are_numbered_in_file_order_with_unique_ids() -> None:
    assert [a.number for a in COURSE.activities] == list(range(1, len(COURSE.activities) + 1))
    assert len({a.id for a in COURSE.activities}) == len(COURSE.activities)
    for activity in COURSE.activities:
        assert course.activity(activity.name) == activity
        assert activity.purpose
        assert activity.key_activities
        assert activity.outputs


def test_an_activitys_practices_are_derived_from_the_practices_supports() -> None:
    """practices.yaml is the one place the link is written; each activity reads it."""
    for activity in COURSE.activities:
        expected = tuple(p.name for p in COURSE.practices if activity.id in p.supports)
        assert activity.practices == expected
        assert expected, f"{activity.name} has no supporting practice"
    assert all(p.supports for p in COURSE.practices)


def test_value_streams_and_patterns_name_real_activities() -> None:
    ids = {a.id for a in COURSE.activities}
    for stream in COURSE.value_streams:
        assert stream.steps
        assert {s.activity for s in stream.steps} <= ids
        assert COURSE.value_stream(stream.id) is stream
        assert stream.activities == tuple(s.activity for s in stream.steps)
    for pattern in COURSE.patterns:
        assert set(pattern.steps) <= ids
    assert {link.to for link in COURSE.improve_links} <= ids


def test_practice_questions_belong_to_objectives() -> None:
    objectives = {o.id for o in COURSE.objectives}
    assert COURSE.practice_questions
    assert all(q.objective in objectives for q in COURSE.practice_questions)


def test_load_course_is_cached_and_frozen() -> None:
    """The model is loaded once and cannot be changed by accident."""
    assert course.load_course() is COURSE
    with pytest.raises(AttributeError):
        COURSE.activities[0].name = "Plan harder"  # type: ignore[misc]
