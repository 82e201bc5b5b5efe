"""The content model holds the whole course material, fact for fact."""

from __future__ import annotations

from pathlib import Path

import pytest

import course
from course.lookup import normalise

from . import seed

COURSE = course.load_course()
SEED_ACTIVITIES = seed.activities()


def test_seed_fixture_matches_shared_copy() -> None:
    """The seed kept in tests/fixtures is the shared course material, unchanged."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "seed" / "service-value-chain.md"
    if not shared.exists():
        pytest.skip("no shared/ folder beside this clone")
    assert seed.SEED.read_text() == shared.read_text()


def test_six_activities_in_the_seed_order() -> None:
    """The model has the six activities, named and ordered as in the seed."""
    assert [a.name for a in COURSE.activities] == [a.name for a in SEED_ACTIVITIES]
    assert [a.number for a in COURSE.activities] == [1, 2, 3, 4, 5, 6]
    assert len({a.id for a in COURSE.activities}) == 6


@pytest.mark.parametrize("expected", SEED_ACTIVITIES, ids=lambda a: a.name)
def test_every_activity_holds_every_fact_of_the_seed(expected: seed.SeedActivity) -> None:
    """Key activities, outputs, practices, example and colour match the seed exactly."""
    got = course.activity(expected.name)
    assert list(got.key_activities) == expected.lists["Key Activities"]
    assert list(got.outputs) == expected.lists["Key Outputs"]
    assert list(got.practices) == expected.lists["Practices That Support"]
    assert got.example.title == expected.example_title
    assert list(got.example.steps) == expected.example_steps
    assert got.colour == expected.colour
    assert got.summary == expected.summary
    assert got.purpose  # reworded in our own words; the seed's key terms stay:
    for word in ("stakeholder", "design", "acquir", "deliver", "vision", "improv"):
        if word in expected.purpose.lower():
            assert word in got.purpose.lower()


def test_practices_are_one_list_consistent_with_the_activities() -> None:
    """Each practice lists exactly the activities that name it; none is orphaned."""
    seed_support: dict[str, set[str]] = {}
    for act in SEED_ACTIVITIES:
        for name in act.lists["Practices That Support"]:
            seed_support.setdefault(name, set()).add(course.activity(act.name).id)
    assert {p.name: set(p.supports) for p in COURSE.practices} == seed_support
    assert COURSE.practice("Supplier Management").supports == ("engage", "obtain-build")


def test_three_example_value_streams_step_by_step() -> None:
    """New Service Request, Incident Resolution and Change Implementation, each step."""
    expected = seed.value_streams()
    assert [v.name for v in COURSE.value_streams] == list(expected)
    for stream in COURSE.value_streams:
        got = [(course.activity(s.activity).name, s.action) for s in stream.steps]
        assert got == expected[stream.name]
    assert COURSE.value_stream("incident-resolution").activities == (
        "engage", "obtain-build", "deliver-support", "improve",
    )  # fmt: skip


def test_patterns_and_connection_rules() -> None:
    """The common patterns, the Improve links and the any-order rule are all there."""
    names = [[course.activity(s).name for s in p.steps] for p in COURSE.patterns]
    assert names == seed.patterns()
    links = [(course.activity(link.to).name, link.meaning) for link in COURSE.improve_links]
    assert links == seed.improve_links()
    assert "any order" in COURSE.rule_any_order
    assert "any other activity" in COURSE.rule_improve_connects_to_any


def test_objectives_questions_takeaways_and_topics() -> None:
    """Five objectives with stable ids, five practice questions, six takeaways."""
    assert [o.title for o in COURSE.objectives] == seed.objectives()
    assert [o.id for o in COURSE.objectives] == [
        "what-is-svc", "six-activities", "activities-together", "value-streams",
        "activities-practices",
    ]  # fmt: skip
    assert [q.text for q in COURSE.practice_questions] == seed.practice_questions()
    assert all(q.objective in {o.id for o in COURSE.objectives} for q in COURSE.practice_questions)
    assert [t.title for t in COURSE.takeaways] == [t for t, _ in seed.takeaways()]
    assert COURSE.takeaways[0].text.rstrip(".").replace(" and ", ", ") == seed.takeaways()[0][1]
    assert list(COURSE.related_topics) == seed.related_topics()


def test_chain_definition_and_characteristics() -> None:
    """The chain's definition, its place in the SVS and its four characteristics."""
    assert [normalise(c.name) for c in COURSE.characteristics] == [
        normalise(c) for c in seed.characteristics()
    ]
    assert "six activities" in COURSE.definition
    assert "value streams" in COURSE.definition
    assert "Service Value System" in COURSE.place_in_svs


def test_load_course_is_cached_and_frozen() -> None:
    """The model is loaded once and cannot be changed by accident."""
    assert course.load_course() is COURSE
    with pytest.raises(AttributeError):
        COURSE.activities[0].name = "Plan harder"  # type: ignore[misc]
