"""How the value-stream builder looks: graph positions, graph style, HTML.

Pure rendering helpers for :mod:`course.widgets.builder`; they take plain
values and return plain values (positions, style dicts, HTML strings).
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Sequence
from typing import Any

from .. import diagram
from ..loader import load_course
from ..model import Activity
from ..rubric import ConstraintResult, NeedlessStep, RubricResult
from ..scenarios import Scenario
from ..valuestream import activity_name
from ._cytoscape import FONT, EdgeSpec, NodeSpec

__all__ = [
    "BLUE",
    "edge_specs",
    "feedback_html",
    "graded_html",
    "graph_style",
    "header_html",
    "model_html",
    "next_text",
    "node_specs",
    "pending_text",
    "status_html",
    "step_labels",
    "stream_html",
]

BLUE = "#1565c0"
INK = "#1f2933"
# Left to right in the order of the course's first worked example (New
# Service Request), zigzagging between two gently curved rows. No three
# positions are in a line, so no connection is ever drawn through another
# activity, and each hand-over of a typical stream reads left to right.
_FLOW = ("engage", "plan", "design-transition", "obtain-build", "deliver-support", "improve")
_COLUMN = 170.0
_ROWS = (-62.0, 62.0)
_BOW = 80.0  # the middle of each row bows outwards, clear of lines between its ends


def positions(activities: Sequence[Activity]) -> dict[str, tuple[float, float]]:
    """A fixed, left-to-right position for each activity."""
    order = sorted(
        (a.id for a in activities),
        key=lambda i: (i not in _FLOW, _FLOW.index(i) if i in _FLOW else 0),
    )
    last = max(1, len(order) - 1)
    out: dict[str, tuple[float, float]] = {}
    for index, activity_id in enumerate(order):
        row = _ROWS[index % 2]
        bow = _BOW * math.sin(math.pi * index / last)
        out[activity_id] = (index * _COLUMN, row + math.copysign(bow, row))
    return out


def node_specs(activities: Sequence[Activity]) -> list[NodeSpec]:
    places = positions(activities)
    return [NodeSpec(a.id, a.name, a.colour, *places[a.id]) for a in activities]


def node_classes(activity_id: str, ids: Sequence[str], pending: str | None) -> str:
    classes = []
    if activity_id in ids:
        classes.append("in-stream")
    if ids and ids[-1] == activity_id:
        classes.append("end")
    if pending == activity_id:
        classes.append("pending")
    return " ".join(classes)


def edge_specs(ids: Sequence[str]) -> list[EdgeSpec]:
    """One numbered edge per hand-over; the newest is marked ``latest``."""
    pairs = list(itertools.pairwise(ids))
    return [
        EdgeSpec(a, b, str(n), "latest" if n == len(pairs) else "")
        for n, (a, b) in enumerate(pairs, start=1)
    ]


def graph_style() -> list[dict[str, Any]]:
    return [
        {
            "selector": "node",
            "style": {
                "shape": "round-rectangle",
                "width": 170,
                "height": 58,
                "background-color": "data(colour)",
                "border-width": 2,
                "border-color": "data(border)",
                "label": "data(label)",
                "color": INK,
                "font-family": FONT,
                "font-size": 19,
                "font-weight": 600,
                "text-valign": "center",
                "text-halign": "center",
                "text-wrap": "wrap",
                "text-max-width": 158,
            },
        },
        {"selector": "node.in-stream", "style": {"border-width": 4}},
        {"selector": "node.end", "style": {"border-style": "double", "border-width": 7}},
        {
            "selector": "node.pending",
            "style": {
                "border-color": BLUE,
                "border-style": "solid",
                "border-width": 6,
                "overlay-color": BLUE,
                "overlay-opacity": 0.12,
                "overlay-padding": 6,
            },
        },
        {
            "selector": "edge",
            "style": {
                "width": 3,
                "curve-style": "bezier",
                "control-point-step-size": 46,
                "line-color": "#607d8b",
                "target-arrow-shape": "triangle",
                "target-arrow-color": "#607d8b",
                "arrow-scale": 1.4,
                "label": "data(label)",
                "font-family": FONT,
                "font-size": 17,
                "font-weight": 700,
                "color": INK,
                "text-background-color": "#ffffff",
                "text-background-opacity": 1,
                "text-background-shape": "roundrectangle",
                "text-background-padding": 4,
                "text-border-width": 1.5,
                "text-border-color": "#607d8b",
                "text-border-opacity": 1,
            },
        },
        {
            "selector": "edge.latest",
            "style": {
                "line-color": BLUE,
                "target-arrow-color": BLUE,
                "text-border-color": BLUE,
            },
        },
    ]


_TEXT = "margin:4px 0;max-width:62em;line-height:1.45"


def header_html(scenario: Scenario | None, question_id: str = "") -> str:
    """The builder's title: free mode only when it answers no question."""
    if scenario is None and question_id:
        return (
            f"<h3 style='margin:4px 0'>Graded question {html.escape(question_id)}</h3>"
            f"<p style='{_TEXT}'>Build your answer here. <b>Check</b> tells you whether it is "
            "well formed; it is marked when your work is graded.</p>"
        )
    if scenario is not None and scenario.graded:
        return (
            f"<h3 style='margin:4px 0'>Graded question: {html.escape(scenario.title)}</h3>"
            f"<p style='{_TEXT}'>Build your answer here. <b>Check</b> tells you whether it is "
            "well formed; it is marked when your work is graded.</p>"
        )
    if scenario is None:
        return (
            "<h3 style='margin:4px 0'>Value-stream builder: free mode</h3>"
            f"<p style='{_TEXT}'>Combine the six activities into any "
            "value stream you like. <b>Check</b> tells you which common patterns it "
            "contains.</p>"
        )
    return (
        f"<h3 style='margin:4px 0'>Exercise: {html.escape(scenario.title)}</h3>"
        f"<p style='{_TEXT}'>{html.escape(scenario.brief)}</p>"
    )


