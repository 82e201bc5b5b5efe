"""One grading run per course at a time, and the second one told who holds it.

``grade`` and ``collect`` write the gradebook, ``autograded/`` and
``submitted/``: two at once would break each other's writes (nbgrader's
gradebook refuses a second insert of the same row, and the answer key could be
read half-written). :func:`course_lock` takes an exclusive ``flock`` on
``<course>/.autograder.lock`` and writes in it who holds it; the lock goes
with the process, so a run that was killed never leaves the course locked.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import getpass
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from autograder.errors import AutograderError

__all__ = ["LOCK_FILE", "course_lock"]

LOCK_FILE = ".autograder.lock"


def _holder(handle: int) -> str:
    try:
        data = json.loads(os.pread(handle, 4096, 0).decode("utf-8", errors="replace") or "{}")
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or not data:
        return "another run (it has not said who it is yet)"
    return (
        f"'{data.get('command', '?')}' (process {data.get('pid', '?')} of "
        f"{data.get('user', '?')} on {data.get('host', '?')}, since {data.get('since', '?')})"
    )


def _whoami() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


@contextlib.contextmanager
def course_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the course's lock while the block runs; AutograderError naming the holder
    when another run has it."""
    path = root / LOCK_FILE
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AutograderError(
                f"another run is working on this course: {_holder(handle)}. Wait for it to "
                f"finish, then run '{command}' again (the lock is {path})"
            ) from None
        since = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        me = {
            "command": command,
            "pid": os.getpid(),
            "user": _whoami(),
            "host": socket.gethostname(),
            "since": since,
        }
        os.ftruncate(handle, 0)
        os.pwrite(handle, json.dumps(me).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(handle, 0)
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
