"""Red team: hostile and broken submissions, graded in one sandboxed batch.

Each case (see ``cases.py``) must get exactly its grade and exactly its reasons
for review. Around the batch: ``source/`` and the gradebook are neither read
nor changed by student code, nothing is written outside a scratch folder, the
network is unreachable, and the original submissions are untouched.
"""

from __future__ import annotations

import hashlib
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.course_layout import open_course
from autograder.engine.grade import BatchResult, GradeOptions, grade_assignment
from autograder.engine.results import SubmissionResult
from autograder.engine.sandbox import Sandbox
from tests.autograder.fixtures.course_fixture import (
    MAX_SCORE,
    answered,
    copy_course,
    submit,
)
from tests.redteam.cases import CASES, Case

pytestmark = pytest.mark.slow

CANARY = "CANARY-" + uuid.uuid4().hex


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class _Listener:
    """A TCP server on the grader's loopback that records every connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@dataclass
class Attack:
    course: Path
    batch: BatchResult
    source_before: dict[str, str]
    source_after: dict[str, str]
    originals_before: dict[str, str]
    originals_after: dict[str, str]
    connections: int
    host_paths: list[Path]
    results: dict[str, SubmissionResult] = field(default_factory=dict)
    leftovers: list[str] = field(default_factory=list)


def _grading_processes() -> list[str]:
    """Command lines of live processes started by a grading run (their paths say so),
    after giving killed processes a few seconds to disappear."""
    found: list[str] = []
    for _ in range(50):
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "/itil-grade-" in text:
                found.append(text[:200])
        if not found:
            break
        time.sleep(0.1)
    return found


def _fill(code: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        code = code.replace("{" + name + "}", value)
    return code


def _submit(course: Path, case: Case, values: dict[str, str]) -> None:
    answers = {k: _fill(v, values) for k, v in case.notebook_answers().items()}
    notebooks: dict[str, object] = {}
    for name in MAX_SCORE:
        notebooks[name] = answered(course, name, answers)
    if case.edit is not None:
        notebooks["problems"] = case.edit(notebooks["problems"])  # type: ignore[arg-type]
    for name, content in case.raw.items():
        if content is None:
            notebooks.pop(name, None)
        else:
            notebooks[name] = content
    submit(course, case.student, notebooks)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def attack(
    template: Path, tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox
) -> Iterator[Attack]:
    course = copy_course(template, tmp_path_factory.mktemp("redteam") / "course")
    (course / "source" / "secret-canary.txt").write_text(CANARY)
    home = tmp_path_factory.mktemp("grader-home")
    (home / ".bash_history").write_text(CANARY)
    hostpath = Path("/tmp") / f"itil-redteam-{uuid.uuid4().hex}"
    listener = _Listener()
    values = {
        "course": str(course),
        "canary": str(course / "source" / "secret-canary.txt"),
        "gradebook": str(course / "gradebook.db"),
        "home": str(home),
        "hostpath": str(hostpath),
        "port": str(listener.port),
    }
    for case in CASES:
        _submit(course, case, values)
    scratch_before = set(Path("/tmp").glob("itil-grade-*"))
    source_before = _tree_digest(course / "source")
    originals_before = _tree_digest(course / "submitted")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("ITIL_GRADER_SECRET", CANARY)
        layout = open_course(course)
        batch = grade_assignment(layout, "ps1", GradeOptions(sandbox=sandbox, workers=2, timeout=5))
    listener.close()
    leftovers = sorted(set(Path("/tmp").glob("itil-grade-*")) - scratch_before)
    attack = Attack(
        course,
        batch,
        source_before,
        _tree_digest(course / "source"),
        originals_before,
        _tree_digest(course / "submitted"),
        listener.connections,
        [course / "pwned.txt", hostpath, home / "pwned.txt", Path("/usr/pwned.txt")],
        {r.student: r for r in batch.results},
        [str(p) for p in leftovers] + _grading_processes(),
    )
    yield attack
    hostpath.unlink(missing_ok=True)


def test_the_red_team_has_at_least_25_cases() -> None:
    assert len(CASES) >= 25
    assert len({c.student for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.student for c in CASES])
def test_each_submission_gets_exactly_its_grade_and_reasons(attack: Attack, case: Case) -> None:
    """The grade the answers deserve, or needs-review with the exact reason: never
    unearned marks, never a silent zero."""
    result = attack.results[case.student]
    assert {q.id: q.score for q in result.questions} == case.scores, case.what
    assert tuple(result.reasons) == case.reasons, case.what
    assert result.status == ("needs-review" if case.reasons else "ok")
    assert result.max_score == 9.0  # forged grade cells never add points


def test_source_is_unchanged(attack: Attack) -> None:
    assert attack.source_after == attack.source_before


def test_no_secret_reached_any_output_or_answer(attack: Attack) -> None:
    """The canary (beside source/, in the grader's home and environment) appears in no
    autograded notebook and no recorded answer: student code never read it."""
    graded = attack.course / "autograded"
    leaks = [p for p in graded.rglob("*") if p.is_file() and CANARY in p.read_text(errors="ignore")]
    assert leaks == []


def test_hidden_tests_reached_no_student_output(attack: Attack) -> None:
    """The key text a reader of source/ would copy is in no answer the students gave."""
    for result in attack.results.values():
        assert "plain(answer)" not in str([q.answers for q in result.questions])


def test_the_gradebook_was_not_tampered_with(attack: Attack) -> None:
    """No table added, no manual score set, and every student's gradebook total is the
    total the autograder computed (one student cannot change another's grade)."""
    db = sqlite3.connect(attack.course / "gradebook.db")
    tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    assert "pwned" not in tables
    assert db.execute("select count(*) from grade where manual_score is not null").fetchone() == (
        0,
    )
    totals = dict(
        db.execute(
            "select s.student_id, sum(coalesce(g.auto_score, 0)) from grade g "
            "join submitted_notebook n on g.notebook_id = n.id "
            "join submitted_assignment s on n.assignment_id = s.id group by s.student_id"
        ).fetchall()
    )
    assert totals == {s: r.total for s, r in attack.results.items()}


def test_nothing_was_written_outside_the_scratch_folders(attack: Attack) -> None:
    assert [p for p in attack.host_paths if p.exists()] == []


def test_the_original_submissions_are_untouched(attack: Attack) -> None:
    assert attack.originals_after == attack.originals_before


def test_the_network_was_unreachable(attack: Attack) -> None:
    assert attack.connections == 0


def test_no_kernel_or_scratch_folder_is_left_behind(attack: Attack) -> None:
    """Every kernel (even the one that would not stop) was shut down, every folder removed."""
    assert attack.leftovers == []
