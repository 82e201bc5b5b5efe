"""``check``: load the course content, the quiz bank, the scenarios and the graded keys;
report every problem of each part."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from autograder.commands import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "content",
        nargs="?",
        type=Path,
        default=None,
        help="a content folder (default: the course's own, course/content/)",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="the nbgrader source notebooks whose hidden tests are checked against the "
        "content (default: the kit's source/)",
    )


def _errors(exc: Exception) -> list[str]:
    """Every problem a load reported (a ContentProblems holds several)."""
    return [str(e) for e in getattr(exc, "errors", (exc,))]


def _report(name: str, count: int | None, what: str, problems: list[str]) -> int:
    if count is None:
        print(f"{name}: not checked: the content must load first")
    elif problems:
        print(f"{name}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print(f"{name}: ok ({count} {what})")
    return len(problems)


def _run(args: argparse.Namespace) -> int:
    from autograder.commands._content_keys import key_problems
    from autograder.errors import AutograderError
    from autograder.nbgrader_settings import REPO_ROOT
    from course.loader import CONTENT_DIR, load_content
    from course.quizbank.bank import read_bank
    from course.scenarios import load_scenarios

    if args.content is not None and not args.content.is_dir():
        raise AutograderError(f"{args.content}: no such content folder")
    source = args.source or REPO_ROOT / "source"
    if not source.is_dir():
        raise AutograderError(f"{source}: no such folder of source notebooks (--source)")
    content = args.content or CONTENT_DIR
    found = 0
    course: Any = None
    try:
        course = load_content(content)
    except (ValueError, LookupError, OSError) as exc:  # ContentError and friends
        found += _report("content", 0, "", _errors(exc))
    else:
        found += _report("content", len(course.activities), "activities", [])
    bank: Any = None
    if course is None:
        for name in ("quiz bank", "scenarios", "graded keys"):
            _report(name, None, "", [])
    else:
        try:
            bank = read_bank(content / "quizzes", course)
        except (ValueError, LookupError, OSError) as exc:
            found += _report("quiz bank", 0, "", _errors(exc))
        else:
            found += _report("quiz bank", len(bank.questions), "questions", [])
        try:
            count = len(load_scenarios(content))
        except (ValueError, LookupError, OSError) as exc:
            found += _report("scenarios", 0, "", _errors(exc))
        else:
            found += _report("scenarios", count, "scenarios", [])
        checked, problems = key_problems(source, course, bank)
        found += _report("graded keys", checked, "hidden-test keys", problems)
    if found:
        raise AutograderError(f"{found} problem(s) found; each is named above")
    return 0


COMMAND = Command(
    "check",
    "check the content, quiz bank, scenarios and graded keys; report every problem",
    "Load the course content (course/content/ or CONTENT), its quiz bank and its "
    "scenarios, and check every hidden test's key in source/ against that content; "
    "report every problem of each part: file, line and how to fix it. Exit 2 when "
    "anything is wrong.",
    _arguments,
    _run,
    course=False,
)
