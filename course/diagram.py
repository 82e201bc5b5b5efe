"""Pictures drawn from the content model, for the lessons.

Every function returns a :class:`Figure`: HTML (with inline SVG where it is a
drawing) that Jupyter shows when the figure is a cell's last value, and a
plain-text description for screen readers and text front-ends. Nothing here
imports a widget library, and every fact comes from ``course/content``::

    from course import diagram
    diagram.chain()                         # the six activities, in their colours
    diagram.activity("engage")              # one activity's card
    diagram.stream("incident-resolution")   # a worked value stream, step by step
    diagram.stream(["Plan", "Improve"])     # any list of activity names
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from .loader import load_course
from .lookup import resolve_activity
from .model import Activity, Step

__all__ = [
    "Figure",
    "activity",
    "chain",
    "characteristics",
    "improve_links",
    "patterns",
    "practices",
    "stream",
    "takeaways",
]

_INK = "#1a1a1a"
_EDGE = "#546e7a"
_FONT = "font-family:var(--jp-content-font-family, sans-serif)"


@dataclass(frozen=True)
class Figure:
    """A picture: ``html`` for Jupyter, ``text`` describing it in words."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _activities() -> tuple[Activity, ...]:
    return load_course().activities


def _find(name: str | Activity) -> Activity:
    return resolve_activity(name, _activities())


def _chip(item: Activity, label: str | None = None) -> str:
    return (
        f'<span style="background:{item.colour};color:{_INK};border:1px solid {_EDGE};'
        f'border-radius:12px;padding:1px 9px;white-space:nowrap">{_e(label or item.name)}</span>'
    )


def _arrow_row(items: Sequence[Activity]) -> str:
    arrow = ' <span aria-hidden="true">&rarr;</span> '
    return arrow.join(_chip(item) for item in items)


def _svg(width: int, height: int, label: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(label)}" '
        f'viewBox="0 0 {width} {height}" style="max-width:{width}px;width:100%;height:auto">'
        f"<title>{_e(label)}</title>"
        '<defs><marker id="svc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{_EDGE}"/></marker></defs>{body}</svg>'
    )


def _box(
    x: float, y: float, w: float, h: float, item: Activity, lines: Sequence[str], bold: int = 1
) -> str:
    out = [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" rx="10" fill="{item.colour}" '
        f'stroke="{_EDGE}" stroke-width="1.5"/>'
    ]
    top = y + h / 2 - (len(lines) - 1) * 9
    for index, line in enumerate(lines):
        weight = "700" if index < bold else "400"
        size = 14 if index < bold else 12
        out.append(
            f'<text x="{x + w / 2:.1f}" y="{top + index * 18:.1f}" text-anchor="middle" '
            f'dominant-baseline="middle" font-size="{size}" font-weight="{weight}" '
            f'fill="{_INK}" style="{_FONT}">{_e(line)}</text>'
        )
    return "".join(out)


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{_EDGE}" '
        'stroke-width="2" marker-end="url(#svc-arrow)"/>'
    )


def _edge_point(
    cx: float, cy: float, tx: float, ty: float, w: float, h: float
) -> tuple[float, float]:
    """Where the line from a box's centre towards (tx, ty) leaves the box."""
    dx, dy = tx - cx, ty - cy
    scale = min(
        (w / 2 + 6) / abs(dx) if dx else math.inf, (h / 2 + 6) / abs(dy) if dy else math.inf
    )
    return cx + dx * scale, cy + dy * scale


def chain() -> Figure:
    """The six activities as the course material draws them: a ring, each in its colour."""
    items = _activities()
    width, height, w, h = 640, 430, 170, 58
    cx, cy, rx, ry = width / 2, height / 2, 225, 150
    centres = []
    for index in range(len(items)):
        angle = -math.pi / 2 + 2 * math.pi * index / len(items)
        centres.append((cx + rx * math.cos(angle), cy + ry * math.sin(angle)))
    body = []
    for index, (x, y) in enumerate(centres):
        nx, ny = centres[(index + 1) % len(centres)]
        body.append(_line(*_edge_point(x, y, nx, ny, w, h), *_edge_point(nx, ny, x, y, w, h)))
    for item, (x, y) in zip(items, centres, strict=True):
        body.append(_box(x - w / 2, y - h / 2, w, h, item, [item.name, item.summary]))
    body.append(
        f'<text x="{cx}" y="{cy - 8}" text-anchor="middle" font-size="15" font-weight="700" '
        f'fill="{_INK}" style="{_FONT}">Service</text>'
        f'<text x="{cx}" y="{cy + 12}" text-anchor="middle" font-size="15" font-weight="700" '
        f'fill="{_INK}" style="{_FONT}">Value Chain</text>'
    )
    names = ", ".join(f"{a.name} ({a.summary.lower()})" for a in items)
    label = f"The six activities of the Service Value Chain, drawn as a ring: {names}."
    frame = '<div style="background:#fff;border-radius:8px;padding:6px;max-width:660px">'
    return Figure(frame + _svg(width, height, label, "".join(body)) + "</div>", label)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False) or [""]


