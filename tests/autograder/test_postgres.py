"""A PostgreSQL gradebook: the same grades as SQLite, and several graders at once.

A throw-away PostgreSQL server (:mod:`tests.autograder.fixtures.postgres_server`)
takes the class of ``CLASS`` graded into it; every score, flag and export row equals
the same class graded into SQLite (the shared ``graded_class``); ``export``,
``report``, ``feedback`` and the formgrader's own API read it. Then real
``python -m autograder grade`` processes run at once, on PostgreSQL and on SQLite:
two on different students both finish and every student is graded exactly once;
a second one on a student the first one holds is refused and told who holds it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy import create_engine, text

from autograder.course_layout import CourseLayout, open_course
from autograder.engine.grade import BatchResult, GradeOptions, grade_assignment
from autograder.engine.lock import open_locks, student_scope
from autograder.engine.sandbox import Sandbox
from autograder.errors import AutograderError
from autograder.outputs.export import export_rows
from autograder.outputs.feedback import generate_feedback
from autograder.outputs.report import build_report
from autograder.outputs.summary import summarise
from tests.autograder.fixtures.course_fixture import copy_course
from tests.autograder.fixtures.postgres_server import PostgresServer, postgres_server
from tests.autograder.fixtures.pytest_fixtures import CLASS, submit_class

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
Scores = dict[str, dict[str, tuple[float | None, bool]]]
PAIRS = (("alice", "bob"), ("carol", "dave"))  # what two graders at once take


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


def _course(template: Path, dest: Path, db_url: str | None, only: int = len(CLASS)) -> Path:
    """A fresh clone of the template with the (first ``only`` of the) class submitted;
    on ``db_url`` if given."""
    course = copy_course(template, dest)
    submit_class(course)
    for student in list(CLASS)[only:]:
        shutil.rmtree(course / "submitted" / student)
    if db_url is not None:
        (course / "nbgrader_config.py").write_text(
            f"c = get_config()  # noqa: F821\nc.CourseDirectory.db_url = {db_url!r}\n"
        )
    return course


def _scores(layout: CourseLayout) -> Scores:
    """student -> question -> (score, needs a manual grade), as the gradebook holds them."""
    with Gradebook(layout.db_url, layout.coursedir().course_id) as gb:
        return {
            sub.student.id: {
                grade.name: (grade.score if grade.auto_score is not None else None,
                             bool(grade.needs_manual_grade))
                for nb in sub.notebooks for grade in nb.grades
            }
            for sub in gb.find_assignment("ps1").submissions
        }  # fmt: skip


def _rows(db_url: str, table: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def pg_class(
    pg: PostgresServer, template: Path, sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, BatchResult]:
    """``CLASS`` graded into PostgreSQL exactly as ``graded_class`` is into SQLite."""
    url = pg.create_database("itil_class")
    course = _course(template, tmp_path_factory.mktemp("pg") / "course", url)
    batch = grade_assignment(
        open_course(course), "ps1", GradeOptions(sandbox=sandbox, workers=2, timeout=5)
    )
    return course, batch


def test_a_class_graded_into_postgresql_scores_exactly_as_into_sqlite(
    pg_class: tuple[Path, BatchResult], graded_class: tuple[Path, BatchResult]
) -> None:
    (course, batch), (lite_course, lite_batch) = pg_class, graded_class
    layout = open_course(course)
    assert layout.db_url.startswith("postgresql+psycopg://")
    assert layout.gradebook_file is None
    assert not (course / "gradebook.db").exists()
    on_pg, on_sqlite = _scores(layout), _scores(open_course(lite_course))
    assert on_pg == on_sqlite
    assert {s: {q: v[0] for q, v in qs.items()} for s, qs in on_pg.items()} == {
        student: expected for student, (expected, _review) in CLASS.items()
    }
    assert {r.student: (r.total, r.reasons) for r in batch.results} == {
        r.student: (r.total, r.reasons) for r in lite_batch.results
    }
    print(
        f"\ngrading the class of {len(batch.results)} into PostgreSQL: {batch.seconds:.1f} s; "
        f"into SQLite: {lite_batch.seconds:.1f} s (ratio {batch.seconds / lite_batch.seconds:.2f})"
    )


def test_export_report_and_feedback_read_postgresql_as_sqlite(
    pg_class: tuple[Path, BatchResult], graded_class: tuple[Path, BatchResult]
) -> None:
    pg_layout, lite_layout = open_course(pg_class[0]), open_course(graded_class[0])
    assert export_rows(pg_layout, "ps1") == export_rows(lite_layout, "ps1")
    report = build_report(pg_layout, "ps1")
    assert report == build_report(lite_layout, "ps1").replace(
        str(graded_class[0]), str(pg_class[0])
    )
    done = generate_feedback(pg_layout, "ps1")
    assert done.leaked == []
    assert done.skipped == {}
    pages = {p.relative_to(pg_class[0] / "feedback"): p for p in done.written}
    assert len(pages) == 11  # five students with both notebooks, frank with one
    score = re.compile(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)")
    for name, page in pages.items():
        lite_page = graded_class[0] / "feedback" / name
        if not lite_page.exists():  # the SQLite class may not have had feedback written yet
            generate_feedback(lite_layout, "ps1", [name.parts[0]])
        found = score.search(page.read_text())
        assert found is not None, page
        assert found.groups() == score.search(lite_page.read_text()).groups(), name  # type: ignore[union-attr]


def test_the_formgrader_lists_the_postgresql_gradebook_as_the_sqlite_one(
    pg_class: tuple[Path, BatchResult], graded_class: tuple[Path, BatchResult]
) -> None:
    """The formgrader's pages come from nbgrader's NbGraderAPI: it reads the same."""
    from nbgrader.apps import NbGraderAPI

    def listing(course: Path) -> list[tuple[object, ...]]:
        layout = open_course(course)
        api = NbGraderAPI(coursedir=layout.coursedir(), config=layout.config)
        assert [a["name"] for a in api.get_assignments()] == ["ps1"]
        rows = [
            (s["student"], s["score"], s["max_score"], s["needs_manual_grade"], s["autograded"])
            for s in api.get_submissions("ps1")
        ]
        for notebook in ("problems", "bonus"):
            rows.extend(
                (s["student"], notebook, s["score"], s["flagged"], s["needs_manual_grade"])
                for s in api.get_notebook_submissions("ps1", notebook)
            )
        return sorted(rows, key=repr)

    on_pg = listing(pg_class[0])
    assert len(on_pg) == 6 + 11  # frank's bonus notebook could not be read
    assert on_pg == listing(graded_class[0])


def _grade(course: Path, *students: str, timeout: int = 5) -> subprocess.Popen[str]:
    picked = [arg for student in students for arg in ("--student", student)]
    command = [sys.executable, "-m", "autograder", "--course-dir", str(course), "grade", "ps1"]
    return subprocess.Popen(
        [*command, *picked, "--workers", "1", "--timeout", str(timeout)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(params=["postgresql", "sqlite"])
def fresh_class(
    request: pytest.FixtureRequest, pg: PostgresServer, template: Path, tmp_path: Path
) -> Path:
    """The class submitted to a course with no gradebook yet, on either database."""
    url = pg.create_database(f"itil_{tmp_path.name}".lower()) if request.param != "sqlite" else None
    return _course(template, tmp_path / "course", url, only=len(PAIRS) * 2)


def test_two_graders_at_once_on_different_students_grade_each_exactly_once(
    fresh_class: Path, sandbox: Sandbox
) -> None:
    """Both start on an empty gradebook: one sets it up while the other waits."""
    runs = [_grade(fresh_class, *pair) for pair in PAIRS]
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
        assert "Graded 2 submissions of ps1" in out, out
        assert "NOT graded" not in out, out
    layout = open_course(fresh_class)
    scores = _scores(layout)
    students = [s for pair in PAIRS for s in pair]
    assert {s: {q: v[0] for q, v in qs.items()} for s, qs in scores.items()} == {
        student: CLASS[student][0] for student in students
    }
    # no doubled row anywhere: one submission, two notebooks, four grades per student
    assert _rows(layout.db_url, "submitted_assignment") == len(students)
    assert _rows(layout.db_url, "submitted_notebook") == 2 * len(students)
    assert _rows(layout.db_url, "grade") == 4 * len(students)
    assert _rows(layout.db_url, "student") == len(students)
    assert _rows(layout.db_url, "assignment") == 1


def _held_by(layout: CourseLayout, pid: int, deadline: float) -> bool:
    locks = open_locks(layout, "probe")
    try:
        while time.monotonic() < deadline:
            if any(h.pid == pid for h in locks.holders(student_scope("ps1", "alice"))):
                return True
            time.sleep(0.05)
        return False
    finally:
        locks.close()


def test_a_second_grader_on_the_same_student_is_refused_and_told_who_holds_it(
    fresh_class: Path, sandbox: Sandbox
) -> None:
    """The first run is paused (SIGSTOP) once it holds alice, so the second surely meets
    the lock; resumed, it grades alice once."""
    layout = open_course(fresh_class)
    first = _grade(fresh_class, "alice", timeout=60)
    try:
        assert _held_by(layout, first.pid, time.monotonic() + 120), first.stderr
        os.kill(first.pid, signal.SIGSTOP)
        try:
            second = _grade(fresh_class, "alice")
            out, err = second.communicate(timeout=300)
        finally:
            os.kill(first.pid, signal.SIGCONT)
        assert second.returncode == 2, out + err
        message = " ".join(err.split())
        assert message.startswith(
            "python -m autograder grade: error: another run is grading this student of ps1: "
            f"alice by 'grade ps1' (process {first.pid} of "
        ), message
        assert f" on {socket.gethostname()}, since " in message
        assert "then run 'grade ps1' again" in message
        out, err = first.communicate(timeout=600)
        assert first.returncode == 0, err
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert _scores(layout) == {"alice": {q: (v, False) for q, v in CLASS["alice"][0].items()}}
    assert _rows(layout.db_url, "grade") == 4


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_course(
    request: pytest.FixtureRequest, pg: PostgresServer, template: Path, tmp_path: Path
) -> CourseLayout:
    url = pg.create_database(f"itil_{tmp_path.name}".lower()) if request.param != "sqlite" else None
    return open_course(_course(template, tmp_path / "course", url, only=0))


def test_the_locks_let_different_students_through_and_name_the_holder_of_one(
    empty_course: CourseLayout,
) -> None:
    """In one process, as two runs would: the lock is per run, not per process."""
    from autograder.engine.lock import GradingLocks, course_lock

    with GradingLocks(empty_course, "grade ps1") as first:
        second = GradingLocks(empty_course, "grade ps1")
        try:
            assert first.claim("ps1", ["alice", "bob"]) == {}
            assert second.claim("ps1", ["carol"]) == {}
            busy = second.claim("ps1", ["bob", "dave"])
            assert list(busy) == ["bob"]
            assert busy["bob"].startswith(f"'grade ps1' (process {os.getpid()} of ")
            assert f" on {socket.gethostname()}, since " in busy["bob"]
            assert second.claim("ps2", ["bob"]) == {}  # another assignment: another lock
            # the short set-up lock: the other run waits for it, then fails
            with (
                first.setup(),
                pytest.raises(AutograderError, match="is being set up by 'grade ps1'"),
                second.setup(wait=0.2),
            ):
                pass
            with second.setup(wait=0.2):
                pass
            # collect wants the course alone: refused, told which grading runs hold it
            with pytest.raises(AutograderError) as refused, course_lock(empty_course, "collect"):
                pass
            assert str(refused.value).startswith(
                f"another run is working on this course: 'grade ps1' (process {os.getpid()} of "
            )
        finally:
            second.close()
    holder = "'grade ps1' (process 1 of ta on lab-7, since 2025-03-14T16:02:11+00:00)"
    batch = BatchResult("ps1", [], 1.0, 5, 1, busy={"bob": holder})
    assert f"  NOT graded: bob: another run is grading it, {holder}\n" in summarise(
        batch, empty_course
    )
    third = GradingLocks(empty_course, "grade ps1")  # all released with their runs
    try:
        assert third.claim("ps1", ["alice", "bob", "carol"]) == {}
    finally:
        third.close()
    with (
        course_lock(empty_course, "collect ps1"),
        pytest.raises(AutograderError, match="working on this course: 'collect ps1'"),
    ):
        GradingLocks(empty_course, "grade ps1")
