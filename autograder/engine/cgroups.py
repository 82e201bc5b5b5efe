"""Per-kernel control groups: memory (shared mappings and tmpfs included) and processes.

Where the machine lets the grader create control groups (cgroup v1 ``memory``
and ``pids`` hierarchies writable, as for root on most servers), every
student kernel runs in a group of its own, created before it starts: its
memory limit counts everything the kernel's processes use (anonymous and
shared mappings, ``/dev/shm`` and ``/tmp`` pages), and its process limit
counts threads and forked children alike. After the run the group's
counters say whether a limit was hit, so the reason for review can name it.

Where it cannot, :mod:`autograder.engine.sandbox` falls back to resource limits
(address space, and processes inside the kernel's user namespace).
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KernelCgroup", "cgroups_available", "remove_run_groups"]

_ROOT = Path("/sys/fs/cgroup")
_PARENT = f"itil-grade-{os.getpid()}-{uuid.uuid4().hex[:8]}"
_checked: bool | None = None


def _hierarchies() -> dict[str, Path]:
    return {"memory": _ROOT / "memory", "pids": _ROOT / "pids"}


def cgroups_available() -> bool:
    """Whether per-kernel groups can be made here (checked once, by trying)."""
    global _checked
    if _checked is None:
        _checked = False
        probe = f"{_PARENT}-probe"
        try:
            for path in _hierarchies().values():
                (path / probe).mkdir()
                (path / probe).rmdir()
            _checked = (
                all((p / "cgroup.procs").exists() for p in _hierarchies().values())
                and (_ROOT / "memory" / "memory.limit_in_bytes").exists()
            )
        except OSError:
            _checked = False
    return _checked


@dataclass
class KernelCgroup:
    """One kernel's group in each hierarchy."""

    paths: dict[str, Path]
    memory_mb: int
    processes: int

    @classmethod
    def create(cls, name: str, memory_mb: int, processes: int) -> KernelCgroup | None:
        if not cgroups_available():
            return None
        paths = {kind: base / _PARENT / name for kind, base in _hierarchies().items()}
        try:
            for path in paths.values():
                path.mkdir(parents=True)
            (paths["memory"] / "memory.limit_in_bytes").write_text(str(memory_mb << 20))
            (paths["pids"] / "pids.max").write_text(str(processes))
        except OSError:
            cls(paths, memory_mb, processes).remove()
            return None
        return cls(paths, memory_mb, processes)

    def procs_files(self) -> list[str]:
        """Files a process writes its pid to, to join the group (its children follow)."""
        return [str(p / "cgroup.procs") for p in self.paths.values()]

    def _read(self, kind: str, name: str) -> str:
        with contextlib.suppress(OSError):
            return (self.paths[kind] / name).read_text()
        return ""

    def limits_hit(self) -> list[str]:
        """The limits the kernel ran into, as the end of a reason for review."""
        hit = []
        oom = self._read("memory", "memory.oom_control")
        killed = next(
            (int(line.split()[1]) for line in oom.splitlines() if line.startswith("oom_kill ")), 0
        )
        if killed:
            hit.append(f"used more memory than its limit ({self.memory_mb} MB)")
        events = self._read("pids", "pids.events").split()
        if len(events) == 2 and events[1] != "0":
            hit.append(f"tried to run more than {self.processes} processes and threads")
        return hit

    def remove(self) -> None:
        """Remove the groups if their processes are gone (never waits: a group still
        busy is removed by :func:`remove_run_groups` at the end of the batch)."""
        for path in self.paths.values():
            with contextlib.suppress(OSError):
                path.rmdir()


def remove_run_groups() -> None:
    """Remove this grading process's groups, waiting briefly for the last processes."""
    for base in _hierarchies().values():
        parent = base / _PARENT
        for _ in range(100):
            children = [p for p in parent.iterdir() if p.is_dir()] if parent.is_dir() else []
            for child in children:
                with contextlib.suppress(OSError):
                    child.rmdir()
            with contextlib.suppress(OSError):
                parent.rmdir()
            if not parent.exists():
                break
            time.sleep(0.05)
