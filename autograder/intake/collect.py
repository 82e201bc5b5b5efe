"""Put an LMS download (a .zip or a folder) into nbgrader's ``submitted/`` layout.

Each file's name (its path inside the archive) must say whose it is. The
patterns of common learning platforms are known; another can be given with
``--pattern`` (groups ``student`` and optionally ``file``, ``timestamp``), or
as nbgrader's ``FileNameCollectorPlugin.named_regexp`` (groups ``student_id``
and ``file_id``) in the course's configuration:

- Moodle:      ``Ada Lovelace_1234_assignsubmission_file_/problems.ipynb``
- Canvas:      ``lovelaceada_1234_5678_problems.ipynb`` (a re-upload: ``problems-1.ipynb``)
- Blackboard:  ``ps1_ada_attempt_2025-01-15-10-00-00_problems.ipynb``
- a folder per student: ``ada/problems.ipynb`` (or ``ada/ps1/problems.ipynb``)
- flat:        ``ada_problems.ipynb``

When a student uploaded a notebook more than once, the latest upload counts
(its timestamp, else its re-upload number, else the archive's date for it).
Every file that is not placed is reported with the reason; nothing is dropped
silently. The archive itself is only read.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin

from autograder.config import GradingLimits, limits_from
from autograder.course_layout import CourseLayout
from autograder.errors import AutograderError
from autograder.intake.safety import student_id_problem

__all__ = ["Collected", "collect"]

#: Defaults of ``GradingLimits.upload_file_mb`` and ``archive_mb``, in bytes.
MAX_FILE_BYTES = GradingLimits().bytes("upload_file_mb")
MAX_ARCHIVE_BYTES = GradingLimits().bytes("archive_mb")
PATTERNS = [
    # Moodle: the outermost submission folder decides (lazy prefix), never one that a
    # student's own upload holds
    r"^(?:[^/]*/)*?[^/]*?_(?P<student>\d+)_assignsubmission_[a-z]+_/(?:.*/)?(?P<file>[^/]+)$",
    r"^(?:.*/)?[a-z]+(?:_late)?_(?P<student>\d+)_\d+_(?P<file>[^/]+)$",
    r"^(?:.*/)?[^/]+?_(?P<student>[^_/]+)_attempt_"
    r"(?P<timestamp>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)(?:_(?P<file>[^/]+))?$",
    r"^(?P<student>[^/_]+)/(?:.*/)?(?P<file>[^/]+)$",
    r"^(?P<student>[^/_]+)_(?P<file>[^/]+)$",
]
_REUPLOAD = re.compile(r"^(?P<base>.+?)(?:-(?P<dash>\d+)| \((?P<paren>\d+)\))$")


@dataclass
class _Upload:
    name: str
    data: bytes
    when: datetime.datetime
    attempt: int


@dataclass
class Collected:
    placed: list[tuple[str, str]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    superseded: list[tuple[str, str]] = field(default_factory=list)  # (older, newer)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def _entries(
    source: Path, max_file: int = MAX_FILE_BYTES, max_archive: int = MAX_ARCHIVE_BYTES
) -> list[tuple[str, bytes | None, datetime.datetime, str | None]]:
    """(path, content or None, date, problem) for every file of a zip or a folder."""
    out: list[tuple[str, bytes | None, datetime.datetime, str | None]] = []
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source).as_posix()
            if path.is_symlink():
                out.append((rel, None, _now(), "is a link, not a file"))
            elif path.is_file():
                when = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.timezone.utc)
                size = path.stat().st_size
                data = path.read_bytes() if size <= max_file else None
                out.append((rel, data, when, None if data is not None else "is too large"))
        return out
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise AutograderError(f"{source} is neither a folder nor a readable .zip ({exc})") from exc
    with archive:
        total = 0
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = info.filename.replace("\\", "/")
            when = datetime.datetime(*info.date_time, tzinfo=datetime.timezone.utc)
            if name.startswith("/") or ".." in name.split("/"):
                out.append((name, None, when, "has an unsafe path"))
                continue
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                out.append((name, None, when, "is a link, not a file"))
                continue
            total += info.file_size
            if info.file_size > max_file or total > max_archive:
                out.append((name, None, when, "is too large"))
                continue
            data, problem = read_member(archive, info, max_file)
            out.append((name, data, when, problem))
    return out


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_file: int = MAX_FILE_BYTES
) -> tuple[bytes | None, str | None]:
    """A zip member's bytes, read with a bound (its stated size may lie), or why not."""
    if info.flag_bits & 0x1:
        return None, "is encrypted"
    try:
        with archive.open(info) as member:
            data = member.read(max_file + 1)
    except NotImplementedError as exc:
        return None, f"is compressed in a way that is not supported ({exc})"
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        return None, f"is damaged ({exc})"
    if len(data) > max_file:
        return None, "is too large"
    return data, None


