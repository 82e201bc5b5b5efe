"""``feedback``: HTML feedback per student, checked to hold no hidden test."""

from __future__ import annotations

import argparse
import sys

from autograder.commands import Command
from autograder.commands._course import course_of


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment")
    parser.add_argument("--student", action="append", dest="students", metavar="ID")


def _run(args: argparse.Namespace) -> int:
    from autograder.outputs.feedback import generate_feedback
    from autograder.outputs.terminal import clean

    layout = course_of(args)
    done = generate_feedback(layout, args.assignment, args.students)
    for path in done.written:
        print(f"wrote {clean(path.relative_to(layout.root))}")
    for student, why in done.skipped.items():
        print(f"no feedback for {clean(student)}: {clean(why)}", file=sys.stderr)
    return 1 if done.leaked else 0


COMMAND = Command(
    "feedback",
    "HTML feedback per student (no hidden tests)",
    "Write feedback/<student>/<assignment>/*.html from the autograded notebooks and the "
    "gradebook (scores set by hand in the formgrader included), as the formgrader's "
    "Generate Feedback does. A page that would show a line of a hidden test is not "
    "written (exit 1).",
    _arguments,
    _run,
)
