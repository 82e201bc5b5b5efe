"""The class report: where the class stands on an assignment, as one HTML page.

Plots (inline SVG, no plotting library): the score distribution, the share of
points earned per question, and mastery per learning objective. Tables: the
most common wrong answers per question, in notebook order (value streams drawn
as their steps; right or wrong as the lesson's own scorer says, see
:mod:`autograder.outputs.answers`), the submissions that need review, and the
students who did not submit (counted apart: nothing of theirs needs review).
Scores come from the gradebook (manual grades included), answers from the
autograder's results. The page loads nothing from the network: styles and
charts are inline.
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
from autograder.intake.submission import read_notebook
from autograder.outputs.answers import QuestionSpec, judge, question_specs, render_value
from autograder.outputs.charts import bar_chart, histogram
from autograder.outputs.export import NOT_SUBMITTED, ExportRow, export_rows, question_maxima
from autograder.outputs.progress import format_points
from course.graded import notebook_widget_answers

__all__ = [
    "WidgetAnswers",
    "build_report",
    "objective_of",
    "render_answer",
    "write_report",
    "wrong_answers",
]

_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0} td,th{border:1px solid #ccc;padding:.3rem .6rem;
text-align:left;vertical-align:top} th{background:#f3f5f8} .muted{color:#666}
.stream{font-family:ui-monospace,monospace} .kpi{display:inline-block;margin-right:2rem}
.kpi b{display:block;font-size:1.4rem}
"""


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


def render_answer(tagged: Any, name: str = "") -> tuple[str, bool]:
    """A short text for an answer (tagged plain value) and whether it is a value stream:
    a list of activities held by a name that says so (``stream``, ``payroll_stream``);
    ``...`` reads "no answer"."""
    try:
        value = decode(tagged)
    except ValueError:
        return "(unreadable)", False
    return render_value(value, name)


class WidgetAnswers:
    """The answers each student gave through widgets, read once from the submitted
    notebook (defensively: an unreadable file has none)."""

    def __init__(self, layout: CourseLayout, assignment: str) -> None:
        self.layout, self.assignment = layout, assignment
        self.cache: dict[tuple[str, str], dict[str, Any]] = {}

    def get(self, student: str, spec: QuestionSpec) -> Any:
        if not spec.widget:
            return None
        where = (student, spec.notebook)
        if where not in self.cache:
            path = self.layout.submitted_dir(student, self.assignment) / f"{spec.notebook}.ipynb"
            nb, _ = read_notebook(path)
            self.cache[where] = notebook_widget_answers(nb) if nb is not None else {}
        return self.cache[where].get(spec.widget)


def wrong_answers(
    questions: list[str],
    rows: list[ExportRow],
    notes: dict[str, GradingNotes],
    maxima: dict[str, float],
    specs: dict[str, QuestionSpec],
    widgets: WidgetAnswers | None = None,
) -> list[tuple[str, list[tuple[str, bool, int]]]]:
    """The commonest wrong answers to each question that lost points, in notebook order
    (scores: the gradebook's; answers: the grader's notes; right or wrong: the lesson's
    scorer, :func:`autograder.outputs.answers.judge`)."""
    counts: dict[str, Counter[tuple[str, bool]]] = {}
    for row in rows:
        noted = notes.get(row.student)
        if noted is None:
            continue
        for qid in questions:
            score = row.scores.get(qid)
            answers = noted.answers.get(qid)
            if score is None or score >= maxima.get(qid, 0.0) or not answers:
                continue
            spec = specs.get(qid, QuestionSpec(qid))
            for name, tagged in answers.items():
                widget = widgets.get(row.student, spec) if widgets is not None else None
                judged = judge(spec, tagged, name, widget)
                if judged.wrong:
                    counts.setdefault(qid, Counter())[(judged.text, judged.is_stream)] += 1
    return [
        (qid, [(text, is_stream, n) for (text, is_stream), n in counts[qid].most_common(3)])
        for qid in questions
        if qid in counts
    ]


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
    absent = [row for row in rows if row.status == NOT_SUBMITTED]
    graded = [row for row in rows if row.graded]
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
        f"<span class='kpi'>Need review<b>{len(review)}</b></span>"
        f"<span class='kpi'>Did not submit<b>{len(absent)}</b></span></p>",
        "<h2 id='distribution'>Score distribution</h2>",
        histogram(totals, top, "Number of students per score band"),
        "<h2 id='difficulty'>Per-question difficulty</h2>",
        "<p class='muted'>Share of the points the class earned on each question; "
        "red bars: under half.</p>",
        bar_chart(difficulty, "Share of points earned per question"),
        "<h2 id='mastery'>Mastery per learning objective</h2>",
        bar_chart(_mastery(assignment, questions, graded, maxima), "Mastery per objective"),
        _wrong_table(
            wrong_answers(
                questions,
                graded,
                notes,
                maxima,
                question_specs(layout, assignment),
                WidgetAnswers(layout, assignment),
            )
        ),
        _review_table(review),
        _absent_list(absent),
        "</body></html>",
    ]
    return "\n".join(parts)


def _wrong_table(wrong: list[tuple[str, list[tuple[str, bool, int]]]]) -> str:
    html = ["<h2 id='wrong'>Most common wrong answers</h2>"]
    if not wrong:
        return html[0] + "<p>No wrong answers recorded.</p>"
    html.append("<table><tr><th>Question</th><th>Answer</th><th>Students</th></tr>")
    for qid, answers in wrong:
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


def _absent_list(absent: list[ExportRow]) -> str:
    html = "<h2 id='absent'>Did not submit</h2>"
    if not absent:
        return html + "<p>Everyone submitted.</p>"
    return html + "<p>" + ", ".join(escape(row.student) for row in absent) + "</p>"


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
