"""Grades as CSV: one row per student, one column per graded question.

Scores come from nbgrader's gradebook, so a grade an instructor set by hand in
the formgrader is what the export carries. ``status`` is ``ok`` or
``needs-review``; ``reason`` says why a submission needs a look (or that it
was reviewed by hand). Late penalties, when nbgrader's plugin set one, are
taken off ``total``. A score nobody could decide (an unreadable notebook, say)
is left blank, and the row says ``needs-review``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry

from autograder import notebook_io as nbio
from autograder.course_layout import CourseLayout
from autograder.engine.results import OK, REVIEW, load_notes
from autograder.errors import AutograderError
from autograder.outputs.csv_safety import safe_cell
from autograder.outputs.progress import format_points

__all__ = ["ExportRow", "export_csv", "export_rows", "question_ids", "question_maxima"]


@dataclass
class ExportRow:
    student: str
    scores: dict[str, float | None] = field(default_factory=dict)
    total: float = 0.0
    max_score: float = 0.0
    status: str = OK
    reason: str = ""


def question_ids(layout: CourseLayout, assignment: str) -> list[str]:
    """Grade ids of the assignment's graded cells: notebooks by name, cells in order."""
    ids: list[str] = []
    for path in layout.source_notebooks(assignment):
        nb = nbio.read(path)
        for cell in nb.cells:
            if utils.is_grade(cell) or utils.is_task(cell):
                ids.append(cell.metadata["nbgrader"]["grade_id"])
    return ids


def question_maxima(layout: CourseLayout, assignment: str) -> dict[str, float]:
    """The points of each graded cell, as the gradebook holds them."""
    with Gradebook(layout.db_url, layout.coursedir().course_id) as gb:
        try:
            record = gb.find_assignment(assignment)
        except MissingEntry:
            return {}
        return {
            cell.name: float(cell.max_score)
            for nb in record.notebooks
            for cell in [*nb.grade_cells, *nb.task_cells]
        }


def _status(
    layout: CourseLayout, assignment: str, student: str, submission: object
) -> tuple[str, str]:
    result = load_notes(layout.result_file(student, assignment))
    grades = [g for nb in submission.notebooks for g in nb.grades]  # type: ignore[attr-defined]
    pending = [g.name for g in grades if g.needs_manual_grade]
    if result is None:
        return REVIEW, "no autograder result (not graded by this tool, or grading did not finish)"
    if result.reasons:
        if pending:
            return REVIEW, "; ".join(result.reasons)
        return OK, "reviewed by hand (was: " + "; ".join(result.reasons) + ")"
    if pending:
        return REVIEW, "to grade by hand: " + ", ".join(pending)
    return OK, ""


def export_rows(layout: CourseLayout, assignment: str) -> tuple[list[str], list[ExportRow]]:
    layout.require_assignment(assignment)
    questions = question_ids(layout, assignment)
    database = layout.gradebook_file
    if database is not None and not database.exists():
        raise AutograderError(f"no gradebook yet: run 'grade {assignment}' first")
    with Gradebook(layout.db_url, layout.coursedir().course_id) as gb:
        try:
            record = gb.find_assignment(assignment)
        except MissingEntry:
            raise AutograderError(
                f"{assignment!r} is not in the gradebook yet: run 'grade {assignment}' first"
            ) from None
        max_score = float(record.max_score)
        graded = {s.student.id for s in record.submissions}
        roster = {s.id for s in gb.students}
        students = sorted(graded | roster | set(layout.students(assignment)))
        rows = []
        for student in students:
            row = ExportRow(student, {q: None for q in questions}, max_score=max_score)
            if student not in graded:
                submitted = layout.submitted_dir(student, assignment).is_dir()
                row.status = REVIEW
                row.reason = "submitted but not graded yet" if submitted else "no submission"
                rows.append(row)
                continue
            submission = gb.find_submission(assignment, student)
            for nb in submission.notebooks:
                for grade in nb.grades:
                    unknown = grade.manual_score is None and grade.auto_score is None
                    row.scores[grade.name] = None if unknown else float(grade.score)
            penalty = sum(nb.late_submission_penalty or 0.0 for nb in submission.notebooks)
            row.total = round(float(submission.score) - penalty, 6)
            row.status, row.reason = _status(layout, assignment, student, submission)
            if penalty:
                row.reason = "; ".join(filter(None, [row.reason, f"late penalty {penalty:g}"]))
            rows.append(row)
    return questions, rows


def _cell(score: float | None) -> str:
    return "" if score is None else format_points(score)


def export_csv(layout: CourseLayout, assignment: str) -> str:
    questions, rows = export_rows(layout, assignment)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["student", *(safe_cell(q) for q in questions), "total", "max_score"]
    writer.writerow([*header, "status", "reason"])
    for row in rows:
        scores = [_cell(row.scores.get(q)) for q in questions]
        writer.writerow(
            [
                safe_cell(row.student),
                *scores,
                format_points(row.total),
                format_points(row.max_score),
                row.status,
                safe_cell(row.reason),
            ]
        )
    return out.getvalue()