def stream(value_stream: str | Sequence[str], title: str | None = None) -> Figure:
    """A value stream as numbered steps, left to right.

    ``value_stream`` is the id of a worked example (its actions are shown
    under the steps) or a list of activity names in any spelling.
    """
    course = load_course()
    if isinstance(value_stream, str):
        example = course.value_stream(value_stream)
        steps: tuple[Step, ...] = example.steps
        title = title or example.name
    else:
        steps = tuple(Step(_find(name).id, "") for name in value_stream)
    items = [course.activity_by_id(step.activity) for step in steps]
    w, h, gap, pad = 116, 50, 26, 10
    notes = [_wrap(step.action.replace("/", "/ "), 17)[:3] for step in steps]
    note_rows = max((len(n) for n in notes if n != [""]), default=0)
    width = pad * 2 + len(items) * w + (len(items) - 1) * gap
    height = pad * 2 + 22 + h + (note_rows * 16 + 8 if note_rows else 0)
    body = []
    for index, item in enumerate(items):
        x, y = pad + index * (w + gap), pad + 22
        body.append(
            f'<text x="{x + w / 2}" y="{pad + 10}" text-anchor="middle" font-size="12" '
            f'fill="{_EDGE}" style="{_FONT}">step {index + 1}</text>'
        )
        name = _wrap(item.name, 14)[:2]
        body.append(_box(x, y, w, h, item, name, bold=len(name)))
        if index + 1 < len(items):
            body.append(_line(x + w + 2, y + h / 2, x + w + gap - 2, y + h / 2))
        if notes[index] != [""]:
            for row, line in enumerate(notes[index]):
                body.append(
                    f'<text x="{x + w / 2}" y="{y + h + 18 + row * 16}" text-anchor="middle" '
                    f'font-size="12" fill="{_INK}" style="{_FONT}">{_e(line)}</text>'
                )
    described = "; ".join(
        f"step {i}: {item.name}" + (f" ({step.action})" if step.action else "")
        for i, (item, step) in enumerate(zip(items, steps, strict=True), start=1)
    )
    label = f"{title + ': ' if title else ''}a value stream of {len(items)} steps. {described}."
    heading = f'<div style="font-weight:700;margin:4px 0">{_e(title)}</div>' if title else ""
    frame = '<div style="background:#fff;color:#1a1a1a;border-radius:8px;padding:4px 6px;'
    frame += f'overflow-x:auto;{_FONT}">{heading}'
    return Figure(frame + _svg(width, height, label, "".join(body)) + "</div>", label)


def _list(title: str, entries: Sequence[str]) -> str:
    items = "".join(f"<li>{_e(entry)}</li>" for entry in entries)
    return (
        f'<div style="flex:1 1 180px;min-width:170px"><div style="font-weight:700">{_e(title)}'
        f'</div><ul style="margin:4px 0;padding-left:18px">{items}</ul></div>'
    )


def activity(name: str | Activity) -> Figure:
    """One activity's card: purpose, key activities, outputs, practices and the example."""
    item = _find(name)
    steps = " &rarr; ".join(_e(step) for step in item.example.steps)
    card = (
        f'<div style="border:2px solid {_EDGE};border-radius:10px;overflow:hidden;'
        f'max-width:820px;{_FONT}">'
        f'<div style="background:{item.colour};color:{_INK};padding:6px 12px">'
        f'<span style="font-size:1.2em;font-weight:700">{item.number}. {_e(item.name)}</span>'
        f" &mdash; {_e(item.summary)}</div>"
        f'<div style="padding:8px 12px"><p style="margin:0 0 6px 0"><b>Purpose:</b> '
        f"{_e(item.purpose)}</p>"
        '<div style="display:flex;flex-wrap:wrap;gap:12px">'
        + _list("Key activities", item.key_activities)
        + _list("Key outputs", item.outputs)
        + _list("Practices that support it", item.practices)
        + "</div>"
        f'<p style="margin:6px 0 0 0"><b>Example &mdash; {_e(item.example.title)}:</b> '
        f"{steps}</p></div></div>"
    )
    text = (
        f"{item.name}. Purpose: {item.purpose} Key activities: {', '.join(item.key_activities)}. "
        f"Key outputs: {', '.join(item.outputs)}. Practices that support it: "
        f"{', '.join(item.practices)}. Example, {item.example.title}: "
        f"{' then '.join(item.example.steps)}."
    )
    return Figure(card, text)


