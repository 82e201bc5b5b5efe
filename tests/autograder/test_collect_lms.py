"""``collect`` on realistic Canvas, Moodle and Blackboard downloads of 06-practice.

The zips are shaped as each LMS names its files (Canvas's ``ContentZipper``,
Moodle's "download all submissions" with folders on and off, Blackboard's
attempt files and receipts) and hold real notebooks of the released
06-practice. Every entry of every zip is dated after the due date, as an LMS
stamps its zip when it builds it: no submission time may come from there.
The due date (2025-03-14 17:00 UTC) is set before collecting. Each test checks
the id every student is placed under, every line of ``collect``'s table, and
the late penalty nbgrader takes, to the exact figure; the Canvas download is
also graded and exported.
"""

from __future__ import annotations

import datetime
import json
import shutil
import warnings
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from autograder.cli import main
from autograder.course_layout import CourseLayout, open_course
from autograder.engine.grade import GradeOptions, grade_assignment
from autograder.engine.late_penalty import PerDayPenalty
from autograder.engine.results import load_notes
from autograder.engine.sandbox import Sandbox
from autograder.intake.exchange import INTAKE_FILE
from autograder.outputs.export import export_rows
from tests.instructor.kit import ASSIGNMENT, answered, new_course, solutions

DUE = datetime.datetime(2025, 3, 14, 17, 0)  # nbgrader: naive UTC
ZIPPED_AT = (2025, 3, 20, 12, 0, 0)  # when the LMS built the zip: after the due date
RIGHT = nbformat.writes(answered(solutions())).encode()
EMPTY = nbformat.writes(answered({})).encode()
NB = f"{ASSIGNMENT}.ipynb"


@pytest.fixture(scope="module")
def practice_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 06-practice course whose gradebook has the due date (made once: slow)."""
    root = new_course(tmp_path_factory.mktemp("practice") / "course")
    layout = open_course(root)
    with Gradebook(layout.db_url, layout.coursedir().course_id) as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
    return root


@pytest.fixture
def course(practice_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template."""
    return Path(shutil.copytree(practice_template, tmp_path / "course"))


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIPPED_AT), data)
    return path


