"""``export``: grades as CSV, for the kit (per question) or for an LMS to import."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from autograder.commands import Command
from autograder.commands._course import course_of
from autograder.errors import AutograderError

FORMATS = ("detail", "canvas", "moodle", "nbgrader")


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", nargs="?", help="the assignment (or --all)")
    parser.add_argument(
        "--all",
        action="store_true",
        help="every graded assignment: one row per student, one column per assignment",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="detail",
        help="detail (default): a column per question, status and reason; canvas: Canvas's "
        "gradebook import; moodle: the assignment's offline grading worksheet; nbgrader: "
        "the columns of 'nbgrader export'",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="file to write (default: standard output; a folder for --all --format moodle). "
        "With canvas, moodle or nbgrader, the per-question detail is written beside it "
        "as <name>-questions.csv",
    )
    parser.add_argument(
        "--canvas-id",
        action="append",
        default=[],
        metavar="ASSIGNMENT=NUMBER",
        help="the Canvas id of an assignment (from its address, .../assignments/NUMBER); "
        "once per assignment",
    )
    parser.add_argument(
        "--moodle-id",
        action="append",
        default=[],
        metavar="STUDENT=NUMBER",
        help="a student's Moodle participant number, when the student id is not it",
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    from autograder.outputs import lms
    from autograder.outputs.export import assignment_grades, detail_csv, graded_assignments

    if bool(args.assignment) == bool(args.all):
        raise AutograderError("export: name one assignment, or give --all (not both)")
    layout = course_of(args)
    names = graded_assignments(layout) if args.all else [args.assignment]
    grades = [assignment_grades(layout, name) for name in names]
    fmt = args.format
    now = datetime.datetime.now(datetime.timezone.utc)
    files: dict[Path | None, str] = {}
    if fmt == "moodle":
        participants = lms.parse_ids(args.moodle_id, "--moodle-id", "alice=1000001")
        if args.all:
            if args.output is None:
                raise AutograderError(
                    "export --all --format moodle writes one worksheet per assignment: "
                    "give --output FOLDER"
                )
            for g in grades:
                files[args.output / f"{g.name}-moodle.csv"] = lms.moodle_csv(g, participants, now)
        else:
            files[args.output] = lms.moodle_csv(grades[0], participants, now)
    elif fmt == "canvas":
        ids = lms.parse_ids(args.canvas_id, "--canvas-id", "06-practice=55503")
        files[args.output] = lms.canvas_csv(grades, ids)
    elif fmt == "nbgrader":
        files[args.output] = lms.nbgrader_csv(grades)
    else:
        files[args.output] = lms.course_csv(grades) if args.all else detail_csv(grades[0])
    if fmt != "detail" and args.output is not None:
        for g in grades:
            if args.all and fmt == "moodle":
                beside = args.output / f"{g.name}-questions.csv"
            elif args.all:
                beside = args.output.with_name(f"{args.output.stem}-{g.name}-questions.csv")
            else:
                beside = args.output.with_name(f"{args.output.stem}-questions.csv")
            files[beside] = detail_csv(g)
    for path, text in files.items():
        if path is None:
            sys.stdout.write(text)
        else:
            _write(path, text)
    if fmt in ("canvas", "moodle"):
        for g in grades:
            for line in lms.blank_rows(g):
                print(f"left blank in {g.name}: {line}", file=sys.stderr)
    return 0


COMMAND = Command(
    "export",
    "grades as CSV (per question, or for Canvas, Moodle, nbgrader)",
    "One row per student. detail (default): a column per question, total (late penalty "
    "taken off), status (ok, needs-review, not-submitted) and reason. canvas, moodle and "
    "nbgrader write the file that LMS (or 'nbgrader export') uses, totals only, with "
    "names and emails from the roster; a grade that is not decided is left blank there "
    "(listed on standard error). --all: every graded assignment in one file.",
    _arguments,
    _run,
)
