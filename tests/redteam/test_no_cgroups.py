"""Red team: where no control group can be made, the fallback limits still hold.

Grading is forced onto the no-cgroup path at the engine's boundary (the
machine's hierarchy reported as unusable, as on a read-only ``/sys/fs/cgroup``).
A kernel's memory is then bounded by its address space: an allocation or a
shared mapping past it fails, and the reason for review names the memory
limit. An honest student in the same batch keeps full marks. Run as root, the
grader says that the process limit cannot hold (the kernel never applies
``RLIMIT_NPROC`` to root).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autograder.course_layout import open_course
from autograder.engine import cgroups
from autograder.engine.grade import GradeOptions, grade_assignment
from autograder.engine.sandbox import Sandbox
from tests.autograder.fixtures.course_fixture import CORRECT, answered, copy_course, submit
from tests.redteam.cases import ALL_RIGHT, P

pytestmark = pytest.mark.slow

STUDENTS = {
    "honest": CORRECT,
    "hog": {**CORRECT, "q1-answer": CORRECT["q1-answer"] + "\nhog = bytearray(3 << 30)"},
    "shared": {
        **CORRECT,
        "q1-answer": CORRECT["q1-answer"] + "\nimport mmap\nhog = mmap.mmap(-1, 3 << 30)",
    },
}
NAMED = (f"{P}: q1-answer (In [2]) ran out of memory (the memory limit is 1024 MB)",)


def test_without_control_groups_memory_is_bounded_and_named(
    template: Path, tmp_path: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(cgroups._checked, cgroups.ROOT, None)
    course = copy_course(template, tmp_path / "course")
    for student, answers in STUDENTS.items():
        submit(course, student, {n: answered(course, n, answers) for n in ("problems", "bonus")})
    batch = grade_assignment(
        open_course(course), "ps1", GradeOptions(sandbox=sandbox, workers=2, timeout=10)
    )
    results = {r.student: r for r in batch.results}
    assert {s: {q.id: q.score for q in r.questions} for s, r in results.items()} == {
        s: ALL_RIGHT for s in STUDENTS
    }
    assert {s: tuple(r.reasons) for s, r in results.items()} == {
        "honest": (),
        "hog": NAMED,
        "shared": NAMED,
    }
    assert cgroups.KernelCgroup.create("unused", 100, 10) is None
    warned = [w for w in sandbox.warnings() if "process limit" in w]
    assert len(warned) == (1 if os.getuid() == 0 else 0)
