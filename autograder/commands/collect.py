"""``collect``: place an LMS archive or folder of submissions into ``submitted/``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.commands import Command
from autograder.commands._course import course_of


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="assignment name (a folder of source/)")
    parser.add_argument("source", type=Path, help="an LMS .zip or a folder of submissions")
    parser.add_argument(
        "--pattern",
        help="regular expression for file names, with groups 'student' and optionally 'file'",
    )


def _run(args: argparse.Namespace) -> int:
    from autograder.engine.lock import course_lock
    from autograder.intake.collect import collect
    from autograder.outputs.terminal import clean

    layout = course_of(args)
    with course_lock(layout, f"collect {args.assignment}"):
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


COMMAND = Command(
    "collect",
    "place an LMS archive or folder into submitted/",
    "Read an LMS download (a .zip or a folder), find each student's notebooks by file "
    "name and place them in submitted/<student>/<assignment>/. Exit 1 when nothing "
    "could be placed.",
    _arguments,
    _run,
)
