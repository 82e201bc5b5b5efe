"""Grades as CSV: one row per student, one column per graded question (the detail file).

Scores come from nbgrader's gradebook, so a grade an instructor set by hand in
the formgrader is what the export carries. ``status`` is ``ok``,
``needs-review`` or ``not-submitted``; ``reason`` says why a submission needs a
look (or that it was reviewed by hand). Late penalties, when nbgrader's plugin
set one, are taken off ``total``. A score nobody could decide (an unreadable
notebook, say) is left blank, and the row says ``needs-review``. Names and
emails come from the roster (:mod:`autograder.outputs.roster`). The files an
LMS imports are written from the same rows by :mod:`autograder.outputs.lms`.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry

from autograder import notebook_io as nbio
from autograder.course_layout import CourseLayout
from autograder.engine.results import OK, REVIEW, load_notes
from autograder.errors import AutograderError
from autograder.outputs.csv_safety import safe_text
from autograder.outputs.progress import format_points
from autograder.outputs.roster import Person, read_roster

__all__ = [
    "NOT_SUBMITTED",
    "AssignmentGrades",
    "ExportRow",
    "assignment_grades",
    "detail_csv",
    "export_csv",
    "export_rows",
    "graded_assignments",
    "question_ids",
    "question_maxima",
]

#: The status of a student on the roster who handed nothing in.
NOT_SUBMITTED = "not-submitted"


@dataclass
class ExportRow:
    student: str
    scores: dict[str, float | None] = field(default_factory=dict)
    total: float = 0.0
    max_score: float = 0.0
    status: str = OK
    reason: str = ""
    person: Person | None = None
    timestamp: datetime.datetime | None = None
    raw_score: float = 0.0
    penalty: float = 0.0
    graded: bool = False  # the gradebook holds a graded submission

    @property
    def decided(self) -> bool:
        """Graded, and nothing is left for a person to decide: the total is the grade."""
        return self.status == OK

    @property
    def who(self) -> Person:
        return self.person or Person(self.student)


@dataclass(frozen=True)
class AssignmentGrades:
    """One assignment's grades: its questions in notebook order and a row per student."""

    name: str
    questions: list[str]
    rows: list[ExportRow]
    max_score: float
    duedate: datetime.datetime | None = None


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


def _require_gradebook(layout: CourseLayout, assignment: str) -> None:
    database = layout.gradebook_file
    if database is not None and not database.exists():
        raise AutograderError(f"no gradebook yet: run 'grade {assignment}' first")


def graded_assignments(layout: CourseLayout) -> list[str]:
    """The assignments of ``source/`` that the gradebook knows (graded at least once)."""
    _require_gradebook(layout, "ASSIGNMENT")
    with Gradebook(layout.db_url, layout.coursedir().course_id) as gb:
        known = {a.name for a in gb.assignments}
    found = [a for a in layout.assignments() if a in known]
    if not found:
        raise AutograderError(
            "no assignment is in the gradebook yet: run 'grade ASSIGNMENT' first "
            f"(assignments in source/: {', '.join(layout.assignments()) or 'none'})"
        )
    return found


def assignment_grades(layout: CourseLayout, assignment: str) -> AssignmentGrades:
    """The grades of ``assignment``: every student on the roster, graded or with a
    submission folder, sorted by id."""
    layout.require_assignment(assignment)
    questions = question_ids(layout, assignment)
    _require_gradebook(layout, assignment)
    roster = read_roster(layout)
    with Gradebook(layout.db_url, layout.coursedir().course_id) as gb:
        try:
            record = gb.find_assignment(assignment)
        except MissingEntry:
            raise AutograderError(
                f"{assignment!r} is not in the gradebook yet: run 'grade {assignment}' first"
            ) from None
        max_score = float(record.max_score)
        graded = {s.student.id for s in record.submissions}
        students = sorted(graded | set(roster) | set(layout.students(assignment)))
        rows = []
        for student in students:
            row = ExportRow(
                student, {q: None for q in questions}, max_score=max_score,
                person=roster.get(student),
            )  # fmt: skip
            if student not in graded:
                if layout.submitted_dir(student, assignment).is_dir():
                    row.status, row.reason = REVIEW, "submitted but not graded yet"
                else:
                    row.status, row.reason = NOT_SUBMITTED, "no submission"
                rows.append(row)
                continue
            submission = gb.find_submission(assignment, student)
            row.graded = True
            for nb in submission.notebooks:
                for grade in nb.grades:
                    unknown = grade.manual_score is None and grade.auto_score is None
                    row.scores[grade.name] = None if unknown else float(grade.score)
            penalty = sum(nb.late_submission_penalty or 0.0 for nb in submission.notebooks)
            row.raw_score = float(submission.score)
            row.penalty = penalty
            row.total = round(row.raw_score - penalty, 6)
            row.timestamp = submission.timestamp
            row.status, row.reason = _status(layout, assignment, student, submission)
            if penalty:
                row.reason = "; ".join(filter(None, [row.reason, f"late penalty {penalty:g}"]))
            rows.append(row)
        duedate = record.duedate
    return AssignmentGrades(assignment, questions, rows, max_score, duedate)


def export_rows(layout: CourseLayout, assignment: str) -> tuple[list[str], list[ExportRow]]:
    grades = assignment_grades(layout, assignment)
    return grades.questions, grades.rows


def _cell(score: float | None) -> str:
    return "" if score is None else format_points(score)


def detail_csv(grades: AssignmentGrades) -> str:
    """The per-question detail: names and emails, a column per question, total, status."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["student", "first_name", "last_name", "email"]
    header += [safe_text(q) for q in grades.questions]
    writer.writerow([*header, "total", "max_score", "status", "reason"])
    for row in grades.rows:
        who = row.who
        scores = [_cell(row.scores.get(q)) for q in grades.questions]
        writer.writerow(
            [
                safe_text(row.student),
                safe_text(who.first_name),
                safe_text(who.last_name),
                safe_text(who.email),
                *scores,
                format_points(row.total),
                format_points(row.max_score),
                row.status,
                safe_text(row.reason),
            ]
        )
    return out.getvalue()


def export_csv(layout: CourseLayout, assignment: str) -> str:
    """The detail file of ``assignment`` (the ``export`` command's default)."""
    return detail_csv(assignment_grades(layout, assignment))