def _work_zip_notebooks(
    data: bytes, notebooks: list[str], max_file: int = MAX_FILE_BYTES
) -> list[tuple[str, bytes]] | str:
    """The assignment's notebooks inside a student's "Download my work" zip.

    The zip holds ``<assignment>/<notebook>.ipynb`` (and whatever else was in
    the folder); only the assignment's own notebooks are taken, by name.
    Returns them as (file name, content), or the reason there are none.
    """
    wanted = {f"{nb.casefold()}.ipynb": nb for nb in notebooks}
    found: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
                if info.is_dir() or base.casefold() not in wanted:
                    continue
                name = f"{wanted[base.casefold()]}.ipynb"
                if name in found:  # one copy per notebook: never many held at once
                    return f"holds {name} more than once"
                if info.file_size > max_file:
                    return f"holds {base}, but it is too large"
                content, problem = read_member(archive, info, max_file)
                if content is None:
                    return f"holds {base}, but it {problem}"
                found[name] = content
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
        return f"is a .zip that cannot be read ({exc})"
    if not found:
        expected = ", ".join(f"{n}.ipynb" for n in notebooks)
        return f"is a .zip without the assignment's notebook ({expected})"
    return list(found.items())


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _match(name: str, patterns: list[str]) -> dict[str, str] | None:
    for pattern in patterns:
        found = re.match(pattern, name, flags=re.IGNORECASE)
        if found:
            groups = {k: v for k, v in found.groupdict().items() if v}
            if "student_id" in groups:
                groups["student"] = groups.pop("student_id")
            if "file_id" in groups:
                groups["file"] = groups.pop("file_id")
            if "student" in groups:
                groups.setdefault("file", name.rsplit("/", 1)[-1])
                return groups
    return None


def _notebook_for(filename: str, notebooks: list[str]) -> tuple[str | None, int]:
    """The assignment notebook a file stands for, and its re-upload number."""
    stem = filename[: -len(".ipynb")] if filename.lower().endswith(".ipynb") else filename
    attempt = 0
    again = _REUPLOAD.match(stem)
    candidates = [stem]
    if again:
        candidates.append(again.group("base"))
    for candidate in candidates:
        for nb in notebooks:
            if candidate.casefold() == nb.casefold() or candidate.casefold().endswith(
                "_" + nb.casefold()
            ):
                if again and candidate != stem:
                    attempt = int(again.group("dash") or again.group("paren"))
                return nb, attempt
    return None, 0  # only the assignment's notebook names count, also for one notebook


def _patterns(layout: CourseLayout, pattern: str | None) -> list[str]:
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise AutograderError(f"--pattern is not a valid regular expression: {exc}") from exc
        return [pattern]
    configured = str(FileNameCollectorPlugin(config=layout.config).named_regexp)
    return [configured, *PATTERNS] if configured else PATTERNS


def _timestamp(text: str | None, fallback: datetime.datetime) -> datetime.datetime:
    if text:
        for fmt in ("%Y-%m-%d-%H-%M-%S", "%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S"):
            try:
                return datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.timezone.utc)
            except ValueError:
                continue
    return fallback


def collect(
    layout: CourseLayout,
    assignment: str,
    source: Path,
    pattern: str | None = None,
    limits: GradingLimits | None = None,
) -> Collected:
    limits = limits or limits_from(layout.config)
    max_file = limits.bytes("upload_file_mb")
    layout.require_assignment(assignment)
    if not source.exists():
        raise AutograderError(f"{source} does not exist")
    notebooks = [p.stem for p in layout.source_notebooks(assignment)]
    patterns = _patterns(layout, pattern)
    done = Collected()
    chosen: dict[tuple[str, str], _Upload] = {}
    for name, data, when, problem in _entries(source, max_file, limits.bytes("archive_mb")):
        base = name.rsplit("/", 1)[-1]
        if name.startswith(f"{assignment}/"):
            name = name[len(assignment) + 1 :]
        if problem is not None:
            done.problems.append((name, problem))
            continue
        if base.startswith(".") or "__MACOSX" in name.split("/"):
            done.skipped.append((name, "a hidden or system file"))
            continue
        assert data is not None
        inside: list[tuple[str, bytes]] | str = [("", data)]
        if base.lower().endswith(".zip"):
            inside = _work_zip_notebooks(data, notebooks, max_file)
        elif not base.lower().endswith(".ipynb"):
            inside = "is not a notebook (.ipynb)"
        if isinstance(inside, str):
            done.problems.append((name, inside))
            continue
        groups = _match(name, patterns)
        if groups is None:
            done.problems.append((name, "its name does not say which student it belongs to"))
            continue
        student = groups["student"]
        if student_id_problem(student) is not None:
            done.problems.append((name, f"{student!r} cannot be used as a student id"))
            continue
        for member, content in inside:
            notebook, attempt = _notebook_for(member or groups["file"], notebooks)
            if notebook is None:
                expected = ", ".join(f"{n}.ipynb" for n in notebooks)
                problem = f"is not one of the assignment's notebooks ({expected})"
                done.problems.append((name, problem))
                continue
            label = f"{name}:{member}" if member else name
            upload = _Upload(label, content, _timestamp(groups.get("timestamp"), when), attempt)
            key = (student, notebook)
            previous = chosen.get(key)
            if previous is None:
                chosen[key] = upload
            elif (upload.when, upload.attempt) > (previous.when, previous.attempt):
                done.superseded.append((previous.name, label))
                chosen[key] = upload
            else:
                done.superseded.append((label, previous.name))
    latest: dict[str, datetime.datetime] = {}
    for (student, notebook), upload in sorted(chosen.items()):
        folder = layout.submitted_dir(student, assignment)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{notebook}.ipynb").write_bytes(upload.data)
        latest[student] = max(latest.get(student, upload.when), upload.when)
        done.placed.append((student, f"{notebook}.ipynb"))
    for student, when in latest.items():
        stamp = when.strftime("%Y-%m-%d %H:%M:%S UTC")
        (layout.submitted_dir(student, assignment) / "timestamp.txt").write_text(stamp)
    return done
