"""Write a student-only copy of the kit: what students need, none of the answer keys.

``make student-copy DEST=../itil-svc-student`` runs
``python -m autograder.publish.student_copy DEST``, which writes into ``DEST``:

- ``release/``: the student notebooks;
- ``course/``: the course package (content model, quizzes, builder, progress);
- ``binder/``: what Binder needs to open ``release/``;
- ``pyproject.toml``, ``Makefile``, ``README.md``, ``.gitignore``: a
  student's (see :mod:`autograder.publish.student_files`).

Never ``source/`` (solutions and hidden tests), ``autograder/``, ``tests/``,
the gradebook, any submission, or the graded questions' keys in ``course/``
(:data:`GRADED_KEYS`). Before anything reaches ``DEST`` the copy is checked: no
line of a solution region or a hidden test of ``source/``, and no note or
reason of a graded key, may appear in any of its files. A copy that fails the
check is thrown away and the command names the file and the line.

``DEST`` must be outside the kit, and either new, empty, or an earlier
student copy (it holds ``.student-copy``): then the copied entries are
replaced and everything else (a ``.git`` folder, say) is left as it is, so
publishing an update is: run it again, commit, push.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import AutograderError
from autograder.nbgrader_settings import REPO_ROOT
from autograder.publish.secrets import BOTH, GRADED_KEYS, key_lines, notebook_secrets
from autograder.publish.student_files import (
    StudentFileError,
    student_gitignore,
    student_makefile,
    student_pyproject,
    student_readme,
)

__all__ = [
    "GRADED_KEYS",
    "MARKER",
    "StudentCopy",
    "StudentCopyError",
    "key_lines",
    "leaks",
    "secret_lines",
    "write",
]

MARKER = ".student-copy"
FOLDERS = ("release", "course", "binder")
FILES = ("pyproject.toml", "Makefile", "README.md", ".gitignore")
MANAGED = (*FOLDERS, *FILES, MARKER)
_SKIP = ("__pycache__", ".ipynb_checkpoints", "*.pyc", ".DS_Store", "my-work-*.zip*")
#: nbgrader's working files and the graded keys: none of them belongs in a student's copy.
INSTRUCTOR_ONLY = (
    "source",
    "autograder",
    "tests",
    "submitted",
    "autograded",
    "feedback",
    "gradebook.db",
    "nbgrader_config.py",
    GRADED_KEYS,
)


class StudentCopyError(AutograderError):
    """The copy cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class StudentCopy:
    dest: Path
    files: tuple[str, ...]
    checked_lines: int


def _cells(path: Path) -> Iterator[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for cell in data.get("cells", []):
        source = cell.get("source", "")
        yield "".join(source) if isinstance(source, list) else str(source)


def secret_lines(source: Path, keys: Path | None = None) -> dict[str, str]:
    """Each secret line of the kit whose notebooks are under ``source`` -> where it is:
    solutions and hidden tests (:func:`autograder.publish.secrets.notebook_secrets`) and the
    notes and reasons of the graded keys (:func:`autograder.publish.secrets.key_lines`; by
    default the kit's :data:`GRADED_KEYS` beside ``source``)."""
    found = notebook_secrets(source.rglob("*.ipynb"), BOTH, relative_to=source)
    return found | key_lines(keys if keys is not None else source.parent / GRADED_KEYS)


def _text(path: Path) -> str:
    """What a reader of ``path`` sees: its text, and for a notebook its cells' text."""
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".ipynb":
        try:
            return raw + "\n" + "\n".join(_cells(path))
        except (ValueError, AttributeError):
            return raw
    return raw


def leaks(copy: Path, secrets: dict[str, str]) -> list[str]:
    """Every problem of ``copy``: instructor-only files, and secret lines in its files."""
    found = [
        f"{name} must not be in a student copy"
        for name in INSTRUCTOR_ONLY
        if (copy / name).exists()
    ]
    for path in sorted(p for p in copy.rglob("*") if p.is_file()):
        text = _text(path)
        for line, where in secrets.items():
            if line in text:
                rel = path.relative_to(copy).as_posix()
                found.append(
                    f"{rel} holds a line of a solution, hidden test or graded key ({where}): {line}"
                )
    return found


def _ignore(folder: str, names: list[str]) -> set[str]:
    """What :func:`shutil.copytree` leaves out: working files, and the graded keys."""
    skipped = set(shutil.ignore_patterns(*_SKIP)(folder, names))
    keys = Path(GRADED_KEYS)
    if Path(folder).name == keys.parent.name and keys.name in names:
        skipped.add(keys.name)
    return skipped


def _check_dest(dest: Path, root: Path) -> None:
    if dest == root or root in dest.parents or dest in root.parents:
        raise StudentCopyError(
            f"{dest} is inside the kit (or holds it): choose a folder outside {root}"
        )
    if dest.exists() and not dest.is_dir():
        raise StudentCopyError(f"{dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / MARKER).is_file():
        raise StudentCopyError(
            f"{dest} is not empty and is not a student copy made by this command "
            f"(it has no {MARKER}): choose a new or empty folder"
        )


def _build(stage: Path, root: Path) -> None:
    for folder in FOLDERS:
        if not (root / folder).is_dir():
            raise StudentCopyError(f"{root / folder} is missing: nothing to copy")
        shutil.copytree(root / folder, stage / folder, ignore=_ignore)
    kit = {name: (root / name).read_text(encoding="utf-8") for name in FILES[:3]}
    try:
        (stage / "pyproject.toml").write_text(student_pyproject(kit["pyproject.toml"]))
        (stage / "Makefile").write_text(student_makefile(kit["Makefile"]))
        (stage / "README.md").write_text(student_readme(kit["README.md"]))
    except StudentFileError as exc:
        raise StudentCopyError(str(exc)) from exc
    (stage / ".gitignore").write_text(student_gitignore())
    (stage / MARKER).write_text(
        "A student-only copy of the ITIL 4 Service Value Chain course kit, written by\n"
        "`make student-copy`. Do not edit: the kit regenerates it.\n"
    )
    if (stage / "binder" / "postBuild").exists():
        (stage / "binder" / "postBuild").chmod((root / "binder" / "postBuild").stat().st_mode)


def write(dest: Path, root: Path = REPO_ROOT) -> StudentCopy:
    """Write the student copy of the kit at ``root`` into ``dest`` (checked first)."""
    root, dest = root.resolve(), dest.resolve()
    _check_dest(dest, root)
    secrets = secret_lines(root / "source")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".student-copy-", dir=dest.parent) as scratch:
        stage = Path(scratch) / "copy"
        stage.mkdir()
        _build(stage, root)
        problems = leaks(stage, secrets)
        if problems:
            raise StudentCopyError(
                "the copy was not written, it would give away answers:\n  " + "\n  ".join(problems)
            )
        dest.mkdir(exist_ok=True)
        for name in MANAGED:
            old = dest / name
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            elif old.exists() or old.is_symlink():
                old.unlink()
            (stage / name).rename(old)
    files = tuple(sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()))
    return StudentCopy(dest, files, len(secrets))


def main(argv: Sequence[str] | None = None) -> int:
    """The old entry point, kept as an alias of ``python -m autograder student-copy``."""
    from autograder.cli import main as cli_main

    return cli_main(["student-copy", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    raise SystemExit(main())
