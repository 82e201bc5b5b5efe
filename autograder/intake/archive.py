"""An LMS download (a .zip or a folder) read member by member, never held in memory.

:class:`Download` lists the files of a download from the zip's directory (or
the folder's entries) without reading them, and copies one member at a time
into a file through a small buffer. Every read is bounded by the limits of
:class:`autograder.config.GradingLimits`: the number of files in the download
(``archive_members``), the size of one file (``upload_file_mb``, checked on
the bytes actually read, since a zip's stated size may lie) and the unpacked
size of everything taken (``archive_mb``). A member that is a link, encrypted,
compressed in an unsupported way, damaged or too large is refused with the
reason; the rest of the download is still read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from autograder.config import GradingLimits
from autograder.errors import AutograderError

__all__ = ["BUFFER", "Download", "Member", "copy_bounded", "open_download"]

#: Bytes copied at a time.
BUFFER = 64 * 1024
_MB = 1024 * 1024
_UNSAFE = ("has an unsafe path", "is a link", "is a special file", "is a hard link")


@dataclass
class Member:
    """One file of a download: its path inside it, its stated size, and why it cannot
    be read at all (``None``: it may be)."""

    name: str
    size: int
    problem: str | None = None
    info: zipfile.ZipInfo | None = None
    path: Path | None = None

    @property
    def unsafe(self) -> bool:
        """A link, special file or path out of the download: refused whatever its name."""
        return self.problem is not None and self.problem.startswith(_UNSAFE)


def _mb(size: int) -> str:
    return f"{size / _MB:.1f} MB"


def _utf8_name(info: zipfile.ZipInfo) -> str:
    """A member's name: a zip writer that wrote UTF-8 without saying so (the zip's
    default, as some LMS zip libraries do) is read as UTF-8, not as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


def copy_bounded(source: IO[bytes], target: IO[bytes], max_bytes: int) -> int | None:
    """Copy ``source`` to ``target`` through a ``BUFFER``-sized buffer; the bytes copied,
    or None once more than ``max_bytes`` came (the copy is then incomplete)."""
    copied = 0
    while chunk := source.read(BUFFER):
        copied += len(chunk)
        if copied > max_bytes:
            return None
        target.write(chunk)
    return copied


