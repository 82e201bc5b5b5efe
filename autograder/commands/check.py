"""``check``: load the course content, the quiz bank and the scenarios; report every problem."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from autograder.commands import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "content",
        nargs="?",
        type=Path,
        default=None,
        help="a content folder (default: the course's own, course/content/)",
    )


def _checks(folder: Path | None) -> list[tuple[str, Callable[[], int]]]:
    from course.loader import CONTENT_DIR, load_content
    from course.quizbank.bank import read_bank
    from course.scenarios import load_scenarios

    content = folder or CONTENT_DIR

    def model() -> int:
        return len(load_content(content).activities)

    def bank() -> int:
        return len(read_bank(content / "quizzes", load_content(content)).questions)

    def scenarios() -> int:
        return len(load_scenarios(content))

    return [("content", model), ("quiz bank", bank), ("scenarios", scenarios)]


def _run(args: argparse.Namespace) -> int:
    from autograder.errors import AutograderError

    if args.content is not None and not args.content.is_dir():
        raise AutograderError(f"{args.content}: no such content folder")
    problems = 0
    for name, load in _checks(args.content):
        try:
            count = load()
        except (ValueError, LookupError, OSError) as exc:  # ContentError and friends
            problems += 1
            print(f"{name}: PROBLEM: {exc}")
        else:
            print(f"{name}: ok ({count} loaded)")
    if problems:
        raise AutograderError(f"{problems} problem(s) found; each is named above")
    return 0


COMMAND = Command(
    "check",
    "load the content, quiz bank and scenarios; report every problem",
    "Load the course content (course/content/ or CONTENT), its quiz bank and its "
    "scenarios, each on its own, and report what is wrong with each: file, line and "
    "how to fix it. Exit 2 when anything is wrong.",
    _arguments,
    _run,
    course=False,
)
