"""Grading over a Dask cluster (``grade --cluster``) gives what a local run gives.

A real cluster: a scheduler and two worker *processes* (each behind its nanny) on
127.0.0.1, started once for the module. The local run to compare with is the
session's ``graded_class`` (the same six submissions, two at a time, 5 s per cell).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster
from traitlets.config import Config

from autograder.cli import main
from autograder.config import Cluster, cluster_from
from autograder.course_layout import open_course
from autograder.engine import cluster_worker
from autograder.engine.cluster import connect
from autograder.engine.cluster_worker import in_progress
from autograder.engine.grade import BatchResult, GradeOptions, grade_assignment
from autograder.engine.results import SubmissionResult
from autograder.engine.sandbox import Sandbox, find_sandbox
from autograder.errors import AutograderError
from tests.autograder.fixtures.course_fixture import CORRECT, copy_course, submit_answers
from tests.autograder.fixtures.pytest_fixtures import CLASS, submit_class

#: The kill test's batch: the class but for its infinite loop (5 s of waiting, no more proof).
HONEST = ["alice", "bob", "carol", "dave", "erin"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        # no dashboard (bokeh is not installed); its HTTP server on 127.0.0.1, a free port
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as local:
        yield local


def _outcome(results: list[SubmissionResult]) -> dict[str, tuple[dict[str, float | None], str]]:
    return {
        r.student: ({q.id: q.score for q in r.questions}, r.status)
        for r in sorted(results, key=lambda r: r.student)
    }


def _gradebook(course: Path) -> dict[str, tuple[int, float]]:
    """student -> (submissions recorded, total score) as the gradebook has them."""
    rows = sqlite3.connect(course / "gradebook.db").execute(
        "select st.id, count(distinct s.id), sum(coalesce(g.manual_score, g.auto_score, 0)) "
        "from submitted_assignment s join student st on s.student_id = st.id "
        "join submitted_notebook n on n.assignment_id = s.id "
        "join grade g on g.notebook_id = n.id group by st.id"
    )
    return {student: (count, round(total, 6)) for student, count, total in rows}


@pytest.mark.slow
def test_a_cluster_grades_as_the_local_run(
    cluster: LocalCluster,
    graded_class: tuple[Path, BatchResult],
    template: Path,
    tmp_path: Path,
    sandbox: Sandbox,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`grade --cluster ADDRESS`: every score and every status as in the local run, and
    the gradebook holds each student once with the same total."""
    local_course, local = graded_class
    course = copy_course(template, tmp_path / "course")
    submit_class(course)
    address = cluster.scheduler_address
    argv = ["--course-dir", str(course), "grade", "ps1", "--timeout", "5", "--cluster", address]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Graded 6 submissions of ps1" in out, out
    assert "2 workers" in out  # the cluster's worker threads
    graded = {
        s: ({q: v for q, v in scores.items()}, "needs-review" if review else "ok")
        for s, (scores, review) in CLASS.items()
    }
    assert _outcome(local.results) == graded
    assert _gradebook(course) == _gradebook(local_course)
    assert {s: n for s, (n, _) in _gradebook(course).items()} == dict.fromkeys(CLASS, 1)
    frank = (course / "autograded" / "frank" / "ps1" / "problems.ipynb").read_text()
    assert "ran longer than" in frank  # the worker's notebook reached the course folder


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    cluster: LocalCluster,
    graded_class: tuple[Path, BatchResult],
    template: Path,
    tmp_path: Path,
    sandbox: Sandbox,
) -> None:
    """The worker grading the first submission is killed (SIGKILL) while it grades: the
    scheduler gives that submission to another worker (the nanny starts a fresh one),
    and every student is graded as in the local run and recorded exactly once."""
    _, local = graded_class
    course = copy_course(template, tmp_path / "course")
    submit_class(course)
    recorded: Counter[str] = Counter()
    options = GradeOptions(
        sandbox=sandbox,
        timeout=5,
        students=HONEST,
        cluster=cluster.scheduler_address,
        progress=lambda r: recorded.update([r.student]),
    )
    box: dict[str, BatchResult | BaseException] = {}

    def grade() -> None:
        try:
            box["batch"] = grade_assignment(open_course(course), "ps1", options)
        except BaseException as exc:
            box["batch"] = exc

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = client.run(os.getpid)
        runner = threading.Thread(target=grade)
        runner.start()
        victim, student = None, None
        deadline = time.monotonic() + 60
        while victim is None and runner.is_alive() and time.monotonic() < deadline:
            busy = {w: s for w, s in client.run(in_progress).items() if s}
            if busy:
                victim, students = sorted(busy.items())[0]
                student = students[0]
            else:
                time.sleep(0.05)
        assert victim is not None, "no worker was seen grading"
        os.kill(pids[victim], signal.SIGKILL)
        runner.join(120)
    assert not runner.is_alive()
    batch = box["batch"]
    assert isinstance(batch, BatchResult), batch
    assert recorded == Counter(dict.fromkeys(HONEST, 1))
    expected = _outcome([r for r in local.results if r.student in HONEST])
    assert _outcome(batch.results) == expected
    assert student in HONEST
    counts = _gradebook(course)
    assert {s: n for s, (n, _) in counts.items()} == dict.fromkeys(HONEST, 1)
    assert victim not in client_workers(cluster)  # the killed worker is gone indeed