def _collect(
    course: Path, *args: str, capsys: pytest.CaptureFixture[str]
) -> tuple[list[tuple[str, ...]], list[str]]:
    """Run ``collect``; its table as rows of cells (the columns aligned), and the lines
    after it."""
    assert main(["--course-dir", str(course), "collect", ASSIGNMENT, *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, *rest = lines
    assert header.split() == ["OUTCOME", "FILE", "STUDENT", "DETAIL"]
    starts = [header.index(word) for word in ("FILE", "STUDENT", "DETAIL")]
    table = rest[:-2]
    for line in table:  # every cell starts under its heading
        assert all(line[at - 2 : at] == "  " and line[at] != " " for at in starts), line
    cells = [
        tuple(line[a:b].strip() for a, b in zip([0, *starts], [*starts, None], strict=True))
        for line in table
    ]
    return cells, rest[-2:]


def _penalties(
    layout: CourseLayout, students: list[str], score: float = 18.0
) -> dict[str, float | None]:
    """student -> the penalty nbgrader's gradebook gives a notebook of ``score`` points:
    the submission's time as ``grade`` records it (timestamp.txt), nbgrader's
    total_seconds_late, the course's PerDayPenalty."""
    found: dict[str, float | None] = {}
    with warnings.catch_warnings(), Gradebook(layout.db_url, layout.coursedir().course_id) as gb:
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own use of SQLAlchemy
        for student in students:
            folder = layout.submitted_dir(student, ASSIGNMENT)
            assert (folder / NB).is_file(), student
            stamp = layout.coursedir().get_existing_timestamp(str(folder))
            extra = {"timestamp": stamp} if stamp else {}
            gb.update_or_create_student(student)
            late = gb.update_or_create_submission(ASSIGNMENT, student, **extra).total_seconds_late
            found[student] = PerDayPenalty().late_submission_penalty(student, score, late)
    return found


def test_canvas_unicode_names_late_marker_reupload_and_strays(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], sandbox: Sandbox
) -> None:
    """Canvas: the id is the user id after the (Unicode) name; ``LATE`` is late, and with
    the times file the time is exact; a re-upload (higher file id, ``-1``) counts; a stray
    notebook and Mac's files are skipped; graded, the totals carry the exact penalties."""
    download = _zip(
        tmp_path / "canvas.zip",
        {
            f"müllerjürgen_1236_55503_{NB}": RIGHT,
            f"__MACOSX/._müllerjürgen_1236_55503_{NB}": b"\x00\x05",
            f"çelikayşe_LATE_1238_55510_{NB}": RIGHT,
            f"nguyễnbảo_LATE_1239_55520_{NB}": RIGHT,
            f"lovelaceada_1237_55504_{NB}": EMPTY,
            "lovelaceada_1237_55505_notes.ipynb": EMPTY,
            "lovelaceada_1237_55890_06-practice-1.ipynb": RIGHT,
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
        },
    )
    times = tmp_path / "times.csv"
    times.write_text(
        "student_id,submitted_at\n1236,2025-03-14 15:00:00\n1238,2025-03-15T20:30:00+01:00\n"
    )
    table, tail = _collect(course, str(download), "--times", str(times), capsys=capsys)
    assert table == [
        (
            "placed",
            f"müllerjürgen_1236_55503_{NB}",
            "1236",
            f"{NB}; submitted 2025-03-14 15:00:00 UTC (times file), on time",
        ),
        ("skipped", f"__MACOSX/._müllerjürgen_1236_55503_{NB}", "-", "a hidden or system file"),
        (
            "placed",
            f"çelikayşe_LATE_1238_55510_{NB}",
            "1238",
            f"{NB}; submitted 2025-03-15 19:30:00 UTC (times file), 26 h 30 min after the due date",
        ),
        (
            "placed",
            f"nguyễnbảo_LATE_1239_55520_{NB}",
            "1239",
            f"{NB}; late by Canvas's marker, time unknown: counted as one day late "
            "(give --times for the exact time)",
        ),
        (
            "superseded",
            f"lovelaceada_1237_55504_{NB}",
            "1237",
            f"{NB}: a later upload counts (lovelaceada_1237_55890_06-practice-1.ipynb)",
        ),
        (
            "skipped",
            "lovelaceada_1237_55505_notes.ipynb",
            "1237",
            f"not one of the assignment's notebooks ({NB})",
        ),
        (
            "placed",
            "lovelaceada_1237_55890_06-practice-1.ipynb",
            "1237",
            f"{NB}; on time by Canvas's marker",
        ),
        ("skipped", ".DS_Store", "-", "a hidden or system file"),
    ]
    assert tail == [
        "Due date: 2025-03-14 17:00:00 UTC.",
        "8 file(s) in the download: 4 placed, 1 superseded, 3 skipped, 0 refused.",
    ]
    layout = open_course(course)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == [
        "1236",
        "1237",
        "1238",
        "1239",
    ]
    assert (layout.submitted_dir("1237", ASSIGNMENT) / NB).read_bytes() == RIGHT
    grade_assignment(layout, ASSIGNMENT, GradeOptions(sandbox=sandbox, workers=2))
    with Gradebook(layout.db_url, layout.coursedir().course_id) as gb:
        recorded = {
            s: gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, s).late_submission_penalty
            for s in ("1236", "1237", "1238", "1239")
        }
    assert recorded == {
        "1236": None,
        "1237": None,
        "1238": 3.6,  # 26.5 hours late: two days, 20 % of 18
        "1239": 1.8,  # late by the marker alone: one day, 10 %
    }
    _questions, rows = export_rows(layout, ASSIGNMENT)
    assert [(r.student, r.total, r.max_score, r.status) for r in rows] == [
        ("1236", 18.0, 18.0, "ok"),
        ("1237", 18.0, 18.0, "ok"),
        ("1238", 14.4, 18.0, "ok"),
        ("1239", 16.2, 18.0, "ok"),
    ]
    marker_only = load_notes(layout.result_file("1239", ASSIGNMENT))
    assert marker_only is not None
    assert list(marker_only.notes) == [
        "submission time: late by Canvas's marker, time unknown: counted as one day late "
        "(give --times for the exact time)"
    ]