class Download:
    """A zip or folder of submissions, read within ``limits``."""

    def __init__(self, source: Path, limits: GradingLimits) -> None:
        self.source = source
        self.max_file = limits.bytes("upload_file_mb")
        self.max_total = limits.bytes("archive_mb")
        self.max_members = int(limits.archive_members)
        self.taken = 0  # unpacked bytes copied so far
        self._zip: zipfile.ZipFile | None = None

    # -- listing --------------------------------------------------------------------
    def members(self) -> list[Member]:
        if self.source.is_dir():
            return self._folder_members()
        return self._zip_members()

    def _too_many(self, count: int) -> AutograderError:
        return AutograderError(
            f"{self.source} holds {count} files, more than the {self.max_members} that collect "
            "reads (c.GradingLimits.archive_members in nbgrader_config.py; raise it if the "
            "download is genuine)"
        )

    def _folder_members(self) -> list[Member]:
        found: list[Member] = []
        for folder, dirs, names in os.walk(self.source, followlinks=False):
            dirs.sort()
            for name in sorted(names) + [d for d in dirs if (Path(folder) / d).is_symlink()]:
                path = Path(folder) / name
                rel = path.relative_to(self.source).as_posix()
                info = path.lstat()
                problem = None
                if stat.S_ISLNK(info.st_mode):
                    problem = "is a link, not a file"
                elif not stat.S_ISREG(info.st_mode):
                    problem = "is a special file, not a regular one"
                elif info.st_nlink > 1:
                    problem = "is a hard link, not a file of its own"
                found.append(Member(rel, info.st_size, problem, path=path))
                if len(found) > self.max_members:
                    raise self._too_many(len(found))
        return [self._size_problem(m) for m in found]

    def _zip_members(self) -> list[Member]:
        try:
            with open(self.source, "rb") as handle:
                end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]  # no listing read yet
        except OSError as exc:
            raise AutograderError(f"{self.source} cannot be read ({exc.strerror or exc})") from exc
        if end and end[zipfile._ECD_ENTRIES_TOTAL] > self.max_members:  # type: ignore[attr-defined]
            raise self._too_many(end[zipfile._ECD_ENTRIES_TOTAL])  # type: ignore[attr-defined]
        try:
            self._zip = zipfile.ZipFile(self.source)
        except (OSError, zipfile.BadZipFile, ValueError) as exc:
            raise AutograderError(
                f"{self.source} is neither a folder nor a readable .zip ({exc}); give the zip "
                "the LMS made, or the folder it unpacks to"
            ) from exc
        found: list[Member] = []
        for info in self._zip.infolist():
            if info.is_dir():
                continue
            name = _utf8_name(info).replace("\\", "/")
            problem = None
            if name.startswith("/") or ".." in name.split("/") or ":" in name.split("/")[0]:
                problem = "has an unsafe path"
            elif (info.external_attr >> 16) & 0o170000 == 0o120000:
                problem = "is a link, not a file"
            elif info.flag_bits & 0x1:
                problem = "is encrypted"
            found.append(self._size_problem(Member(name, info.file_size, problem, info=info)))
        if len(found) > self.max_members:
            raise self._too_many(len(found))
        return found

    def _size_problem(self, member: Member) -> Member:
        if member.problem is None and member.size > self.max_file:
            member.problem = (
                f"is too large ({_mb(member.size)}; collect takes files up to "
                f"{_mb(self.max_file)}, c.GradingLimits.upload_file_mb)"
            )
        return member

    # -- reading --------------------------------------------------------------------
    @contextlib.contextmanager
    def _open(self, member: Member) -> Iterator[IO[bytes]]:
        if member.path is not None:
            fd = os.open(member.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                yield handle
            return
        assert self._zip is not None
        assert member.info is not None
        with self._zip.open(member.info) as handle:
            yield handle

    def copy(self, member: Member, target: Path) -> str | None:
        """Copy ``member`` into the new file ``target``; None, or why it could not be
        (``target`` is then removed)."""
        if member.problem is not None:
            return member.problem
        room = self.max_total - self.taken
        if room <= 0:
            return self._past_total()
        problem = None
        limit = min(self.max_file, room)
        try:
            with self._open(member) as source, open(target, "wb") as out:
                copied = copy_bounded(source, out, limit)
            if copied is not None:
                self.taken += copied
            elif limit < self.max_file:
                self.taken = self.max_total  # the download's room is used up
                problem = self._past_total()
            else:
                problem = (
                    f"is too large (more than {_mb(limit)} unpacked, whatever the zip "
                    "states; c.GradingLimits.upload_file_mb)"
                )
        except NotImplementedError as exc:
            problem = f"is compressed in a way that is not supported ({exc})"
        except RuntimeError as exc:  # zipfile: a password is required
            problem = f"is encrypted ({exc})"
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            problem = f"is damaged ({exc})"
        except OSError as exc:
            problem = f"cannot be read ({exc.strerror or exc})"
        if problem is not None:
            target.unlink(missing_ok=True)
        return problem

    def _past_total(self) -> str:
        return (
            f"is past the {_mb(self.max_total)} that collect unpacks from one download "
            "(c.GradingLimits.archive_mb)"
        )

    def read_text(self, member: Member, max_bytes: int = 64 * 1024) -> str | None:
        """A small member's text (a receipt), or None if it cannot be read within
        ``max_bytes``."""
        if member.problem is not None or member.size > max_bytes:
            return None
        try:
            with self._open(member) as source:
                data = source.read(max_bytes + 1)
        except (NotImplementedError, RuntimeError, zipfile.BadZipFile, zlib.error, OSError):
            return None
        except (EOFError, ValueError):
            return None
        return None if len(data) > max_bytes else data.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None


@contextlib.contextmanager
def open_download(source: Path, limits: GradingLimits) -> Iterator[Download]:
    download = Download(source, limits)
    try:
        yield download
    finally:
        download.close()


def work_zip_notebooks(
    path: Path, notebooks: list[str], outer: Download, staging: Path
) -> list[tuple[str, Path]] | str:
    """The assignment's notebooks inside a student's "Download my work" zip at ``path``,
    each copied (bounded) into ``staging``, or the reason there are none.

    The zip holds ``<assignment>/<notebook>.ipynb`` and whatever else was in the
    folder; only the assignment's own notebooks are taken, by name, once each.
    """
    wanted = {f"{nb.casefold()}.ipynb": nb for nb in notebooks}
    inner = Download(path, GradingLimits())
    inner.max_file, inner.max_members = outer.max_file, outer.max_members
    inner.max_total = outer.max_total - outer.taken
    try:
        members = inner.members()
    except AutograderError:
        inner.close()
        if path.stat().st_size and zipfile.is_zipfile(path):
            return f"is a .zip of more than {outer.max_members} files"
        return "is a .zip that cannot be read (not a zip archive)"
    try:
        chosen: dict[str, Member] = {}
        for member in members:
            base = member.name.rsplit("/", 1)[-1]
            notebook = wanted.get(base.casefold())
            if notebook is None:
                continue
            if notebook in chosen:
                return f"holds {notebook}.ipynb more than once"
            chosen[notebook] = member
        if not chosen:
            expected = ", ".join(f"{n}.ipynb" for n in notebooks)
            return f"is a .zip without the assignment's notebook ({expected})"
        found = []
        for notebook, member in chosen.items():
            fd, name = tempfile.mkstemp(suffix=".ipynb", dir=staging)
            os.close(fd)
            target = Path(name)
            problem = inner.copy(member, target)
            if problem is not None:
                return f"holds {member.name.rsplit('/', 1)[-1]}, but it {problem}"
            found.append((notebook, target))
        return found
    finally:
        outer.taken += inner.taken
        inner.close()
