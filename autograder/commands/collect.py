"""``collect``: place an LMS archive or folder of submissions into ``submitted/``."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from autograder.commands import Command
from autograder.commands._course import course_of
from autograder.errors import AutograderError


def _zone(text: str) -> datetime.tzinfo:
    """An argparse type: an IANA time zone name (``Europe/Berlin``) or ``UTC``."""
    import zoneinfo

    if text.upper() == "UTC":
        return datetime.timezone.utc
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time zone name (write it as Europe/Berlin, America/New_York or UTC)"
        ) from None


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="assignment name (a folder of source/)")
    parser.add_argument("source", type=Path, help="an LMS .zip or a folder of submissions")
    parser.add_argument(
        "--pattern",
        help="regular expression for file names, with groups 'student' and optionally 'file'",
    )
    parser.add_argument(
        "--times",
        type=Path,
        metavar="CSV",
        help="the students' submission times: a CSV with the header 'student_id,submitted_at' "
        "(ids as collect places them); they win over any time the download gives",
    )
    parser.add_argument(
        "--timezone",
        type=_zone,
        default=datetime.timezone.utc,
        metavar="ZONE",
        help="the time zone of times written without one: Blackboard's attempt times in file "
        "names (its server's zone) and the --times file (default: UTC)",
    )


def table(rows: list[list[str]]) -> list[str]:
    """Rows of already cleaned text as aligned columns (the last one not padded)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join(
            [*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]
        ).rstrip()
        for row in rows
    ]


def _run(args: argparse.Namespace) -> int:
    from autograder.engine.lock import course_lock
    from autograder.intake.collect import PLACED, collect
    from autograder.intake.times import format_time
    from autograder.outputs.terminal import clean

    layout = course_of(args)
    if args.times is not None and not args.times.is_file():
        raise AutograderError(f"--times {args.times}: no such file")
    with course_lock(layout, f"collect {args.assignment}"):
        done = collect(
            layout,
            args.assignment,
            args.source,
            pattern=args.pattern,
            times_file=args.times,
            zone=args.timezone,
        )
    rows = [["OUTCOME", "FILE", "STUDENT", "DETAIL"]]
    for row in done.rows:
        detail = row.detail
        if row.outcome == PLACED and row.student in done.times:
            detail = f"{detail}; {done.times[row.student]}"
        rows.append([row.outcome, clean(row.file), clean(row.student or "-"), clean(detail)])
    print("\n".join(table(rows)))
    due = format_time(done.due) if done.due else "none set in the gradebook"
    print(f"Due date: {due}.")
    print(done.summary())
    return 0 if done.of(PLACED) else 1


COMMAND = Command(
    "collect",
    "place an LMS archive or folder into submitted/",
    "Read an LMS download (a .zip or a folder; Canvas, Moodle, Blackboard or a folder per "
    "student), find each student's notebook by the LMS's id in its name and place it in "
    "submitted/<student>/<assignment>/. Every file of the download is listed: placed, "
    "superseded (a later upload counts), skipped (not a submission) or refused (with why). "
    "Exit 1 when nothing could be placed.",
    _arguments,
    _run,
)
