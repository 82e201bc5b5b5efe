"""The subcommands of the kit's one command line (``python -m autograder``).

Each command is a module of this package holding a :class:`Command` named
``COMMAND``; :data:`REGISTRY` lists them, in the order ``--help`` shows them.
To add a command: write ``autograder/commands/<name>.py`` with its ``COMMAND``
and add its module name to :data:`REGISTRY`.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["REGISTRY", "Command", "commands"]

#: The command modules, one line each.
REGISTRY: tuple[str, ...] = (
    "collect",
    "grade",
    "feedback",
    "export",
    "report",
    "release",
    "student_copy",
    "self_paced_copy",
    "check",
    "seal",
)


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, a one-line help, a description for its own ``--help``,
    how it reads its arguments and what it does (returning the exit status).

    ``course``: the command works on a course directory (``--course-dir``).
    """

    name: str
    help: str
    description: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    course: bool = True


def commands() -> list[Command]:
    """Every registered command, in :data:`REGISTRY` order."""
    found = []
    for module in REGISTRY:
        command = importlib.import_module(f"{__name__}.{module}").COMMAND
        if not isinstance(command, Command):
            raise TypeError(f"{__name__}.{module}.COMMAND is not a Command")
        found.append(command)
    return found
