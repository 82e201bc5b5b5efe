"""The class report: where the class stands on an assignment, as one HTML page.

Plots (inline SVG, no plotting library): the score distribution, the share of
points earned per question, and mastery per learning objective. Tables: the
most common wrong answers per question (value streams drawn as their steps),
and the submissions that need review. Scores come from the gradebook (manual
grades included), answers from the autograder's results.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

import course
from autograder.course_layout import CourseLayout
from autograder.engine.results import REVIEW, GradingNotes, load_notes
from autograder.engine.snapshot import decode
from autograder.outputs.charts import bar_chart, histogram
from autograder.outputs.export import ExportRow, export_rows, question_maxima
from autograder.outputs.progress import format_points
from course.lookup import find_activity

__all__ = ["build_report", "objective_of", "render_answer", "write_report"]

_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0} td,th{border:1px solid #ccc;padding:.3rem .6rem;
text-align:left;vertical-align:top} th{background:#f3f5f8} .muted{color:#666}
.stream{font-family:ui-monospace,monospace} .kpi{display:inline-block;margin-right:2rem}
.kpi b{display:block;font-size:1.4rem}
"""


_UNGRADED = ("submitted but not graded yet", "no submission")


def objective_of(assignment: str, question: str) -> str:
    """The learning objective a question tests: a practice question's own (``pqN``),
    else the objective the assignment's name carries (id, or ``NN-`` number)."""
    model = course.load_course()
    match = re.match(r"pq(\d+)", question)
    if match and 0 < int(match.group(1)) <= len(model.practice_questions):
        return model.practice_questions[int(match.group(1)) - 1].objective
    for objective in model.objectives:
        if objective.id in assignment:
            return objective.id
    match = re.match(r"(\d+)-", assignment)
    if match and 0 < int(match.group(1)) <= len(model.objectives):
        return model.objectives[int(match.group(1)) - 1].id
    return ""


def _stream(value: Any) -> str | None:
    """``Engage → Plan → …`` when ``value`` is a list of activity names, else None."""
    if type(value) is not list or len(value) < 2 or not all(type(v) is str for v in value):
        return None
    found = [find_activity(v, course.load_course().activities) for v in value]
    if any(a is None for a in found):
        return None
    return " → ".join(a.name for a in found if a is not None)


def render_answer(tagged: Any, name: str = "") -> tuple[str, bool]:
    """A short text for an answer (tagged plain value) and whether it is a value stream:
    a list of activities held by a name that says so (``stream``, ``payroll_stream``)."""
    try:
        value = decode(tagged)
    except ValueError:
        return "(unreadable)", False
    if value is ...:
        return "... (not typed: answered with the widget, or not at all)", False
    stream = _stream(value) if "stream" in name.casefold() else None
    if stream is not None:
        return stream, True
    text = repr(value)
    return (text if len(text) <= 160 else text[:157] + "..."), False


def _wrong_answers(
    rows: list[ExportRow], notes: dict[str, GradingNotes], maxima: dict[str, float]
) -> dict[str, list[tuple[str, bool, int]]]:
    """The commonest answers to each question that lost points (scores: the gradebook's;
    answers: the grader's notes)."""
    counts: dict[str, Counter[tuple[str, bool]]] = {}
    for row in rows:
        noted = notes.get(row.student)
        if noted is None:
            continue
        for qid, score in row.scores.items():
            answers = noted.answers.get(qid)
            if score is None or score >= maxima.get(qid, 0.0) or not answers:
                continue
            for name, tagged in answers.items():
                counts.setdefault(qid, Counter())[render_answer(tagged, name)] += 1
    return {
        qid: [(text, is_stream, n) for (text, is_stream), n in c.most_common(3)]
        for qid, c in counts.items()
    }