def _cycle(colours: Sequence[str], count: int) -> list[str]:
    return [colours[i % len(colours)] for i in range(count)]


def _tiles(entries: Sequence[tuple[str, str]], colours: Sequence[str]) -> str:
    tiles = "".join(
        f'<div style="flex:1 1 170px;background:{colour};color:{_INK};border:1px solid {_EDGE};'
        f'border-radius:8px;padding:8px 10px"><div style="font-weight:700">{_e(head)}</div>'
        f"<div>{_e(body)}</div></div>"
        for (head, body), colour in zip(entries, _cycle(colours, len(entries)), strict=True)
    )
    style = f"display:flex;flex-wrap:wrap;gap:10px;max-width:820px;{_FONT}"
    return f'<div style="{style}">{tiles}</div>'


def characteristics() -> Figure:
    """The four key characteristics of the chain, as tiles."""
    course = load_course()
    entries = [(c.name, c.text) for c in course.characteristics]
    colours = [a.colour for a in course.activities]
    text = "Key characteristics: " + " ".join(f"{name}: {body}" for name, body in entries)
    return Figure(_tiles(entries, colours), text)


def takeaways() -> Figure:
    """The key takeaways of the course, numbered."""
    course = load_course()
    entries = [(f"{i}. {t.title}", t.text) for i, t in enumerate(course.takeaways, start=1)]
    colours = [a.colour for a in course.activities]
    text = "Key takeaways: " + " ".join(f"{head}: {body}" for head, body in entries)
    return Figure(_tiles(entries, colours), text)


def patterns() -> Figure:
    """The common patterns: how activities often follow each other, and what each means."""
    course = load_course()
    rows = []
    texts = []
    for pattern in course.patterns:
        items = [course.activity_by_id(a) for a in pattern.steps]
        rows.append(
            f'<li style="margin:6px 0"><div>{_arrow_row(items)}</div>'
            f'<div style="margin-top:2px">{_e(pattern.meaning)}</div></li>'
        )
        texts.append(f"{' then '.join(a.name for a in items)}: {pattern.meaning}")
    listing = f'<ul style="list-style:none;padding-left:0;{_FONT}">{"".join(rows)}</ul>'
    return Figure(listing, "Common patterns. " + " ".join(texts))


def improve_links() -> Figure:
    """Improve connecting to other activities, with what each connection improves."""
    course = load_course()
    improve = _find("improve")
    rows = []
    texts = []
    for link in course.improve_links:
        target = course.activity_by_id(link.to)
        rows.append(f"<li>{_arrow_row([improve, target])} &nbsp;{_e(link.meaning)}</li>")
        texts.append(f"Improve then {target.name}: {link.meaning}")
    rule = f'<p style="margin:4px 0">{_e(course.rule_improve_connects_to_any)}</p>'
    listing = f'<div style="{_FONT}">{rule}<ul style="line-height:2">{"".join(rows)}</ul></div>'
    return Figure(listing, course.rule_improve_connects_to_any + " " + "; ".join(texts) + ".")


def practices() -> Figure:
    """Each activity with the practices that support it; shared practices are marked."""
    course = load_course()
    shared = {p.name for p in course.practices if len(p.supports) > 1}
    columns = []
    texts = []
    for item in course.activities:
        entries = "".join(
            f"<li>{_e(name)}{' <b>*</b>' if name in shared else ''}</li>" for name in item.practices
        )
        columns.append(
            f'<div style="flex:1 1 120px;min-width:120px;border:1px solid {_EDGE};'
            f'border-radius:8px;overflow:hidden"><div style="background:{item.colour};'
            f'color:{_INK};font-weight:700;padding:4px 8px">{_e(item.name)}</div>'
            f'<ul style="margin:4px 0;padding-left:20px">{entries}</ul></div>'
        )
        texts.append(f"{item.name} is supported by {', '.join(item.practices)}.")
    note = ""
    if shared:
        note = (
            '<p style="margin:4px 0"><b>*</b> supports more than one activity: '
            + ", ".join(sorted(shared))
            + ".</p>"
        )
    grid = (
        f'<div style="{_FONT};max-width:980px"><div style="display:flex;flex-wrap:wrap;gap:8px">'
        f"{''.join(columns)}</div>{note}</div>"
    )
    return Figure(grid, " ".join(texts))
