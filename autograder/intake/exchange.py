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
  keeping the student's claimed time only in the intake record.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

from nbgrader.exchange.default.collect import ExchangeCollect

__all__ = ["INTAKE_FILE", "SafeCollect", "read_intake", "unsafe_entries"]

INTAKE_FILE = ".autograder-intake.json"
_STAMP = "%Y-%m-%d %H:%M:%S.%f UTC"  # the form nbgrader's submit writes


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
        said = claimed.read_text(errors="replace").strip()[:100] if claimed.is_file() else None
        received = self._path_to_record(src)["timestamp"]
        claimed.write_text(received.strftime(_STAMP))  # nbgrader's time: naive UTC
        record = {"refused": refused, "student_timestamp": said, "received": str(received)}
        (target / INTAKE_FILE).write_text(json.dumps(record, indent=1), encoding="utf-8")
