"""Activities and the practices that support them, as a graph to explore.

``course.practice_graph()`` draws the six activities in a middle column, in
their colours, and the practices of the course on both sides, each joined to
the activities it supports. Click an activity to see its practices, or a
practice to see the activities it supports; click it again to clear. The
*Explore* drop-down does the same from the keyboard, and
:meth:`PracticeGraph.select` from Python.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as w

from ..loader import load_course
from ..lookup import find_activity
from ..model import Activity, Course, Practice
from ._cytoscape import FONT, EdgeSpec, GraphView, NodeSpec
from ._keyboard import keyboard_friendly

__all__ = ["PracticeGraph", "practice_graph"]

_ROW = 66.0  # between two activities
_SIDE = 335.0  # from the middle column to a practice column
_NONE = "(nothing selected)"


def practice_graph() -> PracticeGraph:
    """The activities-and-practices explorer."""
    keyboard_friendly()
    return PracticeGraph()


def _activity_node(activity_id: str) -> str:
    return f"activity:{activity_id}"


def _practice_node(practice_id: str) -> str:
    return f"practice:{practice_id}"


def layout(course: Course) -> list[NodeSpec]:
    """Activities in the middle column; practices on both sides, near their activities.

    Practices are taken in the order of the (mean) row of the activities they
    support and dealt to the left and the right in turn, so each side holds
    half of them and every line runs through the empty gap between columns.
    """
    rows = {a.id: index * _ROW for index, a in enumerate(course.activities)}
    nodes = [
        NodeSpec(_activity_node(a.id), a.name, a.colour, 0.0, rows[a.id], "activity")
        for a in course.activities
    ]
    order = sorted(
        course.practices,
        key=lambda p: sum(rows[a] for a in p.supports) / len(p.supports),
    )
    sides: tuple[list[Practice], list[Practice]] = ([], [])
    for index, practice in enumerate(order):
        sides[index % 2].append(practice)
    span = _ROW * (len(course.activities) - 1)
    for side, practices in zip((-1.0, 1.0), sides, strict=True):
        step = span / max(1, len(practices) - 1)
        for index, practice in enumerate(practices):
            nodes.append(
                NodeSpec(
                    _practice_node(practice.id),
                    practice.name,
                    "#ffffff",
                    side * _SIDE,
                    index * step,
                    "practice",
                )
            )
    return nodes


def _style() -> list[dict[str, Any]]:
    return [
        {
            "selector": "node",
            "style": {
                "shape": "round-rectangle",
                "label": "data(label)",
                "font-family": FONT,
                "color": "#1f2933",
                "text-valign": "center",
                "text-halign": "center",
                "text-wrap": "wrap",
                "background-color": "data(colour)",
                "border-color": "data(border)",
                "border-width": 2,
                "transition-property": "opacity",
                "transition-duration": "120ms",
            },
        },
        {
            "selector": "node.activity",
            "style": {
                "width": 180,
                "height": 46,
                "font-size": 17,
                "font-weight": 600,
                "text-max-width": 170,
            },
        },
        {
            "selector": "node.practice",
            "style": {
                "width": 306,
                "height": 28,
                "font-size": 14,
                "text-max-width": 302,
                "border-color": "#b0bec5",
                "border-width": 1,
            },
        },
        {
            "selector": "edge",
            "style": {"width": 1.5, "line-color": "#b0bec5", "curve-style": "straight"},
        },
        # lines start at the inner side of a practice, so they never cross another box
        {"selector": "edge.from-left", "style": {"source-endpoint": "50% 0%"}},
        {"selector": "edge.from-right", "style": {"source-endpoint": "-50% 0%"}},
        {"selector": ".faded", "style": {"opacity": 0.28}},
        {"selector": "node.focus", "style": {"border-width": 4, "border-color": "#1565c0"}},
        {
            "selector": "node.practice.related",
            "style": {"border-width": 2.5, "border-color": "#37474f"},
        },
        {"selector": "edge.related", "style": {"width": 3.5, "line-color": "#1565c0"}},
    ]


class PracticeGraph(w.VBox):
    """The bipartite graph, an *Explore* drop-down and a details panel."""

    def __init__(self) -> None:
        self._course = load_course()
        nodes = layout(self._course)
        side = {n.id: "from-left" if n.x < 0 else "from-right" for n in nodes}
        self._edges = [
            EdgeSpec(_practice_node(p.id), _activity_node(a), "", side[_practice_node(p.id)])
            for p in self._course.practices
            for a in p.supports
        ]
        self.graph = GraphView(
            nodes,
            _style(),
            height="400px",  # ipycytoscape's own CSS height: the first fit uses it
            on_node_click=self._node_clicked,
            margin=(160.0, 30.0),
        )
        self.graph.set_edges(self._edges)
        self.graph.widget.add_class("itil-practice-graph")
        options: list[tuple[str, str]] = [(_NONE, "")]
        options += [(f"Activity: {a.name}", _activity_node(a.id)) for a in self._course.activities]
        options += [(f"Practice: {p.name}", _practice_node(p.id)) for p in self._course.practices]
        self.explore = w.Dropdown(
            options=options, value="", description="Explore", layout=w.Layout(width="420px")
        )
        self.explore.observe(self._explored, names="value")
        self.details = w.HTML()
        self._selected = ""
        super().__init__(
            [
                w.HTML(
                    "<h3 style='margin:4px 0'>Activities and the practices that support them</h3>"
                    "<p style='margin:4px 0;line-height:1.45;max-width:62em'>Click an activity "
                    "to see the practices that support it, or a practice to see the activities "
                    "it supports. Click it again to clear.</p>"
                ),
                self.graph.widget,
                self.explore,
                self.details,
            ]
        )
        self.add_class("itil-practices")
        self._show()

    # -- the Python surface -------------------------------------------------

    @property
    def selected(self) -> str:
        """The name of the selected activity or practice ('' when none)."""
        kind, _, key = self._selected.partition(":")
        if kind == "activity":
            return self._course.activity_by_id(key).name
        if kind == "practice":
            return self._course.practice(key).name
        return ""

    @property
    def related(self) -> list[str]:
        """The names of what the selection is joined to, in course order."""
        kind, _, key = self._selected.partition(":")
        if kind == "activity":
            return list(self._course.activity_by_id(key).practices)
        if kind == "practice":
            supports = self._course.practice(key).supports
            return [a.name for a in self._course.activities if a.id in supports]
        return []

    def select(self, name: str | None) -> None:
        """Select an activity or a practice by name; ``None`` clears the selection."""
        self.explore.value = self._node_for(name) if name else ""

    def clear(self) -> None:
        self.select(None)

    # -- events -------------------------------------------------------------

    def _node_for(self, name: str) -> str:
        found = find_activity(name, self._course.activities)
        if found is not None:
            return _activity_node(found.id)
        try:
            return _practice_node(self._course.practice(name).id)
        except KeyError:
            pass
        practices = ", ".join(p.name for p in self._course.practices)
        activities = ", ".join(a.name for a in self._course.activities)
        raise ValueError(
            f"{name!r} is neither an activity nor a practice of the course. "
            f"The activities are: {activities}. The practices are: {practices}."
        )

    def _node_clicked(self, node_id: str) -> None:
        self.explore.value = "" if node_id == self._selected else node_id

    def _explored(self, change: dict[str, Any]) -> None:
        self._selected = str(change["new"] or "")
        self._show()

    # -- drawing ------------------------------------------------------------

    def _show(self) -> None:
        chosen = self._selected
        linked = {
            e.source if e.target == chosen else e.target
            for e in self._edges
            if chosen in (e.source, e.target)
        }
        for node_id in self.graph.node_ids:
            if not chosen:
                classes = ""
            elif node_id == chosen:
                classes = "focus"
            elif node_id in linked:
                classes = "related"
            else:
                classes = "faded"
            kind = node_id.partition(":")[0]
            self.graph.set_node(node_id, classes=f"{kind} {classes}".strip())
        self.graph.set_edges([_restyled(e, chosen) for e in self._edges])
        self.details.value = self._details_html()

    def _details_html(self) -> str:
        kind, _, key = self._selected.partition(":")
        if kind == "activity":
            activity = self._course.activity_by_id(key)
            return _activity_html(activity)
        if kind == "practice":
            practice = self._course.practice(key)
            supports = [a for a in self._course.activities if a.id in practice.supports]
            return _practice_html(practice, supports)
        return (
            "<p style='margin:4px 0;color:#555;line-height:1.45'>Nothing selected yet. "
            "Practices support activities; they are not activities themselves, and one "
            "practice can support more than one activity.</p>"
        )


def _restyled(edge: EdgeSpec, chosen: str) -> EdgeSpec:
    """``edge`` marked as joined to the selection, faded, or neither."""
    if not chosen:
        state = ""
    elif chosen in (edge.source, edge.target):
        state = " related"
    else:
        state = " faded"
    return EdgeSpec(edge.source, edge.target, edge.label, edge.classes + state)


def _activity_html(activity: Activity) -> str:
    items = "".join(f"<li>{html.escape(p)}</li>" for p in activity.practices)
    count = len(activity.practices)
    return (
        f"<div style='line-height:1.45'><b>{html.escape(activity.name)}</b>: "
        f"{html.escape(activity.purpose)}<br>Supported by {count} practice"
        f"{'s' if count != 1 else ''}:<ul style='margin:2px 0'>{items}</ul></div>"
    )


def _practice_html(practice: Practice, supports: Sequence[Activity]) -> str:
    names = ", ".join(html.escape(a.name) for a in supports)
    extra = " One practice can support more than one activity." if len(supports) > 1 else ""
    word = "activity" if len(supports) == 1 else "activities"
    return (
        f"<div style='line-height:1.45'>In this course's map, "
        f"<b>{html.escape(practice.name)}</b> supports {len(supports)} {word}: "
        f"{names}.{extra}</div>"
    )
