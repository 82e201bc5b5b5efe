"""``python -m autograder``: collect, grade, feedback, export and report.

Every command works on the course directory (``--course-dir``, default: the
current directory), an nbgrader course root. Errors are one clear line on
standard error and exit status 2; a traceback is never shown.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import AutograderError
from .layout import CourseLayout, open_course
from .outputs.terminal import clean

__all__ = ["build_parser", "main"]

PROG = "python -m autograder"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--course-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="the nbgrader course root (default: the current directory)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Grade the course's nbgrader assignments: fast, sandboxed, nothing lost.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    collect = sub.add_parser(
        "collect", parents=[common], help="place an LMS archive or folder into submitted/"
    )
    collect.add_argument("assignment", help="assignment name (a folder of source/)")
    collect.add_argument("source", type=Path, help="an LMS .zip or a folder of submissions")
    collect.add_argument(
        "--pattern",
        help="regular expression for file names, with groups 'student' and optionally 'file'",
    )

    grade = sub.add_parser("grade", parents=[common], help="autograde every submission")
    grade.add_argument("assignment")
    grade.add_argument(
        "--workers",
        type=_positive,
        default=os.cpu_count() or 1,
        help="submissions graded at once (default: the number of cores, %(default)s)",
    )
    grade.add_argument(
        "--timeout",
        type=_positive,
        default=None,
        help="seconds one cell may run (default: the course's nbgrader setting, else 30)",
    )
    grade.add_argument(
        "--student",
        action="append",
        dest="students",
        metavar="ID",
        help="grade only this student (repeatable)",
    )
    grade.add_argument(
        "--memory",
        type=_positive,
        default=1024,
        metavar="MB",
        help="memory limit of a student's kernel (default: %(default)s MB)",
    )
    grade.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run student code without bubblewrap (DANGEROUS: only for trusted submissions)",
    )

    feedback = sub.add_parser(
        "feedback", parents=[common], help="HTML feedback per student (no hidden tests)"
    )
    feedback.add_argument("assignment")
    feedback.add_argument("--student", action="append", dest="students", metavar="ID")

    export = sub.add_parser("export", parents=[common], help="grades as CSV")
    export.add_argument("assignment")
    export.add_argument("--output", type=Path, help="CSV file to write (default: standard output)")

    report = sub.add_parser("report", parents=[common], help="an HTML class report with plots")
    report.add_argument("assignment")
    report.add_argument(
        "--output", type=Path, help="HTML file (default: autograded/<assignment>-report.html)"
    )
    return parser


def _collect(layout: CourseLayout, args: argparse.Namespace) -> int:
    from .collect import collect
    from .lock import course_lock

    with course_lock(layout.root, f"collect {args.assignment}"):
        done = collect(layout, args.assignment, args.source, pattern=args.pattern)
    for student, name in done.placed:
        print(f"placed {clean(name)} for {clean(student)}")
    for older, newer in done.superseded:
        print(f"superseded: {clean(older)} (a later upload counts: {clean(newer)})")
    for name, why in done.skipped:
        print(f"skipped: {clean(name)} ({why})")
    for name, why in done.problems:
        print(f"NOT placed: {clean(name)}: {clean(why)}", file=sys.stderr)
    print(f"{len(done.placed)} file(s) placed in submitted/, {len(done.problems)} not placed.")
    return 1 if done.problems and not done.placed else 0


def _grade(layout: CourseLayout, args: argparse.Namespace) -> int:
    from .grade import GradeOptions, grade_assignment
    from .progress import ProgressBar
    from .sandbox import NO_SANDBOX_WARNING, Limits, find_sandbox
    from .summary import summarise

    secrets = [
        layout.root / layout.coursedir().source_directory,
        layout.root / "gradebook.db",
        layout.root / layout.coursedir().submitted_directory,
        layout.root,
        Path.home(),
    ]
    sandbox = find_sandbox(
        no_sandbox=args.no_sandbox, limits=Limits(memory_mb=args.memory), secrets=secrets
    )
    if not sandbox.enabled:
        print(f"\n{'!' * 78}\n{NO_SANDBOX_WARNING}\n{'!' * 78}\n", file=sys.stderr)
    layout.require_assignment(args.assignment)
    students = args.students if args.students else layout.students(args.assignment)
    if not students:
        folder = layout.root / layout.coursedir().submitted_directory
        print(f"Nothing to grade: no submission of {args.assignment} in {folder}/<student>/.")
        return 0
    bar = ProgressBar(len(students), f"grading {args.assignment}")
    options = GradeOptions(
        sandbox=sandbox,
        workers=args.workers,
        timeout=args.timeout,
        students=students,
        progress=bar,
    )
    batch = grade_assignment(layout, args.assignment, options)
    print(summarise(batch, layout))
    return 0


def _feedback(layout: CourseLayout, args: argparse.Namespace) -> int:
    from .feedback import generate_feedback

    done = generate_feedback(layout, args.assignment, args.students)
    for path in done.written:
        print(f"wrote {clean(path.relative_to(layout.root))}")
    for student, why in done.skipped.items():
        print(f"no feedback for {clean(student)}: {clean(why)}", file=sys.stderr)
    return 1 if done.leaked else 0


def _export(layout: CourseLayout, args: argparse.Namespace) -> int:
    from .export import export_csv

    text = export_csv(layout, args.assignment)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _report(layout: CourseLayout, args: argparse.Namespace) -> int:
    from .report import write_report

    path = write_report(layout, args.assignment, args.output)
    print(f"wrote {path}")
    return 0


_COMMANDS = {
    "collect": _collect,
    "grade": _grade,
    "feedback": _feedback,
    "export": _export,
    "report": _report,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status (0 ok, 1 partly done, 2 error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        layout = open_course(getattr(args, "course_dir", None))
        return _COMMANDS[args.command](layout, args)
    except AutograderError as exc:
        print(f"{PROG} {args.command}: error: {clean(exc, newlines=True)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
