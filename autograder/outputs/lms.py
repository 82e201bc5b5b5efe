"""Grade files an LMS imports as they are, written from :mod:`autograder.outputs.export`.

- **Canvas** (Grades → Import): ``Student, ID, SIS User ID, SIS Login ID, Section``,
  then one column per assignment named ``<assignment> (<Canvas assignment id>)``
  (Canvas finds the assignment by that id; a column without one would become a
  new assignment), and a ``Points Possible`` row second. Totals only. Canvas finds
  the student by ``ID`` (Canvas's user number: the roster's ``lms_user_id``, else a
  numeric student id, as ``collect`` takes it from Canvas's file names), else by
  ``SIS Login ID`` (a student id that is not a number).
- **Moodle** (the assignment's *Upload grading worksheet*): the offline grading
  worksheet, one file per assignment. Moodle finds the student by ``Identifier``,
  ``Participant <n>``, where ``n`` is the assignment's participant number (the
  number in Moodle's download file names, which ``collect`` uses as the student
  id), and skips a row whose ``Last modified (grade)`` is older than its own grade.
- **nbgrader**: the columns of plain ``nbgrader export``, one row per assignment
  and student.

Names and emails come from the roster. A grade that is not decided (the
submission needs review, or nothing was handed in) is left blank in the
Canvas and Moodle files, so the import changes nothing there; plain nbgrader
writes 0 for a missing submission, and so does the nbgrader file.
:func:`blank_rows` lists what was left blank and why. Every text cell goes
through :func:`autograder.outputs.csv_safety.safe_text`.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Mapping, Sequence

from autograder.errors import AutograderError
from autograder.outputs.csv_safety import safe_text
from autograder.outputs.export import NOT_SUBMITTED, AssignmentGrades, ExportRow
from autograder.outputs.progress import format_points

__all__ = [
    "CANVAS_COLUMNS",
    "MOODLE_COLUMNS",
    "NBGRADER_COLUMNS",
    "blank_rows",
    "canvas_csv",
    "course_csv",
    "moodle_csv",
    "moodle_date",
    "nbgrader_csv",
    "parse_ids",
]

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_COLUMNS = (
    "Identifier",
    "Full name",
    "Email address",
    "Status",
    "Grade",
    "Maximum Grade",
    "Grade can be changed",
    "Last modified (submission)",
    "Last modified (grade)",
    "Feedback comments",
)
NBGRADER_COLUMNS = (
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip


def _csv(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def parse_ids(pairs: Sequence[str], option: str, example: str) -> dict[str, str]:
    """``["06-practice=55503", ...]`` as a mapping; the number must be digits."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, number = pair.partition("=")
        if not sep or not name.strip() or not number.strip().isdigit():
            raise AutograderError(
                f"{option} {pair!r}: write NAME=NUMBER, for example {option} {example}"
            )
        found[name.strip()] = number.strip()
    return found


def blank_rows(grades: AssignmentGrades) -> list[str]:
    """``student: why`` for each row whose grade the LMS files leave blank."""
    return [f"{row.student}: {row.reason}" for row in grades.rows if not row.decided]


def _by_student(assignments: Sequence[AssignmentGrades]) -> dict[str, dict[str, ExportRow]]:
    """Each student's row of each assignment."""
    found: dict[str, dict[str, ExportRow]] = {}
    for grades in assignments:
        for row in grades.rows:
            found.setdefault(row.student, {})[grades.name] = row
    return found


def _grade(row: ExportRow) -> str:
    return format_points(row.total) if row.decided else ""


def canvas_csv(assignments: Sequence[AssignmentGrades], canvas_ids: Mapping[str, str]) -> str:
    """Canvas's gradebook import: a row per student, a column per assignment."""
    missing = [a.name for a in assignments if a.name not in canvas_ids]
    if missing:
        example = " ".join(f"--canvas-id {name}=NUMBER" for name in missing)
        raise AutograderError(
            "Canvas needs the id of each assignment it imports (the number at the end of "
            f"the assignment's address in Canvas, .../assignments/NUMBER); missing for "
            f"{', '.join(missing)}: add {example}"
        )
    lines: list[list[str]] = []
    columns = [safe_text(f"{a.name} ({canvas_ids[a.name]})") for a in assignments]
    lines.append([*CANVAS_COLUMNS, *columns])
    lines.append(
        ["Points Possible", "", "", "", "", *(format_points(a.max_score) for a in assignments)]
    )
    by_student = _by_student(assignments)
    for student in sorted(by_student):
        rows = by_student[student]
        who = next(iter(rows.values())).who
        numeric = student.isdigit()
        canvas_user = who.lms_user_id or (student if numeric else "")
        login = "" if numeric else student
        cells = [_grade(rows[a.name]) if a.name in rows else "" for a in assignments]
        lines.append(
            [safe_text(who.sortable_name), safe_text(canvas_user), "", safe_text(login), "", *cells]
        )
    return _csv(lines)


