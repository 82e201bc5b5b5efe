"""``student-copy``: a student-only copy of the kit, checked to hold no answer."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.commands import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dest", type=Path, help="the folder to write (new, empty, or an earlier copy)"
    )


def _run(args: argparse.Namespace) -> int:
    from autograder.errors import AutograderError
    from autograder.publish.student_copy import write

    try:
        done = write(args.dest)
    except OSError as exc:
        raise AutograderError(str(exc)) from exc
    notebooks = sum(1 for f in done.files if f.endswith(".ipynb"))
    print(
        f"student-copy: wrote {len(done.files)} files ({notebooks} notebooks) to {done.dest}\n"
        f"  checked: no instructor-only file, and none of the {done.checked_lines} lines of "
        "source/'s solutions and hidden tests"
    )
    return 0


COMMAND = Command(
    "student-copy",
    "write a student-only copy of the kit (release/, course/, binder/)",
    "Write a student-only copy of the kit (release/, course/, binder/): no source/, no "
    "grader, no gradebook, no hidden tests. Refused if any secret line of source/ would "
    "reach it.",
    _arguments,
    _run,
    course=False,
)
