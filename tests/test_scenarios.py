"""Every scenario and its rubric, and the loader's checks on scenarios.yaml."""

from __future__ import annotations

import itertools
import random
import shutil
from pathlib import Path

import pytest

import course
from course.loader import CONTENT_DIR
from course.scenarios import Scenario, UnknownScenarioError, load_scenarios, scenario

from .content_support import break_file

SCENARIOS = load_scenarios()
IDS = [s.id for s in SCENARIOS]
SIX = "Plan, Improve, Engage, Design & Transition, Obtain/Build, Deliver & Support"


def by_id(scenario_id: str) -> Scenario:
    return scenario(scenario_id)


def test_the_kit_has_the_worked_examples_the_patterns_and_six_more() -> None:
    kinds = {kind: [s for s in SCENARIOS if s.source == kind] for kind in ("example", "pattern")}
    written = [s for s in SCENARIOS if s.source == "scenario"]
    course_data = course.load_course()
    assert {s.based_on for s in kinds["example"]} == {v.id for v in course_data.value_streams}
    assert {s.based_on for s in kinds["pattern"]} == {p.id for p in course_data.patterns}
    assert len(written) >= 6
    assert len(set(IDS)) == len(IDS)


def test_worked_examples_are_taken_from_the_course_not_retyped() -> None:
    for stream in course.load_course().value_streams:
        item = scenario(stream.id)
        assert item.model_answer.steps == stream.steps
        assert item.title == stream.name


@pytest.mark.parametrize("stream_id", [v.id for v in course.load_course().value_streams])
def test_each_worked_example_scores_full_marks_on_its_own_scenario(stream_id: str) -> None:
    stream = course.load_course().value_stream(stream_id)
    result = scenario(stream_id).grade([course.activity(a).name for a in stream.activities])
    assert (result.score, result.correct) == (1.0, True)
    assert all(c.met for c in result.constraints)


@pytest.mark.parametrize("scenario_id", IDS)
def test_model_answer_and_every_accepted_answer_score_full_marks(scenario_id: str) -> None:
    """Many valid answers: the model and its listed alternatives all score 1.0."""
    item = by_id(scenario_id)
    assert item.also_accepted, "each scenario shows that more than one answer is right"
    for answer in (item.model_answer, *item.also_accepted):
        result = item.grade(answer)
        assert result.score == 1.0, (answer.describe(), result.feedback)
    distinct = {item.model_answer.activities, *(a.activities for a in item.also_accepted)}
    assert len(distinct) == 1 + len(item.also_accepted)


@pytest.mark.parametrize("scenario_id", IDS)
def test_reversed_model_answer_loses_marks_and_says_which_order_is_wrong(scenario_id: str) -> None:
    item = by_id(scenario_id)
    result = item.grade(list(reversed(item.model_answer.names)))
    assert 0 < result.score < 1
    assert not result.correct
    order_kinds = {"before", "then", "start", "end"}
    assert {c.kind for c in result.missed} & order_kinds
    for missed in result.missed:
        assert missed.detail
        assert missed.why


@pytest.mark.parametrize("scenario_id", IDS)
def test_shuffled_copies_of_the_model_answer_mostly_fail(scenario_id: str) -> None:
    """Of all orderings of the model answer's steps, few keep full marks (the
    rubric checks order, not just membership); a seeded sample of shuffles
    that differ from every accepted answer never scores full marks."""
    item = by_id(scenario_id)
    ids = item.model_answer.activities
    orderings = set(itertools.permutations(ids))
    full = {p for p in orderings if item.grade(list(p)).correct}
    assert ids in full
    if len(orderings) > 2:
        assert len(full) / len(orderings) <= 0.25
    accepted = {ids, *(a.activities for a in item.also_accepted)}
    rng = random.Random(scenario_id)
    shuffles = [tuple(rng.sample(ids, len(ids))) for _ in range(20)]
    wrong = [s for s in shuffles if s not in full and s not in accepted]
    assert all(item.grade(list(s)).score < 1.0 for s in wrong)


@pytest.mark.parametrize("scenario_id", IDS)
def test_leaving_out_a_required_activity_is_explained(scenario_id: str) -> None:
    item = by_id(scenario_id)
    required = [c for c in item.rubric.constraints if c.kind == "require"]
    for constraint in required:
        wanted = constraint.any_of  # type: ignore[attr-defined]
        answer = [a for a in item.model_answer.activities if a not in wanted]
        result = item.grade(answer)
        assert result.score < 1.0
        missed = {c.description: c for c in result.missed}
        assert constraint.describe() in missed
        assert missed[constraint.describe()].detail.startswith("your stream has no ")


@pytest.mark.parametrize("scenario_id", IDS)
def test_an_answer_with_an_unknown_activity_scores_zero_and_names_the_six(
    scenario_id: str,
) -> None:
    item = by_id(scenario_id)
    answer = [*item.model_answer.names[:-1], "Operate"]
    result = item.grade(answer)
    assert (result.score, result.correct) == (0.0, False)
    assert f"Step {len(answer)}: 'Operate' is not a Service Value Chain activity" in result.problem
    assert SIX in result.feedback