def moodle_date(when: datetime.datetime) -> str:
    """A time as Moodle writes it in the worksheet (``Wednesday, 15 January 2025, 10:00 AM``),
    in UTC; ``strtotime`` reads it back."""
    if when.tzinfo is not None:
        when = when.astimezone(datetime.timezone.utc)
    hour = when.hour % 12 or 12
    half = "AM" if when.hour < 12 else "PM"
    return (
        f"{_DAYS[when.weekday()]}, {when.day} {_MONTHS[when.month - 1]} {when.year}, "
        f"{hour}:{when.minute:02d} {half}"
    )


def _participant(student: str, participants: Mapping[str, str]) -> str | None:
    number = participants.get(student) or (student if student.isdigit() else None)
    return f"Participant {number}" if number else None


def _comment(row: ExportRow) -> str:
    if not row.decided:
        return ""
    text = f"Autograded: {format_points(row.total)} / {format_points(row.max_score)}"
    if row.penalty:
        text += f" (late penalty {format_points(row.penalty)} taken off)"
    return text


def moodle_csv(
    grades: AssignmentGrades, participants: Mapping[str, str], now: datetime.datetime
) -> str:
    """Moodle's offline grading worksheet for one assignment; ``now`` is the time of the
    grades (``Last modified (grade)``)."""
    unknown = [r.student for r in grades.rows if _participant(r.student, participants) is None]
    if unknown:
        example = " ".join(f"--moodle-id {s}=NUMBER" for s in unknown[:3])
        raise AutograderError(
            f"Moodle's worksheet names each student by the participant number of "
            f"{grades.name!r} (the number in Moodle's download file names, or in the "
            f"Identifier column of the worksheet Moodle downloads); no number for "
            f"{', '.join(unknown)}: add {example}"
        )
    lines: list[list[str]] = []
    lines.append(list(MOODLE_COLUMNS))
    for row in grades.rows:
        who = row.who
        submitted = row.status != NOT_SUBMITTED
        lines.append(
            [
                safe_text(_participant(row.student, participants) or ""),
                safe_text(who.full_name),
                safe_text(who.email),
                "Submitted for grading" if submitted else "No submission",
                _grade(row),
                format_points(grades.max_score),
                "Yes",
                moodle_date(row.timestamp) if row.timestamp else "-",
                moodle_date(now),
                _comment(row),
            ]
        )
    return _csv(lines)


def _number(value: float) -> str:
    return str(float(value))


def nbgrader_csv(assignments: Sequence[AssignmentGrades]) -> str:
    """Plain ``nbgrader export``'s columns, one row per assignment and student."""
    lines: list[list[str]] = []
    lines.append(list(NBGRADER_COLUMNS))
    for grades in assignments:
        due = str(grades.duedate) if grades.duedate else ""
        for row in grades.rows:
            who = row.who
            if row.status == NOT_SUBMITTED:
                scores = ["0.0", "0.0", "0.0"]
            elif row.decided:
                scores = [
                    _number(row.raw_score),
                    _number(row.penalty),
                    _number(max(0.0, row.total)),
                ]
            else:
                scores = ["", "", ""]
            lines.append(
                [
                    safe_text(grades.name),
                    due,
                    str(row.timestamp) if row.timestamp else "",
                    safe_text(row.student),
                    safe_text(who.last_name),
                    safe_text(who.first_name),
                    safe_text(who.email),
                    *scores,
                    _number(grades.max_score),
                ]
            )
    return _csv(lines)


def course_csv(assignments: Sequence[AssignmentGrades]) -> str:
    """The whole course: a row per student, a column per assignment (its total, blank
    when not decided), the sum of the decided totals, and why a cell is blank."""
    lines: list[list[str]] = []
    names = [safe_text(a.name) for a in assignments]
    lines.append(
        ["student", "first_name", "last_name", "email", *names, "total", "max_score", "notes"]
    )
    by_student = _by_student(assignments)
    top = sum(a.max_score for a in assignments)
    for student in sorted(by_student):
        rows = by_student[student]
        who = next(iter(rows.values())).who
        cells: list[str] = []
        notes: list[str] = []
        total = 0.0
        for grades in assignments:
            found = rows.get(grades.name)
            if found is not None and found.decided:
                cells.append(format_points(found.total))
                total += found.total
            else:
                cells.append("")
                notes.append(f"{grades.name}: {found.reason if found else 'no submission'}")
        lines.append(
            [
                safe_text(student),
                safe_text(who.first_name),
                safe_text(who.last_name),
                safe_text(who.email),
                *cells,
                format_points(total),
                format_points(top),
                safe_text("; ".join(notes)),
            ]
        )
    return _csv(lines)
