"""Per-kernel control groups: memory (shared mappings and tmpfs included) and processes.

Where the machine lets the grader create control groups, every student kernel
runs in a group of its own, created before it starts: its memory limit counts
everything the kernel's processes use (anonymous and shared mappings,
``/dev/shm`` and ``/tmp`` pages), and its process limit counts threads and
forked children alike. After the run the group's counters say whether a limit
was hit, so the reason for review can name it.

Both kinds of control groups are handled behind one interface
(:class:`Hierarchy`): cgroup v2 (one unified tree: ``memory.max``,
``pids.max``, ``memory.events``) and cgroup v1 (a tree per controller:
``memory/memory.limit_in_bytes``, ``pids/pids.max``, ``memory.oom_control``).
A machine with both (v1 controllers and an empty v2 tree beside them) uses
v1, where the controllers are.

Where no group can be made (not root, a read-only ``/sys/fs/cgroup``), the
sandbox's resource limits still hold (:func:`autograder.engine.sandbox.boot_command`:
address space, processes inside the kernel's user namespace), and a cell
that runs out of memory is still named (:mod:`autograder.engine.student_run`).
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Hierarchy",
    "KernelCgroup",
    "detect",
    "hierarchy",
    "likely_available",
    "remove_run_groups",
]

ROOT = Path("/sys/fs/cgroup")
_PARENT = f"itil-grade-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Hierarchy:
    """Where groups are made and which files say what, for one cgroup version."""

    version: int
    bases: dict[str, Path]  # controller tree -> its root ("unified" on v2)
    memory_limit: tuple[str, str]  # (tree, file) taking the limit in bytes
    pids_limit: tuple[str, str]
    oom_events: tuple[str, str]  # (tree, file) holding "oom_kill N"
    pids_events: tuple[str, str]  # (tree, file) holding "max N"

    @classmethod
    def v1(cls, root: Path) -> Hierarchy:
        return cls(
            1,
            {"memory": root / "memory", "pids": root / "pids"},
            ("memory", "memory.limit_in_bytes"),
            ("pids", "pids.max"),
            ("memory", "memory.oom_control"),
            ("pids", "pids.events"),
        )

    @classmethod
    def v2(cls, root: Path) -> Hierarchy:
        return cls(
            2,
            {"unified": root},
            ("unified", "memory.max"),
            ("unified", "pids.max"),
            ("unified", "memory.events"),
            ("unified", "pids.events"),
        )

    def parent(self, tree: str) -> Path:
        return self.bases[tree] / _PARENT

    def prepare(self) -> None:
        """Make this run's parent group (v2: with the memory and pids controllers
        handed down to its children). OSError if the machine does not allow it."""
        for tree in self.bases:
            self.parent(tree).mkdir(exist_ok=True)
        if self.version == 2:
            base = self.bases["unified"]
            wanted = {"memory", "pids"}
            if not wanted <= set((base / "cgroup.controllers").read_text().split()):
                raise OSError("the memory and pids controllers are not available")
            for group in (base, self.parent("unified")):
                enabled = set((group / "cgroup.subtree_control").read_text().split())
                if not wanted <= enabled:
                    (group / "cgroup.subtree_control").write_text("+memory +pids")


def detect(root: Path = ROOT) -> Hierarchy | None:
    """The cgroup version mounted at ``root`` (None: no usable controllers there)."""
    if (root / "cgroup.controllers").is_file():
        return Hierarchy.v2(root)
    v1 = Hierarchy.v1(root)
    if all((base / "cgroup.procs").is_file() for base in v1.bases.values()):
        return v1
    return None


_checked: dict[Path, Hierarchy | None] = {}


def hierarchy(root: Path = ROOT) -> Hierarchy | None:
    """The hierarchy where this grading run can make groups (checked once, by trying)."""
    if root not in _checked:
        found = detect(root)
        if found is not None:
            try:
                found.prepare()
            except OSError:
                for tree in found.bases:
                    with contextlib.suppress(OSError):
                        found.parent(tree).rmdir()
                found = None
        _checked[root] = found
    return _checked[root]


def likely_available(root: Path = ROOT) -> bool:
    """Whether groups can probably be made here, without making any (the answer of
    :func:`hierarchy` once it has tried)."""
    if root in _checked:
        return _checked[root] is not None
    tree = detect(root)
    return tree is not None and all(os.access(p, os.W_OK) for p in tree.bases.values())


def _counter(text: str, key: str) -> int:
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key and parts[1].isdigit():
            return int(parts[1])
    return 0


@dataclass
class KernelCgroup:
    """One kernel's group (one per controller tree on v1)."""

    tree: Hierarchy
    paths: dict[str, Path]
    memory_mb: int
    processes: int

    @classmethod
    def create(
        cls, name: str, memory_mb: int, processes: int, root: Path = ROOT
    ) -> KernelCgroup | None:
        """The group, limits set; None where groups cannot be made."""
        tree = hierarchy(root)
        if tree is None:
            return None
        group = cls(tree, {t: tree.parent(t) / name for t in tree.bases}, memory_mb, processes)
        try:
            for path in group.paths.values():
                path.mkdir()
            group._write(tree.memory_limit, str(memory_mb << 20))
            group._write(tree.pids_limit, str(processes))
        except OSError:
            group.remove()
            return None
        return group

    def _write(self, where: tuple[str, str], text: str) -> None:
        (self.paths[where[0]] / where[1]).write_text(text)

    def _read(self, where: tuple[str, str]) -> str:
        with contextlib.suppress(OSError):
            return (self.paths[where[0]] / where[1]).read_text()
        return ""

    def procs_files(self) -> list[str]:
        """Files a process writes its pid to, to join the group (its children follow)."""
        return [str(p / "cgroup.procs") for p in self.paths.values()]

    def limits_hit(self) -> list[str]:
        """The limits the kernel ran into, as the end of a reason for review."""
        hit = []
        if _counter(self._read(self.tree.oom_events), "oom_kill"):
            hit.append(f"used more memory than its limit ({self.memory_mb} MB)")
        if _counter(self._read(self.tree.pids_events), "max"):
            hit.append(f"tried to run more than {self.processes} processes and threads")
        return hit

    def remove(self) -> None:
        """Remove the groups if their processes are gone (never waits: a group still
        busy is removed by :func:`remove_run_groups` at the end of the batch)."""
        for path in self.paths.values():
            with contextlib.suppress(OSError):
                path.rmdir()


def remove_run_groups(root: Path = ROOT) -> None:
    """Remove this grading run's groups, waiting briefly for the last processes."""
    tree = _checked.get(root)
    if tree is None:
        return
    for name in tree.bases:
        parent = tree.parent(name)
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
    _checked.pop(root, None)