def _mastery(
    assignment: str, questions: list[str], rows: list[ExportRow], maxima: dict[str, float]
) -> list[tuple[str, float]]:
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    for qid in questions:
        objective = objective_of(assignment, qid) or "(no objective)"
        for row in rows:
            score = row.scores.get(qid)
            if score is not None and maxima.get(qid):
                earned[objective] = earned.get(objective, 0.0) + score
                possible[objective] = possible.get(objective, 0.0) + maxima[qid]
    titles = {o.id: o.title for o in course.load_course().objectives}
    return [(titles.get(o, o), earned[o] / possible[o]) for o in possible if possible[o]]


def build_report(layout: CourseLayout, assignment: str) -> str:
    questions, rows = export_rows(layout, assignment)
    maxima = question_maxima(layout, assignment)
    notes = {
        row.student: n
        for row in rows
        if (n := load_notes(layout.result_file(row.student, assignment))) is not None
    }
    graded = [row for row in rows if row.reason not in _UNGRADED]
    top = rows[0].max_score if rows else 0.0
    totals = sorted(row.total for row in graded)
    mean = sum(totals) / len(totals) if totals else 0.0
    median = totals[len(totals) // 2] if totals else 0.0
    difficulty = []
    for qid in questions:
        scores = [s for s in (row.scores.get(qid) for row in graded) if s is not None]
        if scores and maxima.get(qid):
            difficulty.append((qid, sum(scores) / (len(scores) * maxima[qid])))
    review = [row for row in rows if row.status == REVIEW]
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Class report: {escape(assignment)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Class report: {escape(assignment)}</h1>",
        f"<p class='muted'>{len(rows)} students; made "
        f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}.</p>",
        f"<p><span class='kpi'>Mean<b>{format_points(mean)} / {format_points(top)}</b></span>"
        f"<span class='kpi'>Median<b>{format_points(median)}</b></span>"
        f"<span class='kpi'>Need review<b>{len(review)}</b></span></p>",
        "<h2 id='distribution'>Score distribution</h2>",
        histogram(totals, top, "Number of students per score band"),
        "<h2 id='difficulty'>Per-question difficulty</h2>",
        "<p class='muted'>Share of the points the class earned on each question; "
        "red bars: under half.</p>",
        bar_chart(difficulty, "Share of points earned per question"),
        "<h2 id='mastery'>Mastery per learning objective</h2>",
        bar_chart(_mastery(assignment, questions, graded, maxima), "Mastery per objective"),
        _wrong_table(_wrong_answers(graded, notes, maxima)),
        _review_table(review),
        "</body></html>",
    ]
    return "\n".join(parts)


def _wrong_table(wrong: dict[str, list[tuple[str, bool, int]]]) -> str:
    html = ["<h2 id='wrong'>Most common wrong answers</h2>"]
    if not wrong:
        return html[0] + "<p>No wrong answers recorded.</p>"
    html.append("<table><tr><th>Question</th><th>Answer</th><th>Students</th></tr>")
    for qid, answers in wrong.items():
        for text, is_stream, count in answers:
            kind = " class='stream'" if is_stream else ""
            label = "value stream: " if is_stream else ""
            html.append(
                f"<tr><td>{escape(qid)}</td><td{kind}>{label}{escape(text)}</td>"
                f"<td>{count}</td></tr>"
            )
    html.append("</table>")
    return "".join(html)


def _review_table(review: list[ExportRow]) -> str:
    html = ["<h2 id='review'>Submissions that need review</h2>"]
    if not review:
        return html[0] + "<p>None.</p>"
    html.append("<table><tr><th>Student</th><th>Why</th></tr>")
    for row in review:
        html.append(f"<tr><td>{escape(row.student)}</td><td>{escape(row.reason)}</td></tr>")
    html.append("</table>")
    return "".join(html)


def write_report(layout: CourseLayout, assignment: str, output: Path | None = None) -> Path:
    """Write the report (default ``autograded/<assignment>-report.html``); its path."""
    html = build_report(layout, assignment)
    path = (
        output
        or layout.root / layout.coursedir().autograded_directory / f"{assignment}-report.html"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
