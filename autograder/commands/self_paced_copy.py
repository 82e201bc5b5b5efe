"""``self-paced-copy``: the student copy with a verdict on every graded question."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.commands import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dest", type=Path, help="the folder to write (new, empty, or an earlier edition)"
    )


def _run(args: argparse.Namespace) -> int:
    from autograder.errors import AutograderError
    from autograder.publish.self_paced import write_edition

    try:
        done = write_edition(args.dest)
    except OSError as exc:
        raise AutograderError(str(exc)) from exc
    notebooks = sum(1 for f in done.files if f.endswith(".ipynb"))
    print(
        f"self-paced-copy: wrote {len(done.files)} files ({notebooks} notebooks) to {done.dest}\n"
        f"  {done.questions} graded questions answer at once, from sealed keys; checked: no "
        "instructor-only file, no line of a solution or hidden test, no plain key"
    )
    return 0


COMMAND = Command(
    "self-paced-copy",
    "write the self-paced edition (the student copy with a verdict on every graded question)",
    "Write the self-paced edition: the student copy, where the check cell of every graded "
    "question gives a verdict at once from sealed keys. Refused if any secret line of "
    "source/ or any plain key would reach it.",
    _arguments,
    _run,
    course=False,
)
