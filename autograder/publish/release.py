"""Generate the student release (``release/``) from ``source/`` with nbgrader.

``make release`` runs ``python -m autograder.publish.release``. nbgrader's
``GenerateAssignment`` converter strips solution regions and hidden tests,
locks the read-only cells and clears outputs. The release is generated into a
temporary folder first and then replaces ``release/`` as a whole, so an
assignment removed from ``source/`` disappears from ``release/`` too, and a
failure leaves the committed release untouched.

No gradebook is written: generating the release has no side effects besides
``release/``. (The grading pipeline brings assignments into its gradebook
itself.)
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from autograder.errors import AutograderError
from autograder.nbgrader_settings import REPO_ROOT, course_config

__all__ = ["ReleaseError", "assignments", "generate", "main"]


class ReleaseError(AutograderError):
    """nbgrader could not generate an assignment; the message says which and why."""


def assignments(root: Path = REPO_ROOT) -> list[str]:
    """The assignment folders of ``source/``, in order (``00-start-here``, ``01-...``)."""
    source = root / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


class _ErrorLog(logging.Handler):
    """Keeps nbgrader's error messages, which it only logs, for the exception we raise."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def text(self) -> str:
        return "\n".join(self.messages) or "(nbgrader logged no reason)"


def _generate_into(output: Path, root: Path) -> None:
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    config = course_config(root)
    config.CourseDirectory.release_directory = str(output)
    config.CourseDirectory.assignment_id = "*"
    config.GenerateAssignment.no_database = True
    config.SaveCells.enabled = False  # with no_database: touch no gradebook at all
    config.GenerateAssignment.force = True
    config.GenerateAssignment.permissions = 644
    coursedir = CourseDirectory(config=config)
    converter = GenerateAssignment(coursedir=coursedir, config=config)
    errors = _ErrorLog()
    converter.log.addHandler(errors)
    try:
        converter.start()
    except Exception as exc:  # nbgrader raises NbGraderException and more
        raise ReleaseError(f"nbgrader could not generate the release:\n{errors.text()}") from exc
    finally:
        converter.log.removeHandler(errors)
    made = sorted(p.name for p in output.iterdir()) if output.exists() else []
    missing = sorted(set(assignments(root)) - set(made))
    if missing:
        raise ReleaseError(
            "nbgrader did not generate " + ", ".join(missing) + " (see the log above for why)"
        )


def generate(output: Path | None = None, *, root: Path = REPO_ROOT) -> Path:
    """Generate every assignment of ``root/source`` into ``output`` (default ``root/release``).

    ``output`` is replaced as a whole, and only once nbgrader has succeeded.
    """
    target = (output or root / "release").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".release-", dir=target.parent) as scratch:
        built = Path(scratch) / "release"
        _generate_into(built, root)
        if target.exists():
            shutil.rmtree(target)
        built.rename(target)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """The old entry point, kept as an alias of ``python -m autograder release``."""
    from autograder.cli import main as cli_main

    return cli_main(["release", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    raise SystemExit(main())
