"""The course's locks as PostgreSQL advisory locks (see :mod:`autograder.engine.lock`).

Each lock is ``pg_try_advisory_lock`` (or ``_shared``) on a stable 64-bit key: the
first 8 bytes of the SHA-256 of the course id and the lock's scope (the set-up lock
is one per database: it guards the tables). They are session locks, held on a
connection of this run's own, so they hold across machines and vanish with the
session if the run dies. Who holds a key is written beside it in
``autograder.run_locks`` (a schema of its own, so nbgrader's tables and its check
for a fresh database never see it); a row counts only while its session still holds
the key, so a row left by a killed run is never reported.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from autograder.engine.lock import SETUP, Owner, Scope
from autograder.errors import AutograderError

__all__ = ["AdvisoryLocks", "advisory_key"]

_TABLE = "autograder.run_locks"
_HOLDERS = text(
    f"""
    SELECT h.holder, a.usename, a.client_addr, a.backend_start, l.pid
    FROM pg_locks l
    LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    LEFT JOIN {_TABLE} h ON h.lock_key = :key AND h.backend_pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.classid::bigint = :high AND l.objid::bigint = :low
    ORDER BY l.pid
    """
)
_HOLDERS_NO_TABLE = text(
    """
    SELECT NULL, a.usename, a.client_addr, a.backend_start, l.pid
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.classid::bigint = :high AND l.objid::bigint = :low
    ORDER BY l.pid
    """
)


def advisory_key(course_id: str, scope: Scope) -> int:
    """The signed 64-bit advisory-lock key of ``scope`` in course ``course_id``."""
    parts = (
        ["itil-autograder", *scope] if scope == SETUP else ["itil-autograder", course_id, *scope]
    )
    digest = hashlib.sha256(json.dumps(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class AdvisoryLocks:
    """Advisory locks on a connection held for the run, with their owners' records."""

    def __init__(self, db_url: str, course_id: str, command: str) -> None:
        url = make_url(db_url)
        self.where = f"an advisory lock in {url.render_as_string(hide_password=True)}"
        self.course_id = course_id
        self._held: dict[Scope, bool] = {}
        self._engine = create_engine(
            url, poolclass=NullPool, connect_args={"application_name": f"autograder {command}"[:63]}
        )
        try:
            self._conn = self._engine.connect()
        except SQLAlchemyError as exc:
            self._engine.dispose()
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise AutograderError(
                f"cannot reach the gradebook's database {url.render_as_string(hide_password=True)}"
                f" ({detail}). Check c.CourseDirectory.db_url in nbgrader_config.py and that "
                "the PostgreSQL server is running"
            ) from None
        self._table = self._make_table()

    def _make_table(self) -> bool:
        """Create the owners' table once (two runs at once: one waits); False when this
        database user may not, and owners are then named from pg_stat_activity."""
        try:
            self._conn.execute(
                text("SELECT pg_advisory_xact_lock(:key)"),
                {"key": advisory_key("", ("owners-table",))},
            )
            self._conn.execute(text("CREATE SCHEMA IF NOT EXISTS autograder"))
            self._conn.execute(
                text(
                    f"CREATE TABLE IF NOT EXISTS {_TABLE} (lock_key BIGINT NOT NULL, "
                    "backend_pid INTEGER NOT NULL, holder TEXT NOT NULL, "
                    "PRIMARY KEY (lock_key, backend_pid))"
                )
            )
            self._conn.commit()
            return True
        except SQLAlchemyError:
            self._conn.rollback()
            return False

    def _key(self, scope: Scope) -> int:
        return advisory_key(self.course_id, scope)

    def acquire(self, scope: Scope, owner: Owner, shared: bool = False) -> bool:
        key = self._key(scope)
        function = "pg_try_advisory_lock_shared" if shared else "pg_try_advisory_lock"
        got = bool(self._conn.execute(text(f"SELECT {function}(:key)"), {"key": key}).scalar())
        if got and self._table:
            self._conn.execute(
                text(
                    f"INSERT INTO {_TABLE} VALUES (:key, pg_backend_pid(), :holder) "
                    "ON CONFLICT (lock_key, backend_pid) DO UPDATE SET holder = EXCLUDED.holder"
                ),
                {"key": key, "holder": owner.to_json()},
            )
        self._conn.commit()
        if got:
            self._held[scope] = shared
        return got

    def release(self, scope: Scope) -> None:
        shared = self._held.pop(scope)
        key = self._key(scope)
        if self._table:
            self._conn.execute(
                text(
                    f"DELETE FROM {_TABLE} WHERE lock_key = :key AND backend_pid = pg_backend_pid()"
                ),
                {"key": key},
            )
        function = "pg_advisory_unlock_shared" if shared else "pg_advisory_unlock"
        self._conn.execute(text(f"SELECT {function}(:key)"), {"key": key})
        self._conn.commit()

    def holders(self, scope: Scope) -> list[Owner]:
        key = self._key(scope)
        query = _HOLDERS if self._table else _HOLDERS_NO_TABLE
        params = {"key": key, "high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF}
        rows = self._conn.execute(query, params).all()
        self._conn.commit()
        owners = []
        for holder, user, address, started, pid in rows:
            owner = Owner.from_json(holder) if holder else None
            if owner is None:  # a session that has not said who it is (or may not)
                since = started.isoformat(timespec="seconds") if started is not None else "?"
                where = f"{address} (database session {pid})" if address else f"session {pid}"
                owner = Owner("a database session", pid, str(user or "?"), where, since)
            owners.append(owner)
        return owners

    def close(self) -> None:
        try:
            for scope in list(self._held):
                self.release(scope)
        finally:
            self._conn.close()
            self._engine.dispose()
