"""Fidelity to the reference material: the course content holds every fact of it.

The one test module that compares the content with the reference material, fed by
the one fixture ``tests/fixtures/reference_facts.yaml`` (the reference's facts as
data). Every other test reads the content itself, so a deliberate local change
(Service Desk added to Engage's practices, say) fails here and nowhere else; the
README ("Adapt the content") says how to record such a change in the fixture.

:func:`differences` lists every disagreement, one line each, so a failure names
what differs, where, and both values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from course import load_course
from course.lookup import normalise
from course.model import Course

FACTS_FILE = Path(__file__).parent / "fixtures" / "reference_facts.yaml"
AREAS = ("activities", "practices", "value streams", "chain", "objectives")


def reference_facts() -> dict[str, Any]:
    facts: dict[str, Any] = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
    return facts


def _differ(where: str, reference: object, course: object) -> list[str]:
    if reference == course:
        return []
    return [f"{where}: the reference has {reference!r}, the course has {course!r}"]


def _activities(course: Course, facts: dict[str, Any]) -> list[str]:
    found = _differ(
        "activities", [a["name"] for a in facts["activities"]], [a.name for a in course.activities]
    )
    for expected in facts["activities"]:
        try:
            got = next(a for a in course.activities if a.name == expected["name"])
        except StopIteration:
            continue
        where = f"activity {got.name}"
        found += _differ(
            f"{where}: key activities", expected["key_activities"], list(got.key_activities)
        )
        found += _differ(f"{where}: outputs", expected["outputs"], list(got.outputs))
        found += _differ(f"{where}: example title", expected["example"]["title"], got.example.title)
        found += _differ(
            f"{where}: example steps", expected["example"]["steps"], list(got.example.steps)
        )
        found += _differ(f"{where}: colour", expected["colour"], got.colour)
        found += _differ(f"{where}: summary", expected["summary"], got.summary)
        missing = [w for w in expected["purpose_words"] if w not in got.purpose.lower()]
        found += _differ(f"{where}: purpose words", [], missing)
    return found


def _practices(course: Course, facts: dict[str, Any]) -> list[str]:
    found = []
    for expected in facts["activities"]:
        try:
            got = next(a for a in course.activities if a.name == expected["name"])
        except StopIteration:
            continue
        where = f"activity {got.name}: practices"
        found += _differ(where, expected["practices"], list(got.practices))
    return found


def _streams(course: Course, facts: dict[str, Any]) -> list[str]:
    found = _differ(
        "value streams",
        [v["name"] for v in facts["value_streams"]],
        [v.name for v in course.value_streams],
    )
    for expected, got in zip(facts["value_streams"], course.value_streams, strict=False):
        steps = [[course.activity_by_id(s.activity).name, s.action] for s in got.steps]
        found += _differ(f"value stream {got.name}", expected["steps"], steps)
    patterns = [[course.activity_by_id(s).name for s in p.steps] for p in course.patterns]
    found += _differ("patterns", facts["patterns"], patterns)
    links = [[course.activity_by_id(x.to).name, x.meaning] for x in course.improve_links]
    found += _differ("improve links", facts["improve_links"], links)
    for rule, term in facts["rule_terms"].items():
        text = getattr(course, f"rule_{rule}")
        found += _differ(f"rule {rule}", term, term if term in text else text)
    return found


def _chain(course: Course, facts: dict[str, Any]) -> list[str]:
    found = _differ(
        "characteristics",
        [normalise(c) for c in facts["characteristics"]],
        [normalise(c.name) for c in course.characteristics],
    )
    for term in facts["definition_terms"]:
        found += _differ(
            "definition", term, term if term in course.definition else course.definition
        )
    for term in facts["place_in_svs_terms"]:
        found += _differ(
            "place in the SVS", term, term if term in course.place_in_svs else course.place_in_svs
        )
    return found


def _objectives(course: Course, facts: dict[str, Any]) -> list[str]:
    return [
        *_differ("objectives", facts["objectives"], [o.title for o in course.objectives]),
        *_differ(
            "practice questions",
            facts["practice_questions"],
            [q.text for q in course.practice_questions],
        ),
        *_differ("takeaways", facts["takeaways"], [t.title for t in course.takeaways]),
        *_differ("related topics", facts["related_topics"], list(course.related_topics)),
    ]


_CHECKS = {
    "activities": _activities,
    "practices": _practices,
    "value streams": _streams,
    "chain": _chain,
    "objectives": _objectives,
}


def differences(course: Course, facts: dict[str, Any] | None = None) -> list[str]:
    """Every way ``course`` differs from the reference facts, one line each."""
    facts = facts or reference_facts()
    return [line for area in AREAS for line in _CHECKS[area](course, facts)]


@pytest.mark.parametrize("area", AREAS)
def test_the_content_holds_the_reference_facts(area: str) -> None:
    """Each area of the content says what the reference material says, fact for fact."""
    assert _CHECKS[area](load_course(), reference_facts()) == []


def test_a_changed_fact_is_named_with_both_values() -> None:
    """The comparison can fail: a reference fact changed in memory is reported exactly."""
    facts = reference_facts()
    facts["activities"][0]["outputs"] = ["Plans"]
    outputs = list(load_course().activity_by_id("plan").outputs)
    before = differences(load_course())
    assert [d for d in differences(load_course(), facts) if d not in before] == [
        f"activity Plan: outputs: the reference has ['Plans'], the course has {outputs!r}"
    ]
