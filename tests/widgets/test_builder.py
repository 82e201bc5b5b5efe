"""The value-stream builder widget, driven by the events ipycytoscape delivers.

A node click reaches Python as a comm message ``{"event": "click", "widget":
"node", "data": <the node's JSON>}``; the tests hand exactly that message to
the cytoscape widget's message handler, so the path from the graph to the
model is the real one, only without a browser.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import course
from course.records import load_records
from course.scenarios import UnknownScenarioError, load_scenarios
from course.widgets.builder import ValueStreamBuilder, builder

SIX = "Plan, Improve, Engage, Design & Transition, Obtain/Build, Deliver & Support"


def node_json(activity_id: str) -> dict[str, Any]:
    """What cytoscape.js's ``ele.json()`` sends for one of the builder's nodes."""
    return {
        "data": {"id": activity_id, "label": course.activity(activity_id).name},
        "position": {"x": 0, "y": 0},
        "group": "nodes",
        "removed": False,
        "selected": False,
        "selectable": False,
        "locked": True,
        "grabbable": False,
        "pannable": False,
        "classes": "",
    }


def click(b: ValueStreamBuilder, activity_id: str) -> None:
    widget = b.graph.widget
    message = {"event": "click", "widget": "node", "data": node_json(activity_id)}
    widget._handle_interaction(widget, message, [])


def edges(b: ValueStreamBuilder) -> list[tuple[str, str, str]]:
    """The edges as the cytoscape graph model holds them: (source, target, label)."""
    return [
        (e.data["source"], e.data["target"], e.data["label"]) for e in b.graph.widget.graph.edges
    ]


def status(b: ValueStreamBuilder) -> str:
    return str(b.status.value)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path))
    return tmp_path


def test_free_mode_shows_the_six_activities_in_their_colours_left_to_right() -> None:
    b = course.builder()
    assert b.scenario is None
    assert b.scenario_id == ""
    nodes = {n.data["id"]: n for n in b.graph.widget.graph.nodes if "frame" not in n.classes}
    activities = course.load_course().activities
    assert set(nodes) == {a.id for a in activities}
    for activity in activities:
        assert nodes[activity.id].data["label"] == activity.name
        assert nodes[activity.id].data["colour"] == activity.colour
        assert nodes[activity.id].locked
    flow = ["engage", "plan", "design-transition", "obtain-build", "deliver-support", "improve"]
    xs = [nodes[i].position["x"] for i in flow]
    assert xs == sorted(xs)
    assert len(set(xs)) == 6
    assert edges(b) == []
    assert "Click the activity where your value stream starts" in status(b)


@pytest.mark.parametrize(
    "name",
    [s.id for s in load_scenarios()] + [v.id for v in course.load_course().value_streams],
)
def test_every_scenario_and_worked_example_opens_an_exercise(name: str) -> None:
    b = course.builder(name)
    assert b.scenario is not None
    assert b.scenario_id == b.scenario.id
    assert b.scenario.title in b.children[0].value


def test_unknown_exercise_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownScenarioError, match="email-outage"):
        course.builder("email-down")


def test_saved_traits_live_on_the_top_level_box_and_are_documented() -> None:
    b = builder("incident-resolution", question_id="practice-3")
    state = b.get_state()
    assert state["question_id"] == "practice-3"
    assert state["scenario_id"] == "incident-resolution"
    assert state["steps"] == []
    for name in ("question_id", "scenario_id", "steps"):
        trait = b.traits()[name]
        assert trait.metadata.get("sync") is True
        assert trait.help
        assert name in (course.widgets.builder.__doc__ or "")


def test_two_node_clicks_make_a_numbered_edge_and_a_step() -> None:
    b = course.builder("incident-resolution")
    click(b, "engage")
    assert "pending" in b.graph.node_classes("engage")
    assert "Engage selected" in status(b)
    assert b.stream == []
    click(b, "obtain-build")
    assert b.stream == ["Engage", "Obtain/Build"]
    assert b.steps == ["engage", "obtain-build"]
    assert edges(b) == [("engage", "obtain-build", "1")]
    assert "pending" not in b.graph.node_classes("engage")
    assert {"in-stream", "end"} <= b.graph.node_classes("obtain-build")
    click(b, "obtain-build")
    click(b, "deliver-support")
    click(b, "deliver-support")
    click(b, "improve")
    assert edges(b) == [
        ("engage", "obtain-build", "1"),
        ("obtain-build", "deliver-support", "2"),
        ("deliver-support", "improve", "3"),
    ]
    assert b.steps == ["engage", "obtain-build", "deliver-support", "improve"]
    assert "latest" in b.graph.widget.graph.edges[-1].classes


def test_clicking_the_selected_node_again_cancels() -> None:
    b = course.builder()
    click(b, "plan")
    click(b, "plan")
    assert b.stream == []
    assert "pending" not in b.graph.node_classes("plan")
    assert "no longer selected" in status(b)


def test_a_click_from_the_middle_of_the_stream_is_explained_not_applied() -> None:
    b = course.builder()
    b.stream = ["Engage", "Plan", "Design & Transition"]
    click(b, "plan")
    assert "your stream ends with Design &amp; Transition" in status(b)
    click(b, "obtain-build")
    assert b.stream == ["Engage", "Plan", "Design & Transition"]
    assert "connect from Design &amp; Transition (step 3)" in status(b)
    # into the first step prepends instead
    click(b, "improve")
    click(b, "engage")
    assert b.stream[0] == "Improve"
    assert edges(b)[0] == ("improve", "engage", "1")


def test_python_surface_has_the_same_effect_as_clicking() -> None:
    clicked, typed = course.builder("email-outage"), course.builder("email-outage")
    for source, target in [
        ("engage", "deliver-support"),
        ("deliver-support", "obtain-build"),
        ("obtain-build", "deliver-support"),
    ]:
        click(clicked, source)
        click(clicked, target)
        typed.connect(source, target)
    assert clicked.stream == typed.stream
    assert clicked.steps == typed.steps
    assert edges(clicked) == edges(typed)
    assert clicked.check().to_json() == typed.check().to_json()


def test_unknown_activities_raise_and_name_the_six() -> None:
    b = course.builder()
    with pytest.raises(course.UnknownActivityError) as caught:
        b.add_step("Operate")
    assert SIX in str(caught.value)
    with pytest.raises(course.UnknownActivityError, match="The six activities are"):
        b.connect("Engage", "Sell")
    assert b.stream == []


def test_add_remove_move_undo_and_reset_redraw_the_graph() -> None:
    b = course.builder()
    b.add_step("Engage")
    b.add_step("design and transition")
    b.add_step("Plan", note="Agree the scope")
    assert edges(b) == [("engage", "design-transition", "1"), ("design-transition", "plan", "2")]
    b.move_step(2, -1)
    assert b.stream == ["Engage", "Plan", "Design & Transition"]
    assert edges(b) == [("engage", "plan", "1"), ("plan", "design-transition", "2")]
    assert b.value_stream.steps[1].action == "Agree the scope"
    b.remove_step(0)
    assert b.stream == ["Plan", "Design & Transition"]
    assert edges(b) == [("plan", "design-transition", "1")]
    assert b.undo()
    assert b.stream == ["Engage", "Plan", "Design & Transition"]
    b.reset()
    assert b.stream == []
    assert edges(b) == []
    assert b.undo()
    assert b.stream == ["Engage", "Plan", "Design & Transition"]
    while b.undo():
        pass
    assert b.stream == []
    assert "Nothing to undo" in status(b)
    assert b.undo_button.disabled


def test_removed_edges_are_closed_so_no_widget_models_pile_up() -> None:
    b = course.builder()
    b.stream = ["Engage", "Plan", "Improve"]
    old = list(b.graph.widget.graph.edges)
    b.stream = ["Improve", "Plan"]
    assert all(edge.comm is None for edge in old)
    assert len(b.graph.widget.graph.edges) == 1


def test_list_mode_buttons_edit_the_same_model_as_the_graph() -> None:
    b = course.builder()
    for name in ("Engage", "Plan", "Improve"):
        b.activity_choice.value = course.activity(name).id
        b.add_button.click()
    assert b.stream == ["Engage", "Plan", "Improve"]
    assert [label for label, _ in b.step_list.options] == ["1. Engage", "2. Plan", "3. Improve"]
    assert b.step_list.value == 2
    b.up_button.click()
    assert b.stream == ["Engage", "Improve", "Plan"]
    assert b.step_list.value == 1
    assert edges(b) == [("engage", "improve", "1"), ("improve", "plan", "2")]
    b.up_button.click()
    b.up_button.click()  # already first: explained, nothing changes
    assert b.stream == ["Improve", "Engage", "Plan"]
    assert "cannot move there" in status(b)
    b.remove_button.click()
    assert b.stream == ["Engage", "Plan"]
    b.note.value = "Measure availability"
    b.activity_choice.value = "improve"
    b.add_button.click()
    assert b.value_stream.steps[-1].action == "Measure availability"
    assert b.note.value == ""
    assert b.step_list.options[-1][0] == "3. Improve (Measure availability)"


def test_graph_clicks_show_up_in_the_list() -> None:
    b = course.builder()
    click(b, "engage")
    click(b, "plan")
    assert [label for label, _ in b.step_list.options] == ["1. Engage", "2. Plan"]


def test_setting_steps_loads_a_stream() -> None:
    b = course.builder("new-starters")
    b.steps = ["engage", "obtain-build", "Deliver and support"]
    assert b.steps == ["engage", "obtain-build", "deliver-support"]
    assert b.stream == ["Engage", "Obtain/Build", "Deliver & Support"]
    assert len(edges(b)) == 2


def test_setting_unknown_steps_is_refused_and_changes_nothing() -> None:
    b = course.builder()
    b.stream = ["Engage", "Plan"]
    with pytest.raises(course.UnknownActivityError, match="Step 2: 'operate'"):
        b.steps = ["engage", "operate"]
    assert b.steps == ["engage", "plan"]
    assert b.stream == ["Engage", "Plan"]


def test_check_scores_shows_feedback_and_records_the_attempt(data_dir: Path) -> None:
    b = course.builder("incident-resolution", question_id="q-stream")
    b.stream = ["Engage", "Deliver & Support"]
    result = b.check()
    assert 0 < result.score < 1
    assert not result.correct
    assert "<b>Obtain/Build is followed by Deliver &amp; Support</b>" in b.feedback.value
    assert "Obtain/Build is followed by Deliver & Support" in result.feedback
    assert "Saved to your progress (attempt 1)" in b.feedback.value
    b.stream = ["Engage", "Obtain/Build", "Deliver & Support", "Improve"]
    assert b.check().correct
    records = [r for r in load_records() if r.item == "incident-resolution"]
    assert [(r.kind, r.objective, r.attempt) for r in records] == [
        ("stream", "value-streams", 1),
        ("stream", "value-streams", 2),
    ]
    assert records[0].score == result.score
    assert records[1].score == 1.0
    assert records[1].detail["steps"] == ["engage", "obtain-build", "deliver-support", "improve"]
    assert records[1].detail["question"] == "q-stream"
    assert json.loads(json.dumps(records[1].detail)) == records[1].detail


def test_patterns_are_recorded_under_activities_together(data_dir: Path) -> None:
    b = course.builder("pattern-deliver-improve")
    b.connect("Deliver & Support", "Improve")
    assert b.check().correct
    assert load_records()[-1].objective == "activities-together"


def test_free_mode_check_describes_without_recording(data_dir: Path) -> None:
    b = course.builder()
    b.stream = ["Deliver & Support", "Improve"]
    result = b.check()
    assert result.correct
    assert "Common pattern: Deliver &amp; Support → Improve" in b.feedback.value
    assert load_records() == []
    empty = course.builder().check()
    assert empty.score == 0.0
    assert "empty" in empty.problem


def test_checking_an_empty_exercise_explains_and_records_nothing(data_dir: Path) -> None:
    b = course.builder("email-outage")
    result = b.check()
    assert (result.score, result.correct) == (0.0, False)
    assert "Your value stream is empty" in b.feedback.value
    assert load_records() == []


def test_unwritable_progress_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("ITIL_COURSE_DATA", str(blocked))
    b = course.builder("pattern-deliver-improve")
    b.connect("Deliver & Support", "Improve")
    assert b.check().correct
    assert "could not be saved" in b.feedback.value


def test_connecting_into_the_first_step_says_a_new_first_step_was_added() -> None:
    """Obtain/Build is step 1; Engage -> Obtain/Build puts Engage in front, and says so."""
    built = course.builder("incident-resolution")
    built.add_step("obtain-build")
    built.add_step("deliver-support")
    built.connect("Engage", "Obtain/Build")
    assert built.stream == ["Engage", "Obtain/Build", "Deliver & Support"]
    assert "Step 1 added: Engage." in built.status.value
