"""Helpers for the instructor-workflow tests: the guide's commands, a shared machine, courses.

- :func:`command`: a command line of the README's "For instructors" guide, found by its
  text. The tests run only commands taken from the guide, and ``test_guide.py`` checks
  that every command of the guide is run by a test.
- :class:`Machine`: one computer shared by an instructor and students: a temporary
  exchange folder, the guide's site configuration every user's nbgrader reads (as
  ``/etc/jupyter/nbgrader_config.py`` would be) naming it, and a home folder per user.
- :func:`new_course`, :func:`kit_clone`: an instructor's course folder (``source/``,
  ``release/`` and the root ``nbgrader_config.py``), or a whole clone of the kit.
- :func:`answered`: the released notebook with some answer cells typed in; :func:`lms_zip`:
  a zip of such notebooks, as an LMS would hand it out.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
BIN = Path(sys.executable).parent
AS_STUDENT = Path(__file__).with_name("as_student.py")
ASSIGNMENT = "06-practice"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
GUIDE_HEADING = "## For instructors"
#: ``make`` never rebuilds the shared environment from a test's clone of the kit.
MAKE_SAFE = ["-o", ".venv/.installed"]

_BASH_BLOCK = re.compile(r"^[ \t]*```bash\n(.*?)^[ \t]*```", re.M | re.S)
_PYTHON_BLOCK = re.compile(r"^[ \t]*```python\n(.*?)^[ \t]*```", re.M | re.S)
#: The exchange folder the guide's example configuration names.
GUIDE_EXCHANGE = "/srv/nbgrader/exchange"
_SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)


def guide_text(readme: Path = README) -> str:
    """The "For instructors" section of the README."""
    text = readme.read_text(encoding="utf-8")
    start = text.find(GUIDE_HEADING)
    assert start != -1, f"{readme.name} has no '{GUIDE_HEADING}' section"
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def guide_commands(readme: Path = README) -> list[str]:
    """Every command line of the guide's ``bash`` blocks, in order (comments dropped)."""
    commands = []
    for block in _BASH_BLOCK.findall(guide_text(readme)):
        for line in block.splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def guide_python(containing: str) -> str:
    """The guide's ``python`` block that contains ``containing`` (a configuration example)."""
    blocks = [b for b in _PYTHON_BLOCK.findall(guide_text()) if containing in b]
    assert len(blocks) == 1, f"the guide should have one python block with {containing!r}"
    return textwrap.dedent(blocks[0])


def command(text: str) -> list[str]:
    """The guide's command ``text`` as arguments; fails if the guide does not say it."""
    commands = guide_commands()
    assert text in commands, (
        f"the README's instructor guide has no command {text!r}; it has:\n  "
        + "\n  ".join(commands)
    )
    return shlex.split(text)


def require_sandbox() -> None:
    """Grading needs bubblewrap: skip without it, except under CI, where it must be there."""
    if shutil.which("bwrap") or Path("/usr/bin/bwrap").exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("bubblewrap is required under CI (make test installs it)")
    pytest.skip("bubblewrap (bwrap) is not installed")


@dataclass
class Machine:
    """A computer shared by an instructor and students, all in a temporary folder."""

    base: Path

    def __post_init__(self) -> None:
        self.exchange = self.base / "exchange"
        self.site = self.base / "etc-jupyter"
        self.site.mkdir(parents=True, exist_ok=True)
        # the guide's site configuration, with this machine's exchange folder
        example = guide_python("c.Exchange.root")
        assert repr(GUIDE_EXCHANGE).replace("'", '"') in example
        site = example.replace(GUIDE_EXCHANGE, str(self.exchange))
        (self.site / "nbgrader_config.py").write_text(site)

    def home(self, user: str) -> Path:
        folder = self.base / "home" / user
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def env(self, user: str) -> dict[str, str]:
        """``user``'s environment: their home, the site configuration, the kit's tools."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
        env.update(
            HOME=str(self.home(user)),
            JUPYTER_CONFIG_PATH=str(self.site),
            PATH=os.pathsep.join([str(BIN), env.get("PATH", "")]),
        )
        return env

    def run(
        self, argv: Sequence[str], cwd: Path, user: str = "instructor", check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` as ``user`` in ``cwd``; with ``check``, fail with its output."""
        done = subprocess.run(
            list(argv),
            cwd=cwd,
            env=self.env(user),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"{shlex.join(argv)} (as {user}, in {cwd}) exited with {done.returncode}\n"
                f"--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-4000:]}"
            )
        return done

    def as_student(
        self, user: str, argv: Sequence[str], cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run the ``nbgrader`` command ``argv`` as student ``user``, in their home."""
        assert argv[0] == "nbgrader", argv
        wrapped = [sys.executable, str(AS_STUDENT), user, *argv]
        return self.run(wrapped, cwd or self.home(user), user=user)


def new_course(dest: Path) -> Path:
    """An instructor's course folder: ``source/``, ``release/`` and ``nbgrader_config.py``."""
    for folder in ("source", "release"):
        shutil.copytree(REPO / folder, dest / folder)
    shutil.copy2(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    return dest


def kit_clone(dest: Path) -> Path:
    """A clone of the whole kit, sharing the kit's environment (``.venv`` is a link)."""
    skip = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")
    for folder in ("autograder", "binder", "course", "release", "source"):
        shutil.copytree(REPO / folder, dest / folder, ignore=skip)
    for name in ("Makefile", "README.md", "nbgrader_config.py", "pyproject.toml"):
        shutil.copy2(REPO / name, dest / name)
    (dest / ".venv").symlink_to(REPO / ".venv")
    return dest


def make(argv: Sequence[str]) -> list[str]:
    """A guide's ``make`` command, told never to rebuild the shared environment."""
    assert argv[0] == "make", argv
    return ["make", *MAKE_SAFE, *argv[1:]]


def solutions(assignment: str = ASSIGNMENT) -> dict[str, str]:
    """grade id -> the source's solution for every answer cell of ``assignment``."""
    source = nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return {
        cell.metadata.nbgrader["grade_id"]: _SOLUTION.sub("", cell.source)
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def answered(answers: Mapping[str, str], assignment: str = ASSIGNMENT) -> NotebookNode:
    """The released notebook with the answer cells of ``answers`` (grade id -> code)."""
    path = REPO / "release" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    unknown = set(answers)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
            unknown.discard(grade_id)
    assert not unknown, f"no answer cells {sorted(unknown)} in {path.name}"
    return nb


def lms_zip(path: Path, uploads: Sequence[tuple[str, NotebookNode]]) -> Path:
    """A zip of ``uploads`` (file name, notebook), each dated as its name says, if it does."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, nb in uploads:
            stamp = re.search(r"(\d{4})-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)", name)
            when = tuple(int(x) for x in stamp.groups()) if stamp else (2025, 3, 14, 12, 0, 0)
            archive.writestr(zipfile.ZipInfo(name, date_time=when), nbformat.writes(nb))
    return path


def hidden_test_lines(assignment: str = ASSIGNMENT) -> list[str]:
    """The lines of the hidden tests of ``assignment`` (what no student may ever see)."""
    source = nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    lines = []
    for cell in source.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    assert lines, f"{assignment} has no hidden tests"
    return lines
