"""The learning aids as pages: lesson plan, lesson header, glossary and cheat sheet.

Every function returns a :class:`course.diagram.Figure` (HTML for Jupyter,
plain text for screen readers) drawn from ``course/content``: the times from
``lessons.yaml``, the terms from ``glossary.yaml``, the activities, practices
and value streams from the course model. Nothing is typed twice::

    course.lesson_plan()                      # start page: every lesson and its time
    course.lesson_header("02-six-activities") # top of a lesson: time, glossary, cheat sheet
    course.glossary()                         # the glossary page
    course.cheat_sheet()                      # the one-page cheat sheet (and its printable file)

:func:`cheat_sheet_page` is the cheat sheet as a page of its own, with print
rules that keep it to one A4 (or Letter) sheet in landscape.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from .aids import Lesson, load_aids
from .diagram import Figure
from .loader import load_course

__all__ = [
    "CHEAT_SHEET_FILE",
    "cheat_sheet",
    "cheat_sheet_page",
    "glossary",
    "lesson_header",
    "lesson_plan",
]

CHEAT_SHEET_FILE = "cheat-sheet.html"
_GLOSSARY = "00-start-here/glossary.ipynb"
_CHEAT_SHEET = "00-start-here/cheat-sheet.ipynb"
_FONT = "font-family:var(--jp-content-font-family, system-ui, sans-serif)"
_BOX = (
    "border:1px solid #90a4ae;border-radius:8px;padding:6px 12px;margin:4px 0;"
    f"background:#f5f9fc;color:#1a1a1a;max-width:820px;{_FONT}"
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _duration(minutes: int) -> str:
    """``"about 25 minutes"``, ``"about 2 hours 10 minutes"``."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours > 1 else ''}"] if hours else []
    parts += [f"{rest} minutes"] if rest or not hours else []
    return "about " + " ".join(parts)


def _link(target: str, label: str) -> str:
    """A link to ``target`` (a notebook path under the release folder) from a notebook's
    folder beside it, as every page of the course is."""
    return f'<a href="../{_e(target)}">{_e(label)}</a>'


def lesson_plan() -> Figure:
    """Every notebook of the course with the time it takes, and the total (start page)."""
    aids = load_aids()
    rows = "".join(
        f'<tr><td style="padding:3px 10px">{lesson.number}.</td>'
        f'<td style="padding:3px 10px;text-align:left">{_link(lesson.path, lesson.title)}</td>'
        f'<td style="padding:3px 10px;text-align:right">{lesson.minutes} min</td></tr>'
        for lesson in aids.lessons
    )
    total = (
        '<tr style="border-top:1px solid #90a4ae;font-weight:700"><td></td>'
        f'<td style="padding:3px 10px;text-align:left">The whole course</td>'
        f'<td style="padding:3px 10px;text-align:right">{aids.minutes} min</td></tr>'
    )
    html_ = (
        f'<div style="{_BOX}"><b>Time for each notebook</b> ({_duration(aids.minutes)} in all; '
        "stop after any lesson and come back later)"
        f'<table style="border-collapse:collapse;margin-top:4px">{rows}{total}</table></div>'
    )
    text = "; ".join(f"{x.number}. {x.title}: {x.minutes} minutes" for x in aids.lessons)
    return Figure(html_, f"Time for each notebook: {text}; {_duration(aids.minutes)} in all.")


def _glossary_items(lessons: dict[str, Lesson]) -> str:
    items = []
    for term in load_aids().terms:
        lesson = lessons[term.lesson]
        where = _link(lesson.path, f"lesson {lesson.number}")
        items.append(
            f'<dt style="font-weight:700;margin-top:6px">{_e(term.term)}</dt>'
            f'<dd style="margin:0 0 0 1.2em">{_e(term.text)} <small>({where})</small></dd>'
        )
    return f'<dl style="margin:4px 0">{"".join(items)}</dl>'


def lesson_header(folder: str) -> Figure:
    """The top of a lesson: how long it takes, and the glossary and cheat sheet at hand."""
    aids = load_aids()
    lesson = aids.lesson(folder)
    lessons = {item.folder: item for item in aids.lessons}
    glossary_link = _link(_GLOSSARY, "Glossary")
    sheet_link = _link(_CHEAT_SHEET, "Cheat sheet")
    terms = _glossary_items(lessons)
    html_ = (
        f'<div class="itil-lesson-header" style="{_BOX}">'
        f"<b>{_e(_duration(lesson.minutes)).capitalize()}</b> &middot; "
        f"notebook {lesson.number} of {len(aids.lessons) - 1} &middot; "
        f"{glossary_link} &middot; {sheet_link}"
        f'<details style="margin-top:4px"><summary style="cursor:pointer">'
        f"A word you do not know? The glossary ({len(aids.terms)} terms)</summary>"
        f"{terms}</details></div>"
    )
    text = (
        f"{_duration(lesson.minutes).capitalize()}. Notebook {lesson.number} of "
        f"{len(aids.lessons) - 1}. The glossary and the cheat sheet are in 00-start-here."
    )
    return Figure(html_, text)


