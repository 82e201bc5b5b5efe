"""Who may write what when several runs share a course, and the one refused told who holds it.

Three kinds of lock, kept where the course's gradebook is (``c.CourseDirectory.db_url``):

- **the course lock**: ``collect`` (which rewrites ``submitted/``) takes it alone,
  every ``grade`` run takes it shared, so grading runs exclude a collect, not each
  other;
- **a student lock** per (course, assignment, student): a ``grade`` run holds the
  students it grades for the whole run. Two runs on different students proceed at
  once; a run asked for a student another run holds is refused that student and told
  who holds it (host, process, user, since when);
- **the gradebook set-up lock**: short and waited for. Creating the gradebook's tables
  and course row and bringing an assignment into it (nbgrader's ``SaveCells``) insert
  rows that two runs would both insert ("UNIQUE constraint failed"); one run does it
  while the other waits.

On PostgreSQL the locks are advisory locks (:mod:`autograder.engine.lock_postgres`),
held on a database connection of their own for the run: teaching assistants on
different machines sharing one PostgreSQL exclude each other. On SQLite (and any other
database) they are ``flock`` locks on files under the course (``.autograder.lock``,
``.autograder-locks/<assignment>/<student>.lock``): every run must see the same course
folder, and the short gradebook writes of two runs wait for each other through
SQLite's busy timeout (:func:`sqlite_waits_for_writers`). Either way a lock goes with
its process (or its database session): a run that was killed never leaves one behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import fcntl
import getpass
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from autograder.course_layout import CourseLayout
from autograder.errors import AutograderError

__all__ = [
    "COURSE",
    "LOCKS_DIR",
    "LOCK_FILE",
    "SETUP",
    "GradingLocks",
    "LockBackend",
    "Owner",
    "busy_message",
    "course_lock",
    "open_locks",
    "sqlite_waits_for_writers",
    "student_scope",
]

LOCK_FILE = ".autograder.lock"
LOCKS_DIR = ".autograder-locks"
#: How long a run waits for another run's gradebook set-up, and SQLite for a writer.
SETUP_WAIT_SECONDS = 300.0
SQLITE_BUSY_MS = 60_000

Scope = tuple[str, ...]
COURSE: Scope = ("course",)
SETUP: Scope = ("gradebook-setup",)


def student_scope(assignment: str, student: str) -> Scope:
    return ("student", assignment, student)


def _whoami() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


@dataclasses.dataclass(frozen=True)
class Owner:
    """Who holds a lock: what they run, where, and since when."""

    command: str
    pid: int
    user: str
    host: str
    since: str

    @classmethod
    def me(cls, command: str) -> Owner:
        since = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        return cls(command, os.getpid(), _whoami(), socket.gethostname(), since)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Owner | None:
        try:
            data = json.loads(text)
            return cls(
                str(data["command"]),
                int(data["pid"]),
                str(data["user"]),
                str(data["host"]),
                str(data["since"]),
            )
        except (ValueError, TypeError, KeyError):
            return None

    def describe(self) -> str:
        return (
            f"'{self.command}' (process {self.pid} of {self.user} on {self.host}, "
            f"since {self.since})"
        )


def describe(holders: list[Owner]) -> str:
    if not holders:
        return "another run (it has not said who it is yet)"
    return ", ".join(dict.fromkeys(h.describe() for h in holders))


class LockBackend(Protocol):
    """Where the locks live: files under the course, or the gradebook's PostgreSQL."""

    where: str

    def acquire(self, scope: Scope, owner: Owner, shared: bool = False) -> bool: ...

    def release(self, scope: Scope) -> None: ...

    def holders(self, scope: Scope) -> list[Owner]: ...

    def close(self) -> None: ...


