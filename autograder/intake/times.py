"""When a submission was handed in: the one rule, for the exchange and for LMS downloads.

nbgrader takes a submission's time from ``timestamp.txt`` in its folder of
``submitted/`` and computes the late penalty from it and the assignment's due
date (set in the gradebook). :func:`write_timestamp` writes that file the way
``nbgrader submit`` does, for both routes.

For an LMS download the time is never a zip entry's date (an LMS stamps every
entry with the time it built the zip). :func:`submission_time` takes, in this
order: the instructor's times file (``collect --times``), the upload time the
LMS wrote into the file name (Blackboard), the LMS's own late marker (Canvas's
``LATE``: without a time, counted as one day late, the least a late submission
loses), and otherwise says the time is unknown: no penalty, said per student.

A times file is a CSV with a header ``student_id,submitted_at`` and one row per
student (the id ``collect`` places the student under). ``submitted_at`` is a
date and time such as ``2025-03-14 16:30:00``, ``2025-03-14T16:30:00+01:00`` or
``2025-03-14 16:30 UTC`` (ISO 8601); without a zone it is read in ``--timezone`` (UTC unless
given).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path
from typing import Any

from autograder.course_layout import CourseLayout
from autograder.errors import AutograderError

__all__ = [
    "STAMP_FORMAT",
    "due_date",
    "format_time",
    "read_times",
    "submission_time",
    "write_timestamp",
]

UTC = datetime.timezone.utc
#: How ``nbgrader submit`` writes ``timestamp.txt`` (UTC).
STAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"
_HEADER = ["student_id", "submitted_at"]
_MAX_TIMES_BYTES = 10 * 1024 * 1024


def format_time(when: datetime.datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def write_timestamp(folder: Path, when: datetime.datetime | None) -> None:
    """``folder/timestamp.txt`` as nbgrader writes it (``when``: aware, or naive UTC);
    ``None`` removes it (no time known: nbgrader then takes no late penalty)."""
    path = folder / "timestamp.txt"
    if when is None:
        path.unlink(missing_ok=True)
        return
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    path.unlink(missing_ok=True)  # never write through a link
    path.write_text(when.strftime(STAMP_FORMAT), encoding="utf-8")


_TIME = re.compile(
    r"(?P<date>\d{4}-\d\d-\d\d)[ T](?P<h>\d\d):(?P<m>\d\d)(?::(?P<s>\d\d)(?:\.(?P<f>\d{1,6}))?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d\d:?\d\d)?"
)


def parse_time(text: str, zone: datetime.tzinfo) -> datetime.datetime:
    """An aware time from ``text`` (``2025-03-14 16:30[:00[.000]]`` or with ``T``, then
    optionally ``Z``, ``UTC`` or ``+01:00``); without a zone, in ``zone``."""
    found = _TIME.fullmatch(text.strip())
    if found is None:
        raise ValueError("expected a date and time such as 2025-03-14 16:30:00")
    day = datetime.date.fromisoformat(found.group("date"))
    fraction = int((found.group("f") or "0").ljust(6, "0"))
    when = datetime.datetime(
        day.year,
        day.month,
        day.day,
        int(found.group("h")),
        int(found.group("m")),
        int(found.group("s") or 0),
        fraction,
    )
    offset = found.group("zone")
    if offset is None:
        return when.replace(tzinfo=zone)
    if offset in ("Z", "UTC", "GMT"):
        return when.replace(tzinfo=UTC)
    digits = offset[1:].replace(":", "")
    delta = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return when.replace(tzinfo=datetime.timezone(delta if offset[0] == "+" else -delta))


def read_times(path: Path, zone: datetime.tzinfo) -> dict[str, datetime.datetime]:
    """student id -> submission time, from the instructor's times file."""
    try:
        if path.stat().st_size > _MAX_TIMES_BYTES:
            raise AutograderError(f"{path}: larger than 10 MB, not a times file")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AutograderError(f"--times {path}: cannot be read ({exc})") from exc
    rows = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(rows, [])]
    if header[:2] != _HEADER:
        raise AutograderError(
            f"--times {path}: the first line must be the header 'student_id,submitted_at' "
            f"(found {','.join(header)!r})"
        )
    times: dict[str, datetime.datetime] = {}
    for number, row in enumerate(rows, start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2 or not row[0].strip():
            raise AutograderError(
                f"--times {path}, line {number}: expected student_id,submitted_at"
            )
        student, stamp = row[0].strip(), row[1]
        try:
            when = parse_time(stamp, zone)
        except (ValueError, OverflowError) as exc:
            raise AutograderError(
                f"--times {path}, line {number}: {stamp!r} is not a date and time "
                f"(write it as 2025-03-14 16:30:00, with a zone such as +01:00 or UTC if "
                f"it is not in --timezone) ({exc})"
            ) from None
        if student in times and times[student] != when:
            raise AutograderError(f"--times {path}, line {number}: {student} is listed twice")
        times[student] = when
    return times


def due_date(layout: CourseLayout, assignment: str) -> datetime.datetime | None:
    """The assignment's due date in the gradebook (aware, UTC), or None (no gradebook,
    or no due date yet). Never creates the gradebook."""
    if "sqlite" in layout.db_url and not (layout.root / "gradebook.db").is_file():
        return None
    from nbgrader.api import Gradebook, MissingEntry

    try:
        with Gradebook(layout.db_url, layout.coursedir().course_id) as gb:
            try:
                due = gb.find_assignment(assignment).duedate
            except MissingEntry:
                return None
            return None if due is None else due.replace(tzinfo=UTC)
    except Exception as exc:  # an unreadable gradebook: grade will say so
        raise AutograderError(f"the gradebook cannot be read for the due date ({exc})") from exc
    return None


def _late_by(when: datetime.datetime, due: datetime.datetime | None) -> str:
    if due is None:
        return ""
    late = (when - due).total_seconds()
    if late <= 0:
        return ", on time"
    hours, rest = divmod(int(late), 3600)
    return f", {hours} h {rest // 60:02d} min after the due date"


def submission_time(
    lms: str,
    late_marker: bool | None,
    name_time: datetime.datetime | None,
    given: datetime.datetime | None,
    due: datetime.datetime | None,
) -> tuple[datetime.datetime | None, str, dict[str, Any]]:
    """The time nbgrader is given for one student's submission (None: none), what to
    tell the instructor, and what the intake record keeps."""
    who = lms or "the LMS"
    if given is not None:
        text = f"submitted {format_time(given)} (times file){_late_by(given, due)}"
        if late_marker is not None and due is not None and (given > due) != late_marker:
            said = "late" if late_marker else "on time"
            text += f"; {who} marks it {said}: the times file counts"
        return given, text, {"time_source": "times file"}
    if name_time is not None:
        text = f"submitted {format_time(name_time)} ({who}'s file name){_late_by(name_time, due)}"
        return name_time, text, {"time_source": f"{who} file name"}
    if late_marker:
        if due is None:
            note = (
                f"late by {who}'s marker, but the assignment has no due date yet: no late "
                "penalty (set the due date, then collect again, or give --times)"
            )
            return None, note, {"time_source": None, "note": note}
        when = due + datetime.timedelta(days=1)
        note = (
            f"late by {who}'s marker, time unknown: counted as one day late "
            "(give --times for the exact time)"
        )
        return when, note, {"time_source": f"{who} late marker", "note": note}
    if late_marker is False:
        return None, f"on time by {who}'s marker", {"time_source": f"{who} late marker"}
    if due is not None:
        note = "submission time unknown: no late penalty (give --times with the upload times)"
        return None, note, {"time_source": None, "note": note}
    return None, "submission time unknown", {"time_source": None}
