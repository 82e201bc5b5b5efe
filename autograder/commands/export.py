"""``export``: the assignment's grades as CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.commands import Command
from autograder.commands._course import course_of


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment")
    parser.add_argument("--output", type=Path, help="CSV file to write (default: standard output)")


def _run(args: argparse.Namespace) -> int:
    from autograder.outputs.export import export_csv

    text = export_csv(course_of(args), args.assignment)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


COMMAND = Command(
    "export",
    "grades as CSV",
    "One row per student: score, status (ok, needs-review, not graded), late penalty "
    "and the reasons a submission needs review.",
    _arguments,
    _run,
)
