"""The builder and the grader score every judged stream alike; model answers and the chooser."""

from __future__ import annotations

from pathlib import Path

import pytest

from course import graded
from course.scenarios import load_scenarios, scenario
from course.widgets.builder import builder
from course.widgets.more_practice import more_practice

SCENARIOS = load_scenarios()
JUDGED = [
    pytest.param(item.id, verdict, stream.names, id=f"{item.id}-{verdict}-{number}")
    for item in SCENARIOS
    for number, (verdict, stream) in enumerate(item.judgements)
]
POINTS = 3


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(("scenario_id", "verdict", "names"), JUDGED)
def test_builder_and_graded_scorer_give_every_judged_stream_the_same_score(
    scenario_id: str, verdict: str, names: tuple[str, ...]
) -> None:
    """Built in the builder (clicks' model) or typed for the grader: one engine, one score."""
    made = builder(scenario_id)
    made.stream = list(names)
    in_builder = made.check().score
    in_grader = graded.score_stream(list(names), scenario=scenario_id, points=POINTS)
    assert in_grader.points == round(in_builder * POINTS, 2)
    limits = {"valid": in_builder >= 0.85, "weak": in_builder < 1, "wrong": in_builder <= 0.5}
    assert limits[verdict], (verdict, names, in_builder)


def test_the_same_stream_built_by_clicks_scores_as_when_typed() -> None:
    made = builder("email-outage")
    for source, target in [
        ("Engage", "Deliver & Support"),
        ("Deliver & Support", "Obtain/Build"),
        ("Obtain/Build", "Deliver & Support"),
        ("Deliver & Support", "Improve"),
    ]:
        made.click(source)
        made.click(target)
    assert made.stream == [
        "Engage",
        "Deliver & Support",
        "Obtain/Build",
        "Deliver & Support",
        "Improve",
    ]
    typed = graded.score_stream(made.stream, scenario="email-outage", points=2)
    assert (made.check().score, typed.points) == (1.0, 2)


def test_a_full_marks_check_shows_the_model_answer_with_each_steps_note_and_why() -> None:
    made = builder("email-outage")
    assert made.model.value == ""
    made.stream = ["Engage", "Obtain/Build", "Deliver & Support", "Improve"]
    assert made.check().correct
    shown = made.model.value
    assert "A model answer" in shown
    for step in scenario("email-outage").walkthrough():
        assert step.note in shown
        for why in step.whys:
            assert why.replace("'", "&#x27;") in shown
    assert "Why no more steps:" in shown
    assert "<svg" in shown  # the diagram of the model answer


def test_a_worked_example_reveals_its_diagram_only_after_a_check() -> None:
    made = builder("incident-resolution")
    assert "Communicate with user" not in made.model.value
    made.stream = ["Engage", "Obtain/Build", "Deliver & Support", "Improve"]
    made.check()
    assert "Communicate with user" in made.model.value  # the course's own diagram
    assert "Incident Resolution" in made.model.value


def test_the_show_a_model_answer_button_appears_after_two_attempts() -> None:
    made = builder("pattern-deliver-improve")
    made.stream = ["Improve", "Deliver & Support"]
    made.check()
    assert made.model_button.layout.display == "none"
    assert made.model.value == ""
    made.check()
    assert made.model_button.layout.display == ""
    made.model_button.click()
    assert "A model answer" in made.model.value
    assert made.model_button.layout.display == "none"


@pytest.mark.parametrize("scenario_id", [s.id for s in SCENARIOS if s.graded])
def test_a_graded_question_never_shows_a_model_answer_nor_its_marks(scenario_id: str) -> None:
    made = builder(scenario_id, question_id="q")
    item = scenario(scenario_id)
    for attempt in range(3):
        made.stream = list(item.model_answer.names if attempt == 2 else item.model_answer.names[:2])
        made.check()
    assert made.show_model() is False
    assert made.model.value == ""
    assert made.model_button.layout.display == "none"
    assert "well formed" in made.feedback.value
    assert "%" not in made.feedback.value
    assert "checks met" not in made.feedback.value


def test_the_chooser_lists_every_exercise_with_its_status_and_opens_it() -> None:
    chooser = more_practice()
    exercises = [s for s in SCENARIOS if not s.graded]
    assert [value for _, value in chooser.choice.options] == [s.id for s in exercises]
    assert all("(not tried yet)" in label for label, _ in chooser.choice.options)
    assert f"0 of {len(exercises)} exercises done" in chooser.table.value
    opened = chooser.open_exercise("new-starters")
    assert opened.scenario is not None
    assert opened.scenario.id == "new-starters"
    assert chooser.area.children == (opened,)
    opened.stream = ["Engage", "Plan", "Obtain/Build", "Deliver & Support"]
    opened.check()
    chooser.refresh()
    labels = dict((value, label) for label, value in chooser.choice.options)
    assert labels["new-starters"] == "Email and laptops for new starters (best 75% after 1 check)"
    opened.stream = ["Engage", "Obtain/Build", "Deliver & Support"]
    opened.check()
    chooser.refresh()
    assert "done: full marks" in dict((v, k) for k, v in chooser.choice.options)["new-starters"]
    assert f"1 of {len(exercises)} exercises done" in chooser.table.value