class FileLocks:
    """``flock`` locks on files under the course root, each holding its owner's record."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.where = str(root / LOCK_FILE)
        self._held: dict[Scope, tuple[int, bool]] = {}

    def path(self, scope: Scope) -> Path:
        if scope == COURSE:
            return self.root / LOCK_FILE
        if scope == SETUP:
            return self.root / LOCKS_DIR / "gradebook.lock"
        _, assignment, student = scope
        return self.root / LOCKS_DIR / assignment / f"{student}.lock"

    def acquire(self, scope: Scope, owner: Owner, shared: bool = False) -> bool:
        path = self.path(scope)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            return False
        os.ftruncate(handle, 0)  # (held shared, no one holds it alone: a record is stale)
        if not shared:  # shared holders cannot share one record: they are found by scan
            os.pwrite(handle, owner.to_json().encode(), 0)
        self._held[scope] = (handle, shared)
        return True

    def release(self, scope: Scope) -> None:
        handle, shared = self._held.pop(scope)
        try:
            if not shared:
                os.ftruncate(handle, 0)
            fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            os.close(handle)

    def _record(self, path: Path) -> Owner | None:
        try:
            return Owner.from_json(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None

    def _held_elsewhere(self, path: Path) -> bool:
        try:
            handle = os.open(path, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(handle)  # (closing drops a shared lock just taken)
        return False

    def holders(self, scope: Scope) -> list[Owner]:
        own = self._record(self.path(scope))
        if own is not None or scope != COURSE:
            return [own] if own is not None else []
        # the course is held shared by grading runs: they hold their students' locks
        found = []
        for path in sorted((self.root / LOCKS_DIR).glob("*/*.lock")):
            record = self._record(path)
            if record is not None and self._held_elsewhere(path):
                found.append(record)
        return found

    def close(self) -> None:
        for scope in list(self._held):
            self.release(scope)


def _on_sqlite_connect(dbapi_connection: object, _record: object) -> None:
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")


def sqlite_waits_for_writers() -> None:
    """Every SQLite gradebook this process opens (nbgrader's own too) waits up to
    ``SQLITE_BUSY_MS`` for another run's write instead of failing "database is locked"."""
    if not event.contains(Engine, "connect", _on_sqlite_connect):
        event.listen(Engine, "connect", _on_sqlite_connect)


def open_locks(layout: CourseLayout, command: str) -> LockBackend:
    """The locks of the course: advisory locks in its PostgreSQL gradebook, else files."""
    url = make_url(layout.db_url)
    if url.get_backend_name() == "postgresql":
        from autograder.engine.lock_postgres import AdvisoryLocks

        return AdvisoryLocks(layout.db_url, layout.coursedir().course_id, command)
    sqlite_waits_for_writers()
    return FileLocks(layout.root)


def _busy_course(backend: LockBackend, command: str) -> AutograderError:
    return AutograderError(
        f"another run is working on this course: {describe(backend.holders(COURSE))}. Wait "
        f"for it to finish, then run '{command}' again (the lock is {backend.where})"
    )


@contextlib.contextmanager
def course_lock(layout: CourseLayout, command: str) -> Iterator[None]:
    """Hold the course alone while the block runs (``collect``); AutograderError naming
    the holders when any run (a ``grade`` included) has it."""
    backend = open_locks(layout, command)
    try:
        if not backend.acquire(COURSE, Owner.me(command)):
            raise _busy_course(backend, command)
        yield
    finally:
        backend.close()


def busy_message(assignment: str, busy: dict[str, str]) -> str:
    """Why a run grades none of the students it was asked for: others hold them all."""
    held = "; ".join(f"{student} by {holder}" for student, holder in sorted(busy.items()))
    return (
        f"another run is grading {'this student' if len(busy) == 1 else 'these students'} "
        f"of {assignment}: {held}. Wait for it to finish, then run 'grade {assignment}' "
        "again (two runs grade different students at once: name others with --student)"
    )


class GradingLocks:
    """The locks of one ``grade`` run: the course shared, its students alone for the
    whole run (:meth:`claim`), the gradebook set-up for a moment (:meth:`setup`)."""

    def __init__(self, layout: CourseLayout, command: str) -> None:
        self.command = command
        self.owner = Owner.me(command)
        self.backend = open_locks(layout, command)
        try:
            if not self.backend.acquire(COURSE, self.owner, shared=True):
                raise _busy_course(self.backend, command)
        except BaseException:
            self.backend.close()
            raise

    def claim(self, assignment: str, students: list[str]) -> dict[str, str]:
        """Lock each student of ``students`` for this run; the ones another run holds,
        with who holds them (they are not graded by this run)."""
        busy: dict[str, str] = {}
        for student in sorted(set(students)):
            scope = student_scope(assignment, student)
            if not self.backend.acquire(scope, self.owner):
                busy[student] = describe(self.backend.holders(scope))
        return busy

    @contextlib.contextmanager
    def setup(self, wait: float = SETUP_WAIT_SECONDS) -> Iterator[None]:
        """Hold the gradebook set-up lock, waiting up to ``wait`` seconds for it."""
        deadline = time.monotonic() + wait
        pause = 0.05
        while not self.backend.acquire(SETUP, self.owner):
            if time.monotonic() > deadline:
                raise AutograderError(
                    f"the gradebook is being set up by {describe(self.backend.holders(SETUP))} "
                    f"for more than {wait:.0f} s. If that run is stuck, stop it, then run "
                    f"'{self.command}' again (the lock is {self.backend.where})"
                )
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
        try:
            yield
        finally:
            self.backend.release(SETUP)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> GradingLocks:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
