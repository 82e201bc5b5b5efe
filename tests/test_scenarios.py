"""Every scenario and its rubric, and the loader's checks on scenarios.yaml."""

from __future__ import annotations

import itertools
import random
import shutil
from pathlib import Path

import pytest

import course
from course.loader import CONTENT_DIR
from course.scenarios import (
    VALID_FLOOR,
    WRONG_CEILING,
    Scenario,
    UnknownScenarioError,
    load_scenarios,
    scenario,
)

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


def padded(ids: tuple[str, ...]) -> list[str]:
    """The model answer with a needless step slipped in after each step (Improve, or
    Engage after an Improve), as the padded answers of issue 12 were built."""
    out: list[str] = []
    for activity in ids:
        out += [activity, "engage" if activity == "improve" else "improve"]
    return out


@pytest.mark.parametrize("scenario_id", IDS)
def test_reversed_model_answer_earns_at_most_half_and_says_which_order_is_wrong(
    scenario_id: str,
) -> None:
    item = by_id(scenario_id)
    result = item.grade(list(reversed(item.model_answer.names)))
    assert result.score <= WRONG_CEILING
    assert not result.correct
    order_kinds = {"before", "then", "start", "end"}
    assert {c.kind for c in result.missed} & order_kinds
    for missed in result.missed:
        assert missed.detail
        assert missed.why


@pytest.mark.parametrize("scenario_id", IDS)
def test_a_padded_copy_of_the_model_answer_earns_at_most_half(scenario_id: str) -> None:
    item = by_id(scenario_id)
    result = item.grade(padded(item.model_answer.activities))
    assert result.score <= WRONG_CEILING, result.feedback
    assert result.needless


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_judged_stream_earns_what_its_verdict_says(scenario_id: str) -> None:
    """valid >= 0.85 (the model and accepted answers among them), weak < 1, wrong <= 0.5;
    at least 3 valid, 1 weak and 3 wrong per scenario."""
    item = by_id(scenario_id)
    verdicts = [verdict for verdict, _ in item.judgements]
    assert verdicts.count("valid") >= 3
    assert verdicts.count("weak") >= 1
    assert verdicts.count("wrong") >= 3
    for verdict, stream in item.judgements:
        score = item.grade(stream).score
        limits = {"valid": score >= VALID_FLOOR, "weak": score < 1, "wrong": score <= WRONG_CEILING}
        assert limits[verdict], (verdict, stream.describe(), score)


@pytest.mark.parametrize("scenario_id", IDS)
def test_the_model_answer_shows_each_step_with_its_note_and_why(scenario_id: str) -> None:
    item = by_id(scenario_id)
    steps = item.walkthrough()
    assert [s.activity for s in steps] == list(item.model_answer.activities)
    given = {why for step in steps for why in step.whys}
    anchored = {c.why for c in item.rubric.constraints}
    assert given == anchored  # every constraint's why is shown at the step it is about


def test_scenarios_with_the_same_situation_agree_on_each_others_answers() -> None:
    """The incidents accept each other's model answers, and so do the new services and the
    planned changes: no rubric takes marks off a shape its sibling teaches."""
    families = [
        ("incident-resolution", "email-outage", "payroll-crash"),
        ("new-service-request", "feedback-portal"),
        ("change-implementation", "intranet-move"),
    ]
    for family in families:
        for one, other in itertools.permutations(family, 2):
            answer = by_id(other).model_answer
            assert by_id(one).grade(answer).score == 1.0, (one, other)


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
        if item.source == "pattern":
            assert item.objective == "activities-together", item.id
        elif not item.graded:
            assert item.objective == "value-streams", item.id
        assert item.objective in {"value-streams", "activities-together"}, item.id


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
            "      - then: [deliver-support, improve]\n        why: A new service",
            "      - then: [deliver-support, improvement]\n        why: A new service",
            "then: [deliver-support, improvement]",
            r"\(scenarios\[0\]\.rubric\[4\]\.then\[1\]\): unknown activity 'improvement'",
        ),
        (
            "      - before: [plan, design-transition]\n        weight: 2",
            "      - before: [plan, design-transition, improve]\n        weight: 2",
            "before: [plan, design-transition, improve]",
            r"a 'before' constraint names two things: \[first, then\]",
        ),
        (
            "      at_most: {engage: 2, design-transition: 2}",
            "      at_most: {engage: two, design-transition: 2}",
            "at_most: {engage: two",
            r"expected a whole number of times \(0 or more\), found 'two'",
        ),
        (
            "      at_most: {engage: 2, design-transition: 2}",
            "      at_most: {engage: 2, design: 2}",
            "at_most: {engage: 2, design: 2}",
            r"unknown activity 'design'; the activities are",
        ),
        (
            "      - then: [deliver-support, improve]\n        why: A new service",
            "      - then: [deliver-support, improve]\n        directly: true\n"
            "        why: A new service",
            "directly: true",
            r"unknown field 'directly' for a 'then' constraint",
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
        "      - start: engage\n        why: The incident reaches the organisation through the u",
        "      - start: plan\n        why: The incident reaches the organisation through the u",
    )
    with pytest.raises(course.ContentError) as caught:
        load_scenarios(content)
    text = str(caught.value)
    assert "scenarios[1].rubric" in text
    assert "the model answer scores 0.75 on the rubric, not full marks: Starts with Plan" in text


def test_a_judged_stream_the_rubric_disagrees_with_names_scenario_stream_and_score(
    content: Path,
) -> None:
    """Judge the incident's planned-and-designed stream valid: the loader refuses it."""
    break_file(
        content,
        "scenarios.yaml",
        "      valid:\n        - [engage, obtain-build, deliver-support, improve, engage]\n",
        "      valid:\n        - [engage, plan, design-transition, obtain-build, deliver-support,"
        " improve]\n",
    )
    with pytest.raises(course.ContentError) as caught:
        load_scenarios(content)
    assert str(caught.value).endswith(
        "scenario 'incident-resolution': the stream Engage → Plan → Design & Transition → "
        "Obtain/Build → Deliver & Support → Improve, judged valid, scores 0.50 on the rubric; "
        "a valid stream must score at least 0.85. Change the rubric (or the judgement) until "
        "they agree"
    )


def test_a_scenario_needs_accepted_answers_and_enough_judged_streams(content: Path) -> None:
    break_file(
        content,
        "scenarios.yaml",
        "        - [improve, deliver-support, obtain-build, engage]\n",
        "",
    )
    break_file(
        content,
        "scenarios.yaml",
        "        - [plan, design-transition, obtain-build, deliver-support]\n",
        "",
    )
    with pytest.raises(course.ContentError, match=r"'incident-resolution' judges 2 wrong"):
        load_scenarios(content)


def test_a_scenario_without_accepted_answers_is_refused(content: Path) -> None:
    break_file(
        content,
        "scenarios.yaml",
        "    also_accepted:\n      - [deliver-support, improve, deliver-support]\n"
        "      - [deliver-support, improve, plan]\n",
        "",
    )
    with pytest.raises(course.ContentError, match=r"'pattern-deliver-improve' has no 'also_acc"):
        load_scenarios(content)


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
        "    title: An incident\n    model_answer:\n"
        + "".join(
            f"      - {{activity: {a}, note: step}}\n"
            for a in ("engage", "obtain-build", "deliver-support", "improve")
        ),
    )
    with pytest.raises(
        course.ContentError, match="the worked example 'incident-resolution' has no"
    ):
        load_scenarios(content)