def status_html(text: str, tone: str = "info") -> str:
    colour, background = {
        "info": ("#0d3c61", "#e8f1fb"),
        "warn": ("#663c00", "#fff4e5"),
        "done": ("#1e4620", "#edf7ed"),
    }[tone]
    return (
        f"<div role='status' style='padding:6px 10px;border-radius:6px;color:{colour};"
        f"background:{background};font-size:14px;line-height:1.4;min-height:2.9em;box-sizing:border-box'>"
        f"{html.escape(text)}</div>"
    )


LEGEND = (
    "<p style='margin:2px 0;color:#555;font-size:12px'>Bold outline: in your stream"
    " &middot; double outline: its last step &middot; blue: selected"
    " &middot; the numbers on the arrows give the order of the hand-overs.</p>"
)


def stream_html(names: Sequence[str], notes: Sequence[str]) -> str:
    if not names:
        return f"<p style='{_TEXT};color:#555'>Your value stream has no steps yet.</p>" + LEGEND
    items = []
    for number, (name, note) in enumerate(zip(names, notes, strict=True), start=1):
        extra = f" <span style='color:#555'>({html.escape(note)})</span>" if note else ""
        items.append(f"<b>{number}</b>&nbsp;{html.escape(name)}{extra}")
    return f"<p style='{_TEXT}'>Your value stream: " + " &rarr; ".join(items) + "</p>" + LEGEND


def _constraint_item(result: ConstraintResult) -> str:
    mark, colour = ("✓", "#1e7b34") if result.met else ("✗", "#b3261e")
    label = "met" if result.met else "missed"
    why = f" <span style='color:#444'>{html.escape(result.why)}</span>" if result.why else ""
    return (
        f"<li style='margin:4px 0;list-style:none;line-height:1.4'>"
        f"<span aria-label='{label}' style='color:{colour};font-weight:700'>{mark}</span> "
        f"<b>{html.escape(result.description)}</b>: {html.escape(result.detail)}{why}</li>"
    )


def _needless_item(step: NeedlessStep) -> str:
    why = f" <span style='color:#444'>{html.escape(step.why)}</span>" if step.why else ""
    return (
        "<li style='margin:4px 0;list-style:none;line-height:1.4'>"
        "<span aria-label='needless' style='color:#b3261e;font-weight:700'>✗</span> "
        f"<b>Step {step.number} ({html.escape(activity_name(step.activity))}) is needless</b>: "
        f"{html.escape(step.reason)}{why}</li>"
    )


def graded_html(result: RubricResult) -> str:
    """A graded question's check: the form of the answer only, never its marks."""
    if result.problem:
        head, tone = html.escape(result.problem), "#b3261e"
    else:
        count = len(result.steps)
        head = (
            f"Your value stream has {count} step{'' if count == 1 else 's'} and is well formed. "
            "It is marked when your work is graded."
        )
        tone = "#0d3c61"
    return (
        "<div style='border:1px solid #cfd8dc;border-radius:8px;padding:8px 12px;"
        f"background:#fbfcfd'><p style='margin:4px 0;font-weight:700;color:{tone}'>{head}</p>"
        "</div>"
    )