def client_workers(cluster: LocalCluster) -> set[str]:
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        return set(client.scheduler_info()["workers"])


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_cluster_is_a_clear_error_that_touches_nothing(
    course_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--cluster` naming no scheduler: exit 2, a message naming the address and what to
    check, and no gradebook created."""
    (course_dir / "nbgrader_config.py").write_text("c.Cluster.connect_timeout = 2\n")
    submit_answers(course_dir, "alice", CORRECT)
    address = f"tcp://127.0.0.1:{_closed_port()}"
    argv = ["--course-dir", str(course_dir), "grade", "ps1", "--no-sandbox", "--cluster", address]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"cannot reach the Dask scheduler at {address}" in err
    assert "dask-scheduler" in err
    assert "Traceback" not in err
    assert not (course_dir / "gradebook.db").exists()
    assert not (course_dir / "autograded").exists()


def test_every_cluster_setting_says_what_it_does() -> None:
    traits = Cluster.class_traits(config=True)
    assert set(traits) == {"address", "connect_timeout", "in_flight"}
    for name, trait in traits.items():
        assert len(trait.help) > 40, name
    config = Config()
    config.Cluster.in_flight = 0
    with pytest.raises(AutograderError, match=r"Cluster\.in_flight must be at least 1, not 0"):
        cluster_from(config)


@pytest.mark.parametrize(
    ("setting", "option", "expected"),
    [
        (None, None, None),
        ("tcp://course-cluster:8786", None, "tcp://course-cluster:8786"),
        ("tcp://course-cluster:8786", "tcp://other:8786", "tcp://other:8786"),
        ("tcp://course-cluster:8786", "local", None),
    ],
)
def test_the_command_line_names_the_cluster_or_the_course_file_does(
    course_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    setting: str | None,
    option: str | None,
    expected: str | None,
) -> None:
    """`--cluster` wins over `c.Cluster.address`; `--cluster local` grades here."""
    import autograder.engine.grade as grade_module
    import autograder.engine.sandbox as sandbox_module

    if setting is not None:
        (course_dir / "nbgrader_config.py").write_text(f"c.Cluster.address = {setting!r}\n")
    submit_answers(course_dir, "alice", CORRECT)
    seen: list[str | None] = []

    def spy(layout: object, assignment: str, options: GradeOptions) -> BatchResult:
        seen.append(options.cluster)
        return BatchResult(assignment, [], 0.0, 5, 1)

    monkeypatch.setattr(grade_module, "grade_assignment", spy)
    monkeypatch.setattr(sandbox_module, "find_sandbox", lambda **_: find_sandbox(no_sandbox=True))
    argv = ["--course-dir", str(course_dir), "grade", "ps1"]
    assert main([*argv, *(["--cluster", option] if option else [])]) == 0
    assert seen == [expected]


def test_without_distributed_the_cluster_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(AutograderError, match=r"needs the 'distributed' package.*pip install"):
        connect("tcp://127.0.0.1:8786")


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "data/../../x"])
def test_a_task_never_writes_outside_its_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(AutograderError, match="outside its folder"):
        cluster_worker._write(tmp_path / "folder", {name: b"x"})
    assert list(tmp_path.rglob("*")) == []
