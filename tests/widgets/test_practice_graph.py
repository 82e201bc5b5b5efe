"""The activities-and-practices explorer, driven by the node clicks ipycytoscape delivers."""

from __future__ import annotations

from typing import Any

import pytest

import course
from course.widgets.practice_graph import PracticeGraph, practice_graph


def click(graph: PracticeGraph, node_id: str) -> None:
    """Hand the cytoscape widget the message a click on ``node_id`` sends."""
    widget = graph.graph.widget
    node: dict[str, Any] = {"data": {"id": node_id}, "group": "nodes", "classes": ""}
    widget._handle_interaction(widget, {"event": "click", "widget": "node", "data": node}, [])


def edge_pairs(graph: PracticeGraph) -> set[tuple[str, str]]:
    return {(e.data["source"], e.data["target"]) for e in graph.graph.widget.graph.edges}


def classes(graph: PracticeGraph, node_id: str) -> set[str]:
    return graph.graph.node_classes(node_id)


def test_graph_is_bipartite_and_matches_the_course() -> None:
    """One node per activity and practice; an edge exactly where a practice supports an activity."""
    data = course.load_course()
    g = course.practice_graph()
    ids = set(g.graph.node_ids)
    assert ids == {f"activity:{a.id}" for a in data.activities} | {
        f"practice:{p.id}" for p in data.practices
    }
    expected = {(f"practice:{p.id}", f"activity:{a}") for p in data.practices for a in p.supports}
    assert edge_pairs(g) == expected
    for activity in data.activities:
        node = next(
            n for n in g.graph.widget.graph.nodes if n.data["id"] == f"activity:{activity.id}"
        )
        assert node.data["colour"] == activity.colour
        assert node.data["label"] == activity.name


def test_activities_sit_in_the_middle_and_practices_on_both_sides() -> None:
    g = practice_graph()
    xs = {node_id: g.graph.node_position(node_id)[0] for node_id in g.graph.node_ids}
    assert {x for n, x in xs.items() if n.startswith("activity:")} == {0.0}
    practice_xs = [x for n, x in xs.items() if n.startswith("practice:")]
    left, right = sum(x < 0 for x in practice_xs), sum(x > 0 for x in practice_xs)
    assert left + right == len(practice_xs)
    assert abs(left - right) <= 1


def test_clicking_an_activity_shows_its_practices() -> None:
    g = practice_graph()
    click(g, "activity:engage")
    engage = [p for p in course.load_course().practices if "engage" in p.supports]
    assert g.selected == "Engage"
    assert g.related == [p.name for p in engage]
    assert "focus" in classes(g, "activity:engage")
    assert "related" in classes(g, "practice:supplier-management")
    assert "faded" in classes(g, "practice:incident-management")
    assert "faded" in classes(g, "activity:plan")
    assert f"Supported by {len(engage)} practices" in g.details.value
    assert g.explore.value == "activity:engage"
    related = [e for e in g.graph.widget.graph.edges if "related" in e.classes.split()]
    assert {e.data["source"] for e in related} == {f"practice:{p.id}" for p in engage}


def test_clicking_a_practice_shows_the_activities_it_supports() -> None:
    g = practice_graph()
    click(g, "practice:supplier-management")
    assert g.selected == "Supplier Management"
    assert g.related == ["Engage", "Obtain/Build"]
    assert "related" in classes(g, "activity:obtain-build")
    assert "supports 2 activities: Engage, Obtain/Build" in g.details.value
    assert "more than one activity" in g.details.value


def test_clicking_the_selection_again_clears_it() -> None:
    g = practice_graph()
    click(g, "activity:plan")
    click(g, "activity:plan")
    assert g.selected == ""
    assert g.related == []
    assert not any("faded" in classes(g, n) for n in g.graph.node_ids)
    assert "Nothing selected yet" in g.details.value


def test_keyboard_dropdown_and_select_drive_the_same_view() -> None:
    g = practice_graph()
    g.explore.value = "practice:incident-management"
    assert g.related == ["Deliver & Support"]
    assert "focus" in classes(g, "practice:incident-management")
    g.select("design and transition")
    assert g.explore.value == "activity:design-transition"
    assert "Service Design" in g.related
    g.select("service desk")
    assert g.selected == "Service Desk"
    g.clear()
    assert g.explore.value == ""


def test_selection_restyles_edges_without_new_widgets() -> None:
    g = practice_graph()
    before = [e.model_id for e in g.graph.widget.graph.edges]
    click(g, "activity:improve")
    click(g, "practice:risk-management")
    assert [e.model_id for e in g.graph.widget.graph.edges] == before


def test_unknown_names_list_what_there_is() -> None:
    g = practice_graph()
    with pytest.raises(ValueError, match="neither an activity nor a practice") as caught:
        g.select("Sales")
    assert "Monitoring and Event Management" in str(caught.value)
    assert "Obtain/Build" in str(caught.value)