def model_html(scenario: Scenario) -> str:
    """A self-check exercise's model answer: its diagram, then each step's note and why."""
    course = load_course()
    if scenario.source == "example":
        figure = diagram.stream(scenario.based_on)
    else:
        figure = diagram.stream(scenario.model_answer.activities)
    items = []
    for step in scenario.walkthrough():
        activity = course.activity_by_id(step.activity)
        note = f": {html.escape(step.note)}" if step.note else ""
        reasons = step.whys or (f"What {activity.name} does: {activity.purpose}",)
        why = "".join(
            f"<div style='color:#444;margin-left:1.2em'>Why: {html.escape(r)}</div>"
            for r in reasons
        )
        items.append(
            f"<li style='margin:4px 0'><b>{html.escape(activity.name)}</b>{note}{why}</li>"
        )
    parts = [
        "<p style='margin:4px 0;font-weight:700;color:#0d3c61'>A model answer</p>",
        figure.html,
        f"<ol style='margin:6px 0;padding-left:22px;line-height:1.4'>{''.join(items)}</ol>",
    ]
    if scenario.rubric.budget is not None and scenario.rubric.budget.why:
        parts.append(
            f"<p style='{_TEXT}'><b>Why no more steps:</b> "
            f"{html.escape(scenario.rubric.budget.why)}</p>"
        )
    if scenario.also_accepted:
        others = "".join(
            f"<li>{html.escape(' → '.join(alt.names))}</li>" for alt in scenario.also_accepted
        )
        parts.append(
            f"<p style='{_TEXT}'><b>Also full marks:</b></p>"
            f"<ul style='margin:2px 0;padding-left:22px'>{others}</ul>"
        )
    return (
        "<div class='itil-model-answer' style='border:1px solid #90caf9;border-radius:8px;"
        f"padding:8px 12px;margin-top:6px;background:#f5f9ff'>{''.join(parts)}</div>"
    )


def feedback_html(result: RubricResult, *, scored: bool, recorded: str = "") -> str:
    """The check's outcome: what was missed first, then what was met, then notes."""
    if result.problem:
        head = html.escape(result.problem)
        tone = "#b3261e"
    elif not scored:
        head = "Your value stream is well formed." if result.correct else result.summary
        tone = "#1e7b34" if result.correct else "#b3261e"
    elif result.correct:
        count = len(result.constraints)
        head = f"Well done: every check is met ({count} of {count})."
        tone = "#1e7b34"
    else:
        head = html.escape(result.summary)
        tone = "#8a4b00"
    parts = [f"<p style='margin:4px 0;font-weight:700;color:{tone}'>{head}</p>"]
    if result.steps and (result.missed or result.met or result.needless):
        ordered = [*result.missed, *result.met]
        parts.append(
            "<ul style='margin:4px 0;padding-left:4px'>"
            + "".join(_constraint_item(c) for c in ordered)
            + "".join(_needless_item(n) for n in result.needless)
            + "</ul>"
        )
    if result.notes:
        parts.append(
            "<ul style='margin:4px 0;padding-left:18px;color:#333;line-height:1.4'>"
            + "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
            + "</ul>"
        )
    if recorded:
        parts.append(
            f"<p style='margin:4px 0;color:#555;font-size:12px'>{html.escape(recorded)}</p>"
        )
    return (
        "<div style='border:1px solid #cfd8dc;border-radius:8px;padding:8px 12px;"
        f"background:#fbfcfd'>{''.join(parts)}</div>"
    )


def pending_text(node_id: str, ids: Sequence[str]) -> tuple[str, str]:
    """What the status line says, and its tone, once ``node_id`` is clicked first."""
    name = activity_name(node_id)
    if not ids or ids[-1] == node_id:
        return f"{name} selected. Now click the activity that {name} hands over to.", "info"
    first = activity_name(ids[0])
    return (
        f"{name} selected, but your stream ends with {activity_name(ids[-1])}. Click "
        f"{first} to put {name} before it, or click {name} again to cancel.",
        "warn",
    )


def next_text(ids: Sequence[str], done: str = "") -> str:
    """What the status line says next: ``done`` (what just happened), then what to do."""
    if not ids:
        text = "Click the activity where your value stream starts."
    else:
        last = activity_name(ids[-1])
        text = f"To add a step, click {last} and then the activity it hands over to."
        if len(ids) >= 2:
            text += " Press Check when you are done."
    return f"{done} {text}".strip()


def step_labels(names: Sequence[str], notes: Sequence[str]) -> list[tuple[str, int]]:
    """The list editor's options: ``("2. Plan (note)", 1)`` per step."""
    return [
        (f"{n}. {name}" + (f" ({note})" if note else ""), n - 1)
        for n, (name, note) in enumerate(zip(names, notes, strict=True), start=1)
    ]