def test_canvas_anonymous_grading_takes_the_anonymous_id(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With anonymous grading Canvas names a file ``anon_<id>_...`` (late:
    ``LATE_anon_<id>_...``): the anonymous id is the student, never ``anon`` or ``LATE``."""
    download = _zip(
        tmp_path / "anonymous.zip",
        {f"anon_Bu7Zp_55503_{NB}": RIGHT, f"LATE_anon_Kq2Xw_55504_{NB}": RIGHT},
    )
    table, tail = _collect(course, str(download), capsys=capsys)
    assert table == [
        ("placed", f"anon_Bu7Zp_55503_{NB}", "Bu7Zp", f"{NB}; on time by Canvas's marker"),
        (
            "placed",
            f"LATE_anon_Kq2Xw_55504_{NB}",
            "Kq2Xw",
            f"{NB}; late by Canvas's marker, time unknown: counted as one day late "
            "(give --times for the exact time)",
        ),
    ]
    assert tail[-1] == "2 file(s) in the download: 2 placed, 0 superseded, 0 skipped, 0 refused."
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["Bu7Zp", "Kq2Xw"]
    assert _penalties(open_course(course), ["Bu7Zp", "Kq2Xw"]) == {"Bu7Zp": None, "Kq2Xw": 1.8}


def test_moodle_download_in_folders(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Moodle, "download in folders" on: the participant id is the student; a notebook
    that is not the assignment's and an online text are skipped; Moodle's download has
    no times, so the times file gives them, and a student it leaves out is said to have
    no known time (no penalty)."""
    download = _zip(
        tmp_path / "moodle.zip",
        {
            f"Jürgen Müller_1000001_assignsubmission_file_/{NB}": RIGHT,
            f"Ada Lovelace_1000002_assignsubmission_file_/{NB}": RIGHT,
            "Ada Lovelace_1000002_assignsubmission_file_/notes.ipynb": EMPTY,
            "Grace Hopper_1000003_assignsubmission_onlinetext_/onlinetext.html": b"<p>hi</p>",
            f"Grace Hopper_1000003_assignsubmission_file_/work/{NB}": EMPTY,
        },
    )
    times = tmp_path / "times.csv"
    times.write_text(
        "student_id,submitted_at\n1000002,2025-03-15 23:00 UTC\n1000003,2025-03-14 16:59:59\n"
    )
    table, tail = _collect(course, str(download), "--times", str(times), capsys=capsys)
    unknown = "submission time unknown: no late penalty (give --times with the upload times)"
    assert table == [
        (
            "placed",
            f"Jürgen Müller_1000001_assignsubmission_file_/{NB}",
            "1000001",
            f"{NB}; {unknown}",
        ),
        (
            "placed",
            f"Ada Lovelace_1000002_assignsubmission_file_/{NB}",
            "1000002",
            f"{NB}; submitted 2025-03-15 23:00:00 UTC (times file), 30 h 00 min after the due date",
        ),
        (
            "skipped",
            "Ada Lovelace_1000002_assignsubmission_file_/notes.ipynb",
            "1000002",
            f"not one of the assignment's notebooks ({NB})",
        ),
        (
            "skipped",
            "Grace Hopper_1000003_assignsubmission_onlinetext_/onlinetext.html",
            "1000003",
            "not a notebook (.ipynb)",
        ),
        (
            "placed",
            f"Grace Hopper_1000003_assignsubmission_file_/work/{NB}",
            "1000003",
            f"{NB}; submitted 2025-03-14 16:59:59 UTC (times file), on time",
        ),
    ]
    assert tail[-1] == "5 file(s) in the download: 3 placed, 0 superseded, 2 skipped, 0 refused."
    layout = open_course(course)
    assert _penalties(layout, ["1000001", "1000002", "1000003"]) == {
        "1000001": None,
        "1000002": 3.6,  # 30 hours late: two days, 20 % of 18
        "1000003": None,
    }
    intake = json.loads((layout.submitted_dir("1000001", ASSIGNMENT) / INTAKE_FILE).read_text())
    assert intake["note"] == unknown  # grade keeps it as a note of the student's result


def test_moodle_download_without_folders_and_blind_marking(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    download = _zip(
        tmp_path / "moodle-flat.zip",
        {
            f"Jürgen Müller_1000001_assignsubmission_file_{NB}": RIGHT,
            f"Participant_1000004_assignsubmission_file_{NB}": RIGHT,
            "Participant_1000004_assignsubmission_file_notes.txt": b"x",
        },
    )
    times = tmp_path / "times.csv"
    times.write_text(
        "student_id,submitted_at\n1000001,2025-03-14 17:10\n1000004,2025-03-24 17:00\n"
    )
    table, tail = _collect(course, str(download), "--times", str(times), capsys=capsys)
    assert [row[:3] for row in table] == [
        ("placed", f"Jürgen Müller_1000001_assignsubmission_file_{NB}", "1000001"),
        ("placed", f"Participant_1000004_assignsubmission_file_{NB}", "1000004"),
        ("skipped", "Participant_1000004_assignsubmission_file_notes.txt", "1000004"),
    ]
    assert table[0][3] == (
        f"{NB}; submitted 2025-03-14 17:10:00 UTC (times file), 0 h 10 min after the due date"
    )
    assert tail[-1] == "3 file(s) in the download: 2 placed, 0 superseded, 1 skipped, 0 refused."
    assert _penalties(open_course(course), ["1000001", "1000004"]) == {
        "1000001": None,  # 10 minutes: within the 15 minutes' grace
        "1000004": 18.0,  # ten days: everything
    }


def _receipt(user: str, name: str, attempt: str, file: str) -> bytes:
    """A Blackboard receipt, as its "download assignment" writes one per attempt."""
    return (
        f"Name: {name} ({user})\nAssignment: Practice 06\n"
        "Date Submitted: Friday, 14 March 2025 12:00:00 o'clock EDT\n"
        "Current Grade: Needs Grading\n\n"
        "Submission Field:\nThere is no student submission text data for this assignment.\n\n"
        "Comments:\nThere are no student comments for this assignment.\n\n"
        f"Files:\n\tOriginal filename: {NB}\n\tFilename: {file}\n"
    ).encode()


def test_blackboard_attempts_receipts_and_the_server_time_zone(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Blackboard: the username is the student (a receipt says where it starts, so a
    username with ``_`` is whole); the latest attempt counts; its time is in the
    server's zone (here New York, UTC-4 in March 2025); receipts are skipped."""
    files: dict[str, bytes] = {}
    for user, name, attempt, data in (
        ("alovelace", "Ada Lovelace", "2025-03-14-12-00-00", RIGHT),
        ("g_hopper", "Grace Hopper", "2025-03-13-09-00-00", EMPTY),
        ("g_hopper", "Grace Hopper", "2025-03-14-13-30-00", RIGHT),
    ):
        stem = f"Practice 06_{user}_attempt_{attempt}"
        files[f"{stem}_{NB}"] = data
        files[f"{stem}.txt"] = _receipt(user, name, attempt, f"{stem}_{NB}")
    download = _zip(tmp_path / "blackboard.zip", files)
    table, tail = _collect(course, str(download), "--timezone", "America/New_York", capsys=capsys)
    receipt = "Blackboard's receipt for the attempt"
    assert table == [
        (
            "placed",
            f"Practice 06_alovelace_attempt_2025-03-14-12-00-00_{NB}",
            "alovelace",
            f"{NB}; submitted 2025-03-14 16:00:00 UTC (Blackboard's file name), on time",
        ),
        ("skipped", "Practice 06_alovelace_attempt_2025-03-14-12-00-00.txt", "alovelace", receipt),
        (
            "superseded",
            f"Practice 06_g_hopper_attempt_2025-03-13-09-00-00_{NB}",
            "g_hopper",
            f"{NB}: a later upload counts (Practice 06_g_hopper_attempt_2025-03-14-13-30-00_{NB})",
        ),
        ("skipped", "Practice 06_g_hopper_attempt_2025-03-13-09-00-00.txt", "g_hopper", receipt),
        (
            "placed",
            f"Practice 06_g_hopper_attempt_2025-03-14-13-30-00_{NB}",
            "g_hopper",
            f"{NB}; submitted 2025-03-14 17:30:00 UTC (Blackboard's file name), "
            "0 h 30 min after the due date",
        ),
        ("skipped", "Practice 06_g_hopper_attempt_2025-03-14-13-30-00.txt", "g_hopper", receipt),
    ]
    assert tail[-1] == "6 file(s) in the download: 2 placed, 1 superseded, 3 skipped, 0 refused."
    layout = open_course(course)
    assert (layout.submitted_dir("g_hopper", ASSIGNMENT) / NB).read_bytes() == RIGHT
    assert _penalties(layout, ["alovelace", "g_hopper"]) == {"alovelace": None, "g_hopper": 1.8}
