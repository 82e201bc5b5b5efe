"""The kit's one command line: ``python -m autograder COMMAND`` (or ``itil-autograder``).

Grading commands (``collect``, ``grade``, ``feedback``, ``export``, ``report``)
work on a course directory (``--course-dir``, default: the current directory),
an nbgrader course root. Publishing (``release``, ``student-copy``) and
authoring (``check``, ``seal``) work on the kit itself. The commands are listed
in :data:`autograder.commands.REGISTRY`.

Exit status: 0 done, 1 partly done (the output says what was not), 2 a usage
or input error, said in one line on standard error (never a traceback), 130
interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from autograder.commands import commands
from autograder.errors import AutograderError
from autograder.outputs.terminal import clean

__all__ = ["PROG", "build_parser", "main"]

PROG = "python -m autograder"


def build_parser() -> argparse.ArgumentParser:
    """The parser of every registered command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--course-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="the nbgrader course root (default: the current directory)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The ITIL course kit: grade the course's nbgrader assignments (fast, "
        "sandboxed, nothing lost), publish what students get, check what authors write.",
        epilog="Run '%(prog)s COMMAND --help' for what each command does.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in commands():
        one = sub.add_parser(
            command.name,
            parents=[common] if command.course else [],
            help=command.help,
            description=command.description,
        )
        one.set_defaults(run=command.run)
        command.add_arguments(one)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status (0 ok, 1 partly done, 2 error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except AutograderError as exc:
        print(f"{PROG} {args.command}: error: {clean(exc, newlines=True)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
    return status
