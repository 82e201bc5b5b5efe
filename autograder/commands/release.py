"""``release``: regenerate ``release/`` from ``source/`` with nbgrader."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.commands import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output", type=Path, default=None, help="where to write (default: release/)"
    )


def _run(args: argparse.Namespace) -> int:
    from autograder.publish.release import generate

    target = generate(args.output)
    names = ", ".join(p.name for p in sorted(target.iterdir()))
    print(f"release: generated {names} into {target}")
    return 0


COMMAND = Command(
    "release",
    "regenerate release/ from source/ (the kit's own assignments)",
    "Regenerate release/ from source/ with nbgrader: solutions and hidden tests "
    "stripped. release/ is replaced only once every assignment has been generated.",
    _arguments,
    _run,
    course=False,
)
