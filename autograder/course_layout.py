"""Where a course keeps its files, and the nbgrader configuration that governs them.

The course root is an nbgrader course directory::

    source/<assignment>/*.ipynb            the instructor's notebooks (with keys)
    submitted/<student>/<assignment>/      what students handed in (never modified)
    autograded/<student>/<assignment>/     the graded copies nbgrader's tools read
    autograded/.autograder/<assignment>/   our per-student results (status, reasons)
    feedback/<student>/<assignment>/       HTML returned to students
    gradebook.db                           nbgrader's gradebook (SQLite, the default;
                                           c.CourseDirectory.db_url may name PostgreSQL)
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.errors import AutograderError

__all__ = ["CourseLayout", "load_nbgrader_config", "open_course", "tools_on_path"]

RESULTS_DIRNAME = ".autograder"


def _kit_config(root: Path) -> Config:
    """The kit's own settings (:mod:`autograder.nbgrader_settings`), rooted at ``root``."""
    from autograder import nbgrader_settings

    try:
        config: Config = nbgrader_settings.course_config(root)
    except Exception as exc:  # the kit's configuration to fix
        raise AutograderError(
            f"{nbgrader_settings.__file__}: cannot build the nbgrader configuration: {exc}"
        ) from exc
    return config


def load_nbgrader_config(root: Path) -> Config:
    """The course's nbgrader configuration, rooted at ``root``, with the kit's settings
    applied once.

    The course root's ``nbgrader_config.py`` is read as nbgrader reads it. The kit's
    own file applies the kit's settings itself (then the instructor's); a course file
    that does not gets them underneath its own; a course without a file gets them alone.
    """
    own = root / "nbgrader_config.py"
    if not own.is_file():
        config = _kit_config(root)
    else:
        try:
            loaded = PyFileConfigLoader(own.name, path=str(root)).load_config()
        except Exception as exc:  # a broken config file is the instructor's to fix
            raise AutograderError(f"{own}: cannot load nbgrader configuration: {exc}") from exc
        from autograder import nbgrader_settings

        if nbgrader_settings.applied(loaded):
            config = loaded
        else:
            config = _kit_config(root)
            config.merge(loaded)
    config.CourseDirectory.root = str(root)
    return config


def tools_on_path() -> None:
    """nbgrader runs ``alembic`` when it creates a gradebook: make the venv's bin/ findable."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *[p for p in parts if p]])


@dataclass(frozen=True)
class CourseLayout:
    """The folders of one course; every path an absolute :class:`Path`."""

    root: Path
    config: Config

    def coursedir(self) -> CourseDirectory:
        return CourseDirectory(config=self.config)

    @property
    def db_url(self) -> str:
        return str(self.coursedir().db_url)

    @property
    def gradebook_file(self) -> Path | None:
        """The gradebook's file when it is SQLite (``gradebook.db`` by default), else None
        (a database server: ``c.CourseDirectory.db_url = "postgresql://..."``)."""
        from sqlalchemy.engine import make_url

        url = make_url(self.db_url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        path = Path(url.database)
        return path if path.is_absolute() else self.root / path

    def _step(self, step: str, student: str, assignment: str) -> Path:
        cd = self.coursedir()
        return Path(cd.format_path(getattr(cd, f"{step}_directory"), student, assignment))

    def source_dir(self, assignment: str) -> Path:
        return self._step("source", ".", assignment).resolve()

    def submitted_dir(self, student: str, assignment: str) -> Path:
        return self._step("submitted", student, assignment)

    def autograded_dir(self, student: str, assignment: str) -> Path:
        return self._step("autograded", student, assignment)

    def feedback_dir(self, student: str, assignment: str) -> Path:
        return self._step("feedback", student, assignment)

    def results_dir(self, assignment: str) -> Path:
        autograded = str(self.coursedir().autograded_directory)
        return self.root / autograded / RESULTS_DIRNAME / assignment

    def result_file(self, student: str, assignment: str) -> Path:
        return self.results_dir(assignment) / f"{student}.json"

    def assignments(self) -> list[str]:
        base = self.root / self.coursedir().source_directory
        return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []

    def source_notebooks(self, assignment: str) -> list[Path]:
        return sorted(self.source_dir(assignment).glob("*.ipynb"))

    def students(self, assignment: str) -> list[str]:
        """Students with a submission folder for ``assignment``, sorted."""
        base = self.root / self.coursedir().submitted_directory
        if not base.is_dir():
            return []
        return sorted(
            p.name
            for p in base.iterdir()
            if not p.name.startswith(".") and (p / assignment).is_dir()
        )

    def require_assignment(self, assignment: str) -> None:
        if not self.source_notebooks(assignment):
            known = ", ".join(self.assignments()) or "none"
            raise AutograderError(
                f"no assignment {assignment!r}: {self.source_dir(assignment)} holds no notebook "
                f"(assignments in source/: {known})"
            )


def open_course(root: Path | str | None = None) -> CourseLayout:
    """The course at ``root`` (default: the current directory)."""
    path = Path(root if root is not None else os.getcwd()).resolve()
    if not path.is_dir():
        raise AutograderError(f"course directory {path} does not exist")
    tools_on_path()
    return CourseLayout(path, load_nbgrader_config(path))
