"""``grade``: autograde every submission of an assignment, sandboxed and in parallel."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.commands import Command
from autograder.commands._course import course_of, positive

if TYPE_CHECKING:
    from autograder.engine.gradebook import ReviewChange


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment")
    parser.add_argument(
        "--workers",
        type=positive,
        default=None,
        help="submissions graded at once (default: c.GradingLimits.workers, else the cores)",
    )
    parser.add_argument(
        "--timeout",
        type=positive,
        default=None,
        help="seconds one cell may run (default: c.GradingLimits.cell_timeout, else "
        "nbgrader's Execute.timeout, else 30)",
    )
    parser.add_argument(
        "--student",
        action="append",
        dest="students",
        metavar="ID",
        help="grade only this student (repeatable)",
    )
    parser.add_argument(
        "--memory",
        type=positive,
        default=None,
        metavar="MB",
        help="memory limit of a student's kernel (default: c.GradingLimits.memory_mb, 1024)",
    )
    parser.add_argument(
        "--limit",
        action="append",
        dest="limits",
        type=_limit,
        default=[],
        metavar="NAME=VALUE",
        help="override any c.GradingLimits limit for this run, e.g. --limit work_mb=512 "
        "(repeatable; names and help: autograder/config.py)",
    )
    parser.add_argument(
        "--discard-review",
        action="store_true",
        help="drop the scores and comments set by hand in the formgrader for the students "
        "graded (by default a new grading run keeps them, and says so)",
    )
    parser.add_argument(
        "--cluster",
        default=None,
        metavar="ADDRESS",
        help="grade on the workers of the Dask cluster whose scheduler is at ADDRESS, e.g. "
        "tcp://host:8786; 'local' grades on this machine (default: c.Cluster.address, else "
        "this machine; see the README, 'Grading on a cluster')",
    )
    parser.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run student code without bubblewrap (DANGEROUS: only for trusted submissions)",
    )


def _limit(text: str) -> tuple[str, int]:
    """An argparse type: ``NAME=VALUE`` naming a ``GradingLimits`` limit."""
    from autograder.config import GradingLimits

    name, sep, value = text.partition("=")
    names = sorted(GradingLimits.class_traits(config=True))
    if not sep or name not in names:
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE with NAME one of {', '.join(names)}, not {text!r}"
        )
    return name, positive(value)


def _run(args: argparse.Namespace) -> int:
    from autograder.config import cluster_from, limits_from, unheeded_settings
    from autograder.engine.grade import GradeOptions, grade_assignment
    from autograder.engine.sandbox import Limits, find_sandbox
    from autograder.outputs.progress import ProgressBar
    from autograder.outputs.summary import summarise

    layout = course_of(args)
    overrides: dict[str, int] = dict(args.limits)
    named = {"workers": args.workers, "cell_timeout": args.timeout, "memory_mb": args.memory}
    overrides.update({name: value for name, value in named.items() if value is not None})
    limits = limits_from(layout.config, **overrides)
    for note in unheeded_settings(layout.config):
        print(f"note: {note}", file=sys.stderr)
    # (a PostgreSQL gradebook is out of reach anyway: the sandbox has no network)
    database = [layout.gradebook_file] if layout.gradebook_file is not None else []
    secrets = [
        layout.root / layout.coursedir().source_directory,
        *database,
        layout.root / layout.coursedir().submitted_directory,
        layout.root,
        Path.home(),
    ]
    sandbox = find_sandbox(no_sandbox=args.no_sandbox, limits=Limits.of(limits), secrets=secrets)
    for warning in sandbox.warnings():
        print(f"\n{'!' * 78}\n{warning}\n{'!' * 78}\n", file=sys.stderr)
    layout.require_assignment(args.assignment)
    students = args.students if args.students else layout.students(args.assignment)
    if not students:
        folder = layout.root / layout.coursedir().submitted_directory
        print(f"Nothing to grade: no submission of {args.assignment} in {folder}/<student>/.")
        return 0
    bar = ProgressBar(len(students), f"grading {args.assignment}")
    address = args.cluster or cluster_from(layout.config).address
    cluster = None if address in (None, "", "local") else address
    options = GradeOptions(
        sandbox=sandbox,
        students=students,
        progress=bar,
        limits=limits,
        discard_review=args.discard_review,
        cluster=cluster,
    )
    batch = grade_assignment(layout, args.assignment, options)
    print(summarise(batch, layout))
    for line in review_lines(batch.review):
        print(line)
    return 0


def review_lines(review: dict[str, ReviewChange]) -> list[str]:
    """What the run did with each student's review by hand, one line per student."""
    from autograder.outputs.terminal import clean

    lines = []
    for student, change in sorted(review.items()):
        if change.kept:
            lines.append(
                f"kept the review by hand of {clean(student)}: {clean(', '.join(change.kept))} "
                "(set in the formgrader; 'grade --discard-review' drops it)"
            )
        if change.discarded:
            lines.append(
                f"DISCARDED the review by hand of {clean(student)}: "
                f"{clean(', '.join(change.discarded))} (--discard-review)"
            )
    return lines


COMMAND = Command(
    "grade",
    "autograde every submission",
    "Grade every submission of ASSIGNMENT in submitted/: each student's cells run in a "
    "fresh sandboxed kernel, the instructor's tests in a separate test room; grades go "
    "to the gradebook (c.CourseDirectory.db_url: gradebook.db, or PostgreSQL) and the "
    "autograded notebooks to autograded/. Several runs may grade different students at "
    "once; a student another run holds is left to it. Limits come from c.GradingLimits "
    "in nbgrader_config.py; the options below override them for one run.",
    _arguments,
    _run,
)
