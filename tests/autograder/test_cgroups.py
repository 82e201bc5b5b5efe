"""Per-kernel control groups: v2 against a fake cgroup folder, v1 for real where writable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autograder.engine import cgroups
from autograder.engine.cgroups import KernelCgroup, detect, hierarchy, remove_run_groups


def _fake_v2(root: Path) -> Path:
    root.mkdir()
    (root / "cgroup.controllers").write_text("cpuset cpu io memory hugetlb pids rdma misc\n")
    (root / "cgroup.subtree_control").write_text("cpu\n")
    (root / "cgroup.procs").write_text("")
    return root


def _subtree_files(root: Path) -> None:
    """What the kernel would put in a new v2 group: the files the code reads first."""
    parent = root / cgroups._PARENT
    parent.mkdir(exist_ok=True)
    (parent / "cgroup.subtree_control").write_text("")


def test_v2_is_recognised_by_its_unified_tree(tmp_path: Path) -> None:
    tree = detect(_fake_v2(tmp_path / "cg"))
    assert tree is not None
    assert tree.version == 2
    assert tree.bases == {"unified": tmp_path / "cg"}


def test_v1_is_recognised_by_its_controller_trees(tmp_path: Path) -> None:
    for name in ("memory", "pids"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "cgroup.procs").write_text("")
    tree = detect(tmp_path)
    assert tree is not None
    assert tree.version == 1
    assert detect(tmp_path / "nothing") is None


def test_v2_groups_get_their_limits_and_controllers(tmp_path: Path) -> None:
    root = _fake_v2(tmp_path / "cg")
    _subtree_files(root)
    try:
        group = KernelCgroup.create("k0001", 300, 20, root=root)
        assert group is not None
        path = root / cgroups._PARENT / "k0001"
        assert (path / "memory.max").read_text() == str(300 << 20)
        assert (path / "pids.max").read_text() == "20"
        assert group.procs_files() == [str(path / "cgroup.procs")]
        # the controllers are handed down from the root to the run's parent group
        assert (root / "cgroup.subtree_control").read_text() == "+memory +pids"
        assert (root / cgroups._PARENT / "cgroup.subtree_control").read_text() == "+memory +pids"
        assert group.limits_hit() == []
        (path / "memory.events").write_text("low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n")
        (path / "pids.events").write_text("max 7\n")
        assert group.limits_hit() == [
            "used more memory than its limit (300 MB)",
            "tried to run more than 20 processes and threads",
        ]
    finally:
        cgroups._checked.pop(root, None)


def test_v2_without_the_controllers_gives_no_group(tmp_path: Path) -> None:
    root = _fake_v2(tmp_path / "cg")
    (root / "cgroup.controllers").write_text("cpu io\n")
    try:
        assert KernelCgroup.create("k0001", 300, 20, root=root) is None
        assert not (root / cgroups._PARENT).exists()
    finally:
        cgroups._checked.pop(root, None)


def test_a_group_tree_that_cannot_be_written_gives_no_group(tmp_path: Path) -> None:
    """The controllers cannot be handed down (a file that refuses the write): no group,
    and the run's parent group is not left behind."""
    root = _fake_v2(tmp_path / "cg")
    (root / "cgroup.subtree_control").unlink()
    (root / "cgroup.subtree_control").mkdir()  # reading and writing it fail, as read-only
    try:
        assert KernelCgroup.create("k0001", 300, 20, root=root) is None
        assert not (root / cgroups._PARENT).exists()
    finally:
        cgroups._checked.pop(root, None)


_HOG = "x = bytearray(200 << 20)\nfor i in range(0, len(x), 4096):\n    x[i] = 1\n"
_FORKS = (
    "import os, time\nn = 0\ntry:\n    for _ in range(30):\n        if os.fork() == 0:\n"
    "            time.sleep(1)\n            os._exit(0)\n        n += 1\nexcept OSError:\n"
    "    pass\nprint(n)\n"
)


def _run_in(group: KernelCgroup, code: str) -> subprocess.CompletedProcess[str]:
    joins = "".join(f"echo $$ > {path}; " for path in group.procs_files())
    return subprocess.run(
        ["/bin/sh", "-c", f'{joins}exec "$0" -c "$1"', sys.executable, code],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_machines_groups_count_memory_and_processes() -> None:
    """For real (v1 on this machine, v2 elsewhere): a kernel over its memory is killed and
    named, a process over its count is refused and named."""
    tree = hierarchy()
    if tree is None:
        pytest.skip("no writable control groups here (not root, or a read-only cgroup folder)")
    try:
        hog = KernelCgroup.create("test-memory", 64, 64)
        forks = KernelCgroup.create("test-pids", 512, 5)
        assert hog is not None
        assert forks is not None
        assert _run_in(hog, _HOG).returncode == -9
        assert hog.limits_hit() == ["used more memory than its limit (64 MB)"]
        assert int(_run_in(forks, _FORKS).stdout) < 5
        assert forks.limits_hit() == ["tried to run more than 5 processes and threads"]
    finally:
        remove_run_groups()
    assert [p for p in tree.bases.values() if (p / cgroups._PARENT).exists()] == []


def test_whether_groups_are_available_is_told_without_making_one(tmp_path: Path) -> None:
    root = _fake_v2(tmp_path / "cg")
    assert cgroups.likely_available(root)
    assert not any(p.is_dir() for p in root.iterdir())  # nothing was made
    assert not cgroups.likely_available(tmp_path / "nothing")
    cgroups._checked[root] = None  # what hierarchy() found when it tried
    try:
        assert not cgroups.likely_available(root)
    finally:
        cgroups._checked.pop(root, None)
