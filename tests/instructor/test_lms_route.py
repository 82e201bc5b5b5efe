"""Route 2 of the guide, end to end: an LMS download collected, graded and exported.

The archive is shaped like Blackboard's "download assignment" zip: one file per upload,
named ``<assignment>_<username>_attempt_<time>_<file>``. ghopper uploaded twice (the
later upload must count), aturing after the due date the guide sets (the late penalty
must come off), and one file carries no student id (it must be reported, not dropped).
Every step is the guide's own command line; the class is graded once for the module.
"""

from __future__ import annotations

import re
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from tests.autograder.fixtures.lms_formats import read_canvas
from tests.autograder.fixtures.offline_html import remote_loads
from tests.instructor.kit import (
    ASSIGNMENT,
    NOTEBOOK,
    Machine,
    answered,
    command,
    lms_zip,
    new_course,
    require_sandbox,
    solutions,
)

pytestmark = pytest.mark.slow

PARTLY = {
    **solutions(),
    "pq3-stream-answer": "portal_stream = ...",
    "pq4-pairs-answer": (
        "supported_by = {\n"
        '    "Service Desk": "Deliver & Support",\n'
        '    "Risk Management": "Plan",\n'
        '    "Release Management": "Design & Transition",\n'
        '    "Measurement and Reporting": ...,\n'
        '    "Relationship Management": ...,\n'
        '    "Development and Management": ...,\n'
        "}"
    ),
    "pq5-why-answer": 'order_statement = "A"',
}
LATE = {**solutions(), "pq4-answer": 'relationship = "A"'}
PREFIX = "Practice 06"
# (file name in the zip, notebook); the zip dates each file as its name says
UPLOADS = [
    (f"{PREFIX}_alovelace_attempt_2025-03-14-16-00-00_{NOTEBOOK}", answered(solutions())),
    (f"{PREFIX}_ghopper_attempt_2025-03-13-09-00-00_{NOTEBOOK}", answered({})),
    (f"{PREFIX}_ghopper_attempt_2025-03-14-10-00-00_{NOTEBOOK}", answered(PARTLY)),
    (f"{PREFIX}_aturing_attempt_2025-03-15-12-00-00_{NOTEBOOK}", answered(LATE)),
    ("Practice (1).ipynb", answered(solutions())),
]
EXPECTED_CSV = (
    "student,first_name,last_name,email,pq1,pq2,pq3,pq3-stream,pq4,pq4-pairs,pq5,pq5-why,"
    "total,max_score,status,reason\n"
    "alovelace,,,,3,2,2,3,2,3,1,2,18,18,ok,\n"
    # 18 hours late: one day, 10 % of the 16 points earned
    "aturing,,,,3,2,2,3,0,3,1,2,14.4,18,ok,late penalty 1.6\n"
    "ghopper,,,,3,2,2,0,2,1.5,1,0,11.5,18,ok,\n"
)


@dataclass
class Term:
    machine: Machine
    course: Path
    collected: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory) -> Term:
    require_sandbox()
    machine = Machine(tmp_path_factory.mktemp("lms-route"))
    course = new_course(machine.home("instructor") / "itil-svc")
    lms_zip(course / "lms-download.zip", UPLOADS)
    collected = machine.run(
        command("python -m autograder collect 06-practice lms-download.zip"), course
    )
    machine.run(
        command('nbgrader db assignment add 06-practice --duedate="2025-03-14 17:00:00 UTC"'),
        course,
    )
    machine.run(command("python -m autograder grade 06-practice"), course)
    return Term(machine, course, collected)


def test_collect_places_the_latest_upload_of_each_student(term: Term) -> None:
    submitted = term.course / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == ["alovelace", "aturing", "ghopper"]
    latest = nbformat.reads((submitted / "ghopper" / ASSIGNMENT / NOTEBOOK).read_text(), 4)
    assert latest == answered(PARTLY)
    stamp = (submitted / "ghopper" / ASSIGNMENT / "timestamp.txt").read_text()
    assert stamp == "2025-03-14 10:00:00.000000 UTC"  # as nbgrader submit writes it
    lines = [" ".join(line.split()) for line in term.collected.stdout.splitlines()]
    assert (
        f"placed {PREFIX}_ghopper_attempt_2025-03-14-10-00-00_{NOTEBOOK} ghopper {NOTEBOOK}; "
        "submitted 2025-03-14 10:00:00 UTC (Blackboard's file name)"
    ) in lines
    assert (
        f"superseded {PREFIX}_ghopper_attempt_2025-03-13-09-00-00_{NOTEBOOK} ghopper "
        f"{NOTEBOOK}: a later upload counts ({PREFIX}_ghopper_attempt_2025-03-14-10-00-00_"
        f"{NOTEBOOK})"
    ) in lines