def glossary() -> Figure:
    """The glossary: every term of the course, alphabetically, with the lesson that teaches it."""
    aids = load_aids()
    lessons = {item.folder: item for item in aids.lessons}
    html_ = f'<div class="itil-glossary" style="{_BOX}">{_glossary_items(lessons)}</div>'
    text = " ".join(f"{t.term}: {t.text}" for t in aids.terms)
    return Figure(html_, text)


_SHEET_CSS = """
.itil-sheet{font-family:system-ui,'DejaVu Sans',sans-serif;color:#111;background:#fff;
  font-size:12px;line-height:1.3;max-width:1100px}
.itil-sheet h1,.itil-sheet h2,.itil-sheet h3{font-weight:700;line-height:1.3;color:#111}
.itil-sheet h1{font-size:18px;margin:0 0 2px 0}
.itil-sheet .lead{margin:0 0 6px 0}
.itil-sheet .grid{display:grid;grid-template-columns:repeat(3,1fr);gap:6px}
.itil-sheet .card{border:1px solid #607d8b;border-radius:6px;overflow:hidden;
  break-inside:avoid;page-break-inside:avoid}
.itil-sheet .card h2{font-size:13px;margin:0;padding:3px 8px;color:#111}
.itil-sheet .card div.body{padding:3px 8px}
.itil-sheet p{margin:2px 0}
.itil-sheet b{font-weight:700}
.itil-sheet .streams{display:grid;grid-template-columns:repeat(3,1fr);gap:6px;margin-top:6px}
.itil-sheet .stream{border:1px solid #607d8b;border-radius:6px;padding:3px 8px;
  break-inside:avoid;page-break-inside:avoid}
.itil-sheet .stream h3{font-size:12.5px;margin:0 0 2px 0}
.itil-sheet .stream ol{margin:0;padding-left:18px}
.itil-sheet .rules{margin-top:6px}
"""
_PRINT_CSS = """
@page{size:A4 landscape;margin:8mm}
@media print{
  html,body{margin:0;background:#fff}
  .itil-sheet{font-size:12.5px;max-width:none}
  .itil-sheet h1{font-size:17px}
  .itil-sheet .card h2{font-size:13.5px}
  .itil-sheet .stream h3{font-size:13px}
  .itil-sheet a{color:inherit;text-decoration:none}
  .no-print{display:none}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


def _sheet_body() -> str:
    course = load_course()
    cards = []
    for item in course.activities:
        cards.append(
            f'<div class="card"><h2 style="background:{_e(item.colour)}">{item.number}. '
            f"{_e(item.name)} <small>&middot; {_e(item.summary)}</small></h2>"
            f'<div class="body"><p><b>Purpose:</b> {_e(item.purpose)}</p>'
            f"<p><b>Outputs:</b> {_e(', '.join(item.outputs))}</p>"
            f"<p><b>Practices:</b> {_e(', '.join(item.practices))}</p></div></div>"
        )
    streams = []
    for stream in course.value_streams:
        steps = "".join(
            f"<li><b>{_e(course.activity_by_id(s.activity).name)}</b>: {_e(s.action)}</li>"
            for s in stream.steps
        )
        streams.append(f'<div class="stream"><h3>{_e(stream.name)}</h3><ol>{steps}</ol></div>')
    return (
        '<div class="itil-sheet">'
        f"<h1>The ITIL&reg; 4 Service Value Chain: cheat sheet</h1>"
        f'<p class="lead">{_e(course.definition)}</p>'
        f'<div class="grid">{"".join(cards)}</div>'
        f'<div class="streams">{"".join(streams)}</div>'
        f'<p class="rules"><b>Rules:</b> {_e(course.rule_any_order)} '
        f"{_e(course.rule_improve_connects_to_any)} Practices support activities; they are not "
        "activities themselves.</p></div>"
    )


def cheat_sheet_page() -> str:
    """The cheat sheet as a page of its own (HTML), printing on one landscape sheet."""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        "<title>Service Value Chain: cheat sheet</title>"
        f"<style>{_SHEET_CSS}{_PRINT_CSS}</style></head>"
        f'<body style="margin:12px">{_sheet_body()}</body></html>\n'
    )


def cheat_sheet(save: str | os.PathLike[str] | None = CHEAT_SHEET_FILE) -> Figure:
    """The cheat sheet; unless ``save`` is ``None``, also written as a printable page there."""
    note = ""
    if save is not None:
        target = Path(save)
        target.write_text(cheat_sheet_page(), encoding="utf-8")
        note = (
            f'<p class="no-print" style="{_FONT}">To print it on one sheet: in the file browser, '
            f"right-click <code>{_e(target.name)}</code> &rarr; <b>Open in New Browser Tab</b>, "
            "then print (<b>Ctrl+P</b>; landscape is already set).</p>"
        )
    course = load_course()
    text = "Cheat sheet. " + " ".join(
        f"{a.name}: {a.purpose} Outputs: {', '.join(a.outputs)}. "
        f"Practices: {', '.join(a.practices)}."
        for a in course.activities
    )
    return Figure(f"<style>{_SHEET_CSS}</style>{note}{_sheet_body()}", text)