@pytest.mark.parametrize("answer", [[], "Engage, Plan", None, 7])
def test_malformed_answers_score_zero_with_a_clear_message(answer: object) -> None:
    result = scenario("incident-resolution").grade(answer)
    assert result.score == 0.0
    assert result.problem
    assert "Traceback" not in result.feedback


def test_objectives_are_value_streams_or_activities_together() -> None:
    for item in SCENARIOS:
        expected = "activities-together" if item.source == "pattern" else "value-streams"
        assert item.objective == expected, item.id


def test_scenario_lookup_by_example_id_and_unknown_ids() -> None:
    assert scenario("change-implementation").source == "example"
    with pytest.raises(UnknownScenarioError) as caught:
        scenario("email-down")
    assert "'email-down' is not a value-stream exercise" in str(caught.value)
    assert "email-outage" in str(caught.value)


# -- the loader on broken content -------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    return folder


def _line_of(folder: Path, fragment: str) -> int:
    lines = (folder / "scenarios.yaml").read_text().splitlines()
    return next(n for n, line in enumerate(lines, start=1) if fragment in line)


def test_broken_copy_loads_until_broken(content: Path) -> None:
    assert [s.id for s in load_scenarios(content)] == IDS


@pytest.mark.parametrize(
    ("old", "new", "fragment", "message"),
    [
        (
            "      - require: plan\n        why: A new service needs",
            "      - require: plam\n        why: A new service needs",
            "require: plam",
            r"\(scenarios\[0\]\.rubric\[1\]\.require\): unknown activity 'plam'",
        ),
        (
            "      - before: [plan, design-transition]\n        why: The design follows the pl",
            "      - before: [plan, design-transition, improve]\n        why: The design follows",
            "before: [plan, design-transition, improve]",
            r"a 'before' constraint names two things: \[first, then\]",
        ),
        (
            "      - max_steps: 9\n        why: A value stream holds",
            "      - max_steps: nine\n        why: A value stream holds",
            "max_steps: nine",
            r"expected a whole number above 0, found 'nine'",
        ),
        (
            "      - start: engage\n        why: The request comes from a customer",
            "      - after: engage\n        why: The request comes from a customer",
            "after: engage",
            r"a rubric constraint needs exactly one of: require, before, then",
        ),
        (
            "    pattern: deliver-improve\n",
            "    pattern: deliver-and-improve\n",
            "pattern: deliver-and-improve",
            r"unknown pattern 'deliver-and-improve'",
        ),
        (
            "    objective: activities-together\n    brief: >-\n      A service is running.",
            "    objective: activities-together\n    breif: typo\n    brief: >-\n"
            "      A service is running.",
            "breif: typo",
            r"unknown field 'breif'; the fields here are: id, title, objective, brief",
        ),
        (
            "    objective: activities-together\n    brief: >-\n      A service is running.",
            "    objective: patterns\n    brief: >-\n      A service is running.",
            "objective: patterns",
            r"unknown learning objective 'patterns'",
        ),
    ],
)
def test_broken_scenarios_name_file_line_and_reason(
    content: Path, old: str, new: str, fragment: str, message: str
) -> None:
    break_file(content, "scenarios.yaml", old, new)
    with pytest.raises(course.ContentError, match=message) as caught:
        load_scenarios(content)
    assert caught.value.file == "scenarios.yaml"
    assert caught.value.line == _line_of(content, fragment)


def test_a_rubric_that_rejects_its_own_model_answer_fails_loudly(content: Path) -> None:
    break_file(
        content,
        "scenarios.yaml",
        "      - start: engage\n        why: The incident",
        "      - start: plan\n        why: The incident",
    )
    with pytest.raises(course.ContentError) as caught:
        load_scenarios(content)
    text = str(caught.value)
    assert "scenarios[1].rubric" in text
    assert (
        "the model answer scores 0.86 on the rubric, not full marks: it misses Starts with Plan"
        in text
    )


def test_an_accepted_answer_that_fails_is_reported_where_it_is_listed(content: Path) -> None:
    break_file(
        content,
        "scenarios.yaml",
        "      - [deliver-support, improve, plan]",
        "      - [improve, deliver-support]",
    )
    with pytest.raises(course.ContentError, match="listed as accepted") as caught:
        load_scenarios(content)
    assert caught.value.line == _line_of(content, "- [improve, deliver-support]")


def test_every_worked_example_needs_its_scenario(content: Path) -> None:
    break_file(
        content,
        "scenarios.yaml",
        "    value_stream: incident-resolution\n",
        "    value_stream: new-service-request\n",
    )
    with pytest.raises(
        course.ContentError, match="the worked example 'incident-resolution' has no"
    ):
        load_scenarios(content)