def test_a_file_without_a_student_id_is_reported_not_dropped(term: Term) -> None:
    lines = [" ".join(line.split()) for line in term.collected.stdout.splitlines()]
    assert (
        f"skipped Practice (1).ipynb - not one of the assignment's notebooks ({NOTEBOOK})" in lines
    )
    assert "5 file(s) in the download: 3 placed, 1 superseded, 1 skipped, 0 refused." in lines


def test_the_export_holds_the_exact_scores_with_the_late_penalty_taken_off(term: Term) -> None:
    term.machine.run(
        command("python -m autograder export 06-practice --output grades/06-practice.csv"),
        term.course,
    )
    assert (term.course / "grades" / "06-practice.csv").read_text() == EXPECTED_CSV


EXPECTED_CANVAS = (
    "Student,ID,SIS User ID,SIS Login ID,Section,06-practice (55503)\n"
    "Points Possible,,,,,18\n"
    "alovelace,,,alovelace,,18\n"
    "aturing,,,aturing,,14.4\n"
    "ghopper,,,ghopper,,11.5\n"
)


def test_the_canvas_export_imports_with_the_detail_beside_it(term: Term) -> None:
    """Canvas's gradebook import, read back by the strict reader; the per-question detail
    is the file the default export writes."""
    term.machine.run(
        command(
            "python -m autograder export 06-practice --format canvas "
            "--canvas-id 06-practice=55503 --output grades/canvas.csv"
        ),
        term.course,
    )
    text = (term.course / "grades" / "canvas.csv").read_text(encoding="utf-8")
    assert text == EXPECTED_CANVAS
    read = read_canvas(text)
    assert read.assignments == {"06-practice": ("55503", 18.0)}
    assert [s.grades["06-practice"] for s in read.students] == [18.0, 14.4, 11.5]
    assert (term.course / "grades" / "canvas-questions.csv").read_text() == EXPECTED_CSV


def test_the_class_report_is_written_with_its_charts(term: Term) -> None:
    done = term.machine.run(command("python -m autograder report 06-practice"), term.course)
    written = re.search(r"wrote (\S+\.html)", done.stdout)
    assert written, done.stdout
    report = Path(written.group(1))
    report = report if report.is_absolute() else term.course / report
    html = report.read_text(encoding="utf-8")
    assert ASSIGNMENT in html
    assert html.count("<svg") >= 3  # distribution, per question, per learning objective
    assert remote_loads(html) == []
    wrong = html[html.index("id='wrong'") : html.index("id='review'")]
    rows = re.findall(r"<tr><td>([^<]+)</td><td[^>]*>([^<]+)</td><td>(\d+)</td></tr>", wrong)
    assert rows == [
        ("pq3-stream", "no answer", "1"),
        ("pq4", "&#x27;A&#x27;", "1"),
        (
            "pq4-pairs",
            "Measurement and Reporting → no answer; Relationship Management → no answer; "
            "Development and Management → no answer (3 of 6 pairs right)",
            "1",
        ),
        ("pq5-why", "&#x27;A&#x27;", "1"),
    ]
    assert "<span class='kpi'>Did not submit<b>0</b></span>" in html


def _on_loopback(argv: list[str], port: int) -> list[str]:
    """The guide's cluster command with the scheduler's host and port made this machine's
    loopback and a free port (a test's servers listen on 127.0.0.1 only)."""
    address = f"127.0.0.1:{port}"
    return [a.replace("scheduler-host:8786", address).replace("8786", str(port)) for a in argv]


def test_the_class_graded_on_a_cluster_gets_the_same_grades(term: Term) -> None:
    """The guide's cluster route: a scheduler, workers, and `grade --cluster` give the
    class exactly the grades of the local run (the export is the same file)."""
    from distributed import Client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = term.machine.env("instructor")
    loopback = ["--host", "127.0.0.1", "--no-dashboard"]
    scheduler = _on_loopback(command("dask scheduler --port 8786"), port)
    worker = _on_loopback(
        command("dask worker tcp://scheduler-host:8786 --nworkers 8 --nthreads 1"), port
    )
    worker[worker.index("--nworkers") + 1] = "2"  # this machine's two cores
    servers = [
        subprocess.Popen([*scheduler, *loopback], env=env, cwd=term.course),
        subprocess.Popen(
            [*worker, *loopback, "--local-directory", str(term.course.parent / "dask")],
            env=env,
            cwd=term.course,
        ),
    ]
    try:
        with Client(f"tcp://127.0.0.1:{port}", timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        graded = term.machine.run(
            _on_loopback(
                command(
                    "python -m autograder grade 06-practice --cluster tcp://scheduler-host:8786"
                ),
                port,
            ),
            term.course,
        )
    finally:
        for server in reversed(servers):
            server.terminate()
        for server in reversed(servers):
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    assert "Graded 3 submissions of 06-practice" in graded.stdout, graded.stdout
    term.machine.run(
        command("python -m autograder export 06-practice --output grades/06-practice.csv"),
        term.course,
    )
    written = (term.course / "grades" / "06-practice.csv").read_text(encoding="utf-8")
    assert written == EXPECTED_CSV
