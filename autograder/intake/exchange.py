"""``nbgrader collect`` that copies what a student submitted, never what it points to.

nbgrader's own collector copies the exchange's inbound folder with
``shutil.copytree``, which follows links: a submitted link to
``source/<assignment>/<notebook>.ipynb`` arrives as the answer key, one to
``gradebook.db`` as everyone's grades. It also takes the submission time from
``timestamp.txt``, a file the student wrote. :class:`SafeCollect` (set as
nbgrader's collector by :mod:`autograder.nbgrader_config`) instead:

- copies only regular files with a single link and folders; a symbolic link,
  a hard link or a special file (FIFO, socket, device) is not copied and is
  listed, with why, in ``.autograder-intake.json`` beside the submission,
  from where ``grade`` reports it as a reason for review;
- writes ``timestamp.txt`` from the exchange's own record (the inbound
  folder's name, which ``nbgrader submit`` sets and the collector sorts by),
  keeping the student's claimed time only in the intake record;
- cross-checks that record with the files: a file changed more than
  :data:`TOLERANCE` after it, or a ``timestamp.txt`` that says another time,
  is said (in nbgrader's log and as a note of the grade) and the exchange's
  record is kept. ``timestamp.txt`` is never trusted.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import parse_utc

from autograder.intake.times import write_timestamp

__all__ = ["INTAKE_FILE", "TOLERANCE", "SafeCollect", "read_intake", "time_notes", "unsafe_entries"]

INTAKE_FILE = ".autograder-intake.json"
#: How far a submitted file's time or the student's timestamp.txt may be from the
#: exchange's record before it is said.
TOLERANCE = datetime.timedelta(minutes=2)


def unsafe_entries(folder: Path) -> dict[str, str]:
    """Relative path -> why, for every link, hard link or special file under ``folder``
    (links are never followed)."""
    found: dict[str, str] = {}
    for parent, dirs, names in os.walk(folder, followlinks=False):
        for name in [*dirs, *names]:
            path = Path(parent) / name
            rel = path.relative_to(folder).as_posix()
            try:
                info = path.lstat()
            except OSError as exc:
                found[rel] = f"cannot be read ({exc.strerror or exc})"
                continue
            if stat.S_ISLNK(info.st_mode):
                found[rel] = "is a link"
            elif stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
                found[rel] = "is a hard link"
            elif not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
                found[rel] = "is a special file"
        dirs[:] = [d for d in dirs if not (Path(parent) / d).is_symlink()]
    return found


def read_intake(folder: Path) -> dict[str, Any]:
    """The intake record SafeCollect left beside a submission ({} if none)."""
    path = folder / INTAKE_FILE
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def time_notes(
    folder: Path, received: datetime.datetime, said: str | None, refused: dict[str, str]
) -> list[str]:
    """What in a submission disagrees with the exchange's time ``received`` (naive UTC):
    files changed after it, a ``timestamp.txt`` that says another time."""
    notes = []
    record = received.strftime("%Y-%m-%d %H:%M:%S UTC")
    later: list[str] = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        for name in sorted(names):
            rel = (Path(parent) / name).relative_to(folder).as_posix()
            if rel in refused or rel == "timestamp.txt":
                continue
            mtime = (Path(parent) / name).lstat().st_mtime
            changed = datetime.datetime.fromtimestamp(mtime, datetime.timezone.utc)
            if changed.replace(tzinfo=None) - received > TOLERANCE:
                later.append(f"{rel} ({changed.strftime('%Y-%m-%d %H:%M:%S UTC')})")
        dirs[:] = [d for d in dirs if not (Path(parent) / d).is_symlink()]
    if later:
        notes.append(
            f"changed after the exchange received the submission at {record}: "
            + ", ".join(sorted(later))
            + "; the exchange's time counts"
        )
    if said is not None:
        try:
            claimed = parse_utc(said)
        except (ValueError, OverflowError):
            claimed = None
        if claimed is None or abs(claimed - received) > TOLERANCE:
            notes.append(
                f"the student's timestamp.txt says {said[:40]!r}, the exchange received the "
                f"submission at {record}; the exchange's time counts"
            )
    return notes


class SafeCollect(ExchangeCollect):
    """nbgrader's exchange collector, copying no link and trusting no student timestamp."""

    def do_copy(self, src: str, dest: str, log: Any = None) -> None:
        source = Path(src)
        refused = unsafe_entries(source)

        def skip(folder: str, names: list[str]) -> set[str]:
            here = Path(folder)
            return {n for n in names if (here / n).relative_to(source).as_posix() in refused}

        shutil.copytree(source, dest, symlinks=True, ignore=skip)
        target = Path(dest)
        claimed = target / "timestamp.txt"
        said = None
        if claimed.is_file() and not claimed.is_symlink():
            said = claimed.read_text(errors="replace").strip()[:100]
        received = self._path_to_record(src)["timestamp"]
        notes = time_notes(source, received, said, refused)
        for note in notes:
            self.log.warning("%s: %s", Path(src).name, note)
        write_timestamp(target, received)
        record = {
            "route": "exchange",
            "refused": refused,
            "student_timestamp": said,
            "received": str(received),
            "notes": notes,
        }
        (target / INTAKE_FILE).write_text(json.dumps(record, indent=1), encoding="utf-8")
