"""Read what a student handed in, without trusting it and without changing it.

Every notebook of the assignment is looked for in the student's submission
folder and read defensively: a file that is missing, too large, not JSON, of
an unknown notebook format or not a valid notebook becomes a reason to
review, with what is wrong; the rest of the submission is still graded.
Files are only ever read: the originals stay as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode
from nbformat.validator import ValidationError, normalize, validate

from autograder import notebook_io as nbio
from autograder.config import GradingLimits
from autograder.course_layout import CourseLayout
from autograder.engine.answer_key import AssignmentKey
from autograder.intake.exchange import INTAKE_FILE, read_intake, unsafe_entries
from autograder.intake.safety import json_problem
from course.graded import JSON, notebook_widget_answers

__all__ = [
    "MAX_NOTEBOOK_BYTES",
    "Submitted",
    "copy_files",
    "load_submission",
    "read_notebook",
    "submission_files",
]

#: The default of ``GradingLimits.notebook_mb``, in bytes.
MAX_NOTEBOOK_BYTES = GradingLimits().bytes("notebook_mb")
#: Deepest nesting of a submitted notebook's JSON (cells, metadata); deeper is refused
#: as unreadable, never walked.
MAX_NOTEBOOK_DEPTH = 64
_SKIP = {"timestamp.txt", INTAKE_FILE}


@dataclass
class Submitted:
    """What a student handed in: each notebook (``None``: missing or unreadable) and the
    answers saved in its widget state, read once here from the submitted file."""

    student: str
    folder: Path
    notebooks: dict[str, NotebookNode | None] = field(default_factory=dict)
    widget_answers: dict[str, dict[str, JSON]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)


def read_notebook(
    path: Path, max_bytes: int = MAX_NOTEBOOK_BYTES
) -> tuple[NotebookNode | None, str | None]:
    """The notebook at ``path`` (version 4), or ``None`` and what is wrong with the file."""
    try:
        if path.is_symlink() or not path.is_file():
            return None, "is not a regular file"
        size = path.stat().st_size
        if size > max_bytes:
            return None, f"is too large to grade ({size // (1024 * 1024)} MB)"
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "is not a text file (not UTF-8)"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    except RecursionError:
        return None, "is not valid JSON (nested too deeply)"
    if not isinstance(data, dict) or not isinstance(data.get("nbformat"), int):
        return None, "is not a notebook (it has no nbformat version)"
    unsafe = json_problem(data, MAX_NOTEBOOK_DEPTH)
    if unsafe is not None:
        return None, unsafe
    major = data["nbformat"]
    if major not in (3, 4):
        return None, f"uses notebook format {major}, which cannot be read (expected 4)"
    try:
        with warnings.catch_warnings():  # nbformat warns (and repairs) duplicated cell ids
            warnings.simplefilter("ignore")
            nb = nbio.reads(text)
            _, normal = normalize(nb)
            nb = nbio.from_dict(normal)
            validate(nb)
    except (
        ValidationError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
    ) as exc:
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return None, f"is not a valid notebook ({first})"
    return nb, None


def load_submission(
    layout: CourseLayout, key: AssignmentKey, student: str, max_bytes: int = MAX_NOTEBOOK_BYTES
) -> Submitted:
    folder = layout.submitted_dir(student, key.name)
    found = Submitted(student, folder)
    present = sorted(p.name for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    expected = {f"{nb.name}.ipynb" for nb in key.notebooks}
    for nb_key in key.notebooks:
        filename = f"{nb_key.name}.ipynb"
        path = folder / filename
        if not path.exists() and not path.is_symlink():
            others = [p for p in present if p not in expected]
            hint = f" (found instead: {', '.join(others)})" if others else ""
            found.reasons.append(f"{filename}: missing from the submission{hint}")
            found.notebooks[nb_key.name] = None
            found.missing.add(nb_key.name)
            continue
        nb, problem = read_notebook(path, max_bytes)
        if problem is not None:
            found.reasons.append(f"{filename}: {problem}")
        found.notebooks[nb_key.name] = nb
        found.widget_answers[nb_key.name] = notebook_widget_answers(nb) if nb is not None else {}
    intake = read_intake(folder)
    refused = intake.get("refused")
    for name, why in sorted(refused.items()) if isinstance(refused, dict) else ():
        found.reasons.append(f"{name}: not collected, it {why}")
    for name, why in sorted(unsafe_entries(folder).items()) if folder.is_dir() else ():
        found.reasons.append(f"{name}: refused, it {why}")
    said = [intake.get("note"), *(intake.get("notes") or [])]
    found.notes.extend(f"submission time: {n}" for n in said if isinstance(n, str) and n)
    extra = [p for p in present if p not in expected]
    if extra:
        found.notes.append("notebooks not part of the assignment, not graded: " + ", ".join(extra))
    return found


def submission_files(submitted: Path) -> list[Path]:
    """The submission's own files that its kernel gets (no notebook, no bookkeeping),
    relative to ``submitted``. Links are never followed: a link submitted by a student
    is not one of them, nor is a hard link (refused, see :func:`load_submission`)."""
    found: list[Path] = []
    if submitted.is_dir() and not submitted.is_symlink():
        for folder, _dirs, names in os.walk(submitted, followlinks=False):
            for name in sorted(names):
                path = Path(folder) / name
                if path.is_symlink() or not path.is_file() or path.suffix == ".ipynb":
                    continue
                if path.lstat().st_nlink > 1 or name in _SKIP:
                    continue
                found.append(path.relative_to(submitted))
    return found


def copy_files(submitted: Path, key: AssignmentKey, workdir: Path) -> None:
    """The submission's own files (:func:`submission_files`), then the assignment's
    (which win), into ``workdir``."""
    for relative in submission_files(submitted):
        target = workdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(submitted / relative, target, follow_symlinks=False)
    for path in key.support_files:
        if path.is_symlink() or not path.is_file():
            continue
        target = workdir / path.relative_to(key.source_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
