"""Real local accounts for the hub test: created with ``useradd``, removed with ``userdel``.

Every account carries a marker in its comment field (GECOS), so a run that was killed
half-way leaves nothing the next run cannot recognise and remove; a user or group of the
same name that does not carry the marker is someone else's, and the test stops instead of
touching it. Passwords are random per run and set with ``chpasswd``; homes are private
(``HOME_MODE=0700``), as they should be on a shared hub.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MARKER", "Account", "local_accounts", "run_as"]

MARKER = "itil-svc hub test account"


@dataclass(frozen=True)
class Account:
    """One local user: name, password, ids and home folder."""

    name: str
    password: str
    uid: int
    gid: int
    home: Path


def _run(argv: Sequence[str], stdin: str | None = None) -> None:
    done = subprocess.run(list(argv), input=stdin, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")


def _processes_of(uids: set[int]) -> list[int]:
    """Process ids owned by ``uids`` (the test's own users: servers, kernels it spawned)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid in uids:
                    found.append(int(entry.name))
    return found


def _stop_processes(uids: set[int]) -> None:
    """Stop what the test's users still run (by process id), so that userdel can work."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _processes_of(uids)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + 5
        while pids and _processes_of(uids) and time.monotonic() < deadline:
            time.sleep(0.1)


def _remove_user(name: str) -> None:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return
    if MARKER not in entry.pw_gecos:
        raise RuntimeError(
            f"a user named {name!r} exists and is not one of this test's accounts "
            f"(its comment is {entry.pw_gecos!r}): remove it or run the test elsewhere"
        )
    _stop_processes({entry.pw_uid})
    _run(["userdel", "--remove", name])


def _remove_group(name: str, created: bool) -> None:
    with contextlib.suppress(KeyError):
        grp.getgrnam(name)
        if created:
            _run(["groupdel", name])


def _ensure_group(name: str) -> bool:
    """Create group ``name`` unless it exists; whether this run created it."""
    try:
        grp.getgrnam(name)
    except KeyError:
        _run(["groupadd", name])
        return True
    return False


@contextlib.contextmanager
def local_accounts(names: Sequence[str], group: str) -> Iterator[dict[str, Account]]:
    """Create ``names`` as members of ``group`` (created if missing); remove all afterwards."""
    for name in names:
        _remove_user(name)  # what a killed run left behind
    created_group = _ensure_group(group)
    accounts: dict[str, Account] = {}
    try:
        for name in names:
            _run(["useradd", "--create-home", "--key", "HOME_MODE=0700", "--shell", "/bin/bash",
                  "--comment", MARKER, "--groups", group, name])  # fmt: skip
            entry = pwd.getpwnam(name)
            accounts[name] = Account(
                name, secrets.token_urlsafe(12), entry.pw_uid, entry.pw_gid, Path(entry.pw_dir)
            )
        _run(["chpasswd"], stdin="".join(f"{a.name}:{a.password}\n" for a in accounts.values()))
        yield accounts
    finally:
        _stop_processes({a.uid for a in accounts.values()})
        for name in names:
            _remove_user(name)
        _remove_group(group, created_group)


def run_as(
    account: Account,
    argv: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` as ``account`` (its uid, gid and groups) in ``cwd``; fails with its output."""
    done = subprocess.run(
        list(argv),
        cwd=cwd,
        env={**env, "HOME": str(account.home), "USER": account.name, "LOGNAME": account.name},
        user=account.uid,
        group=account.gid,
        extra_groups=os.getgrouplist(account.name, account.gid),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AssertionError(
            f"{' '.join(argv)} (as {account.name}, in {cwd}) exited with {done.returncode}\n"
            f"--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-4000:]}"
        )
    return done
