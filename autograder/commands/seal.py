"""``seal``: replace the plain answers an author wrote in quiz files by their seals."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.commands import Command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, metavar="QUIZ_FILE.yaml")
    parser.add_argument(
        "--key",
        nargs=3,
        metavar=("QUESTION_ID", "SLOT", "ANSWER"),
        help="print the seal of one answer instead (e.g. six-engage-scenario 'Obtain/Build' right)",
    )


def _run(args: argparse.Namespace) -> int:
    from autograder.errors import AutograderError
    from course.quizbank.authoring import seal_file
    from course.quizbank.keys import seal

    if args.key:
        print(seal(*args.key))
        return 0
    if not args.files:
        raise AutograderError("name the quiz files to seal, or give --key QUESTION_ID SLOT ANSWER")
    for path in args.files:
        if not path.is_file():
            raise AutograderError(f"{path}: no such quiz file")
        count = seal_file(path)
        print(f"{path}: sealed {count} key{'s' if count != 1 else ''}")
    return 0


COMMAND = Command(
    "seal",
    "seal the plain quiz answers an author wrote (in place)",
    "While writing a question an author may put the plain answer where the key goes; "
    "this replaces each with its sealed digest and leaves every other byte as it was. "
    "The quiz bank refuses to load an unsealed key.",
    _arguments,
    _run,
    course=False,
)
