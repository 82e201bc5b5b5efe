"""``report``: an HTML class report with plots."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.commands import Command
from autograder.commands._course import course_of


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment")
    parser.add_argument(
        "--output", type=Path, help="HTML file (default: autograded/<assignment>-report.html)"
    )


def _run(args: argparse.Namespace) -> int:
    from autograder.outputs.report import write_report

    path = write_report(course_of(args), args.assignment, args.output)
    print(f"wrote {path}")
    return 0


COMMAND = Command(
    "report",
    "an HTML class report with plots",
    "A self-contained HTML page (nothing loaded from the network): the distribution of "
    "scores, each question's share of points, mastery per learning objective, the most "
    "common wrong answers in notebook order (judged by the lesson's own scorers), the "
    "submissions that need review and the students who did not submit.",
    _arguments,
    _run,
)
