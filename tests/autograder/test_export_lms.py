"""``export --format canvas|moodle|nbgrader`` and ``export --all``: each file read back by a
strict reader written from the LMS's import format (``fixtures/lms_formats.py``), and
compared exactly."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.cli import main
from autograder.course_layout import open_course
from autograder.engine.grade import BatchResult, GradeOptions, grade_assignment
from autograder.engine.sandbox import Sandbox
from autograder.outputs.export import assignment_grades, detail_csv
from autograder.outputs.lms import moodle_csv
from tests.autograder.fixtures.lms_formats import (
    FormatError,
    read_canvas,
    read_moodle,
    read_nbgrader,
)

pytestmark = pytest.mark.slow

HOSTILE_FIRST = '=HYPERLINK("http://evil.example/x","click")'
HOSTILE_LAST = 'Doe, "Jr"\nSmith'
ROSTER = {
    "alice": ("Alice", "Archer", "alice@example.org", "1001"),
    "bob": ("Bob", "Baker", "bob@example.org", None),
    "carol": (HOSTILE_FIRST, HOSTILE_LAST, "carol@example.org", None),
    "zed": ("Zed", "Zulu", "zed@example.org", None),  # on the roster, handed nothing in
}
PARTICIPANTS = {"alice": 1, "bob": 2, "carol": 3, "dave": 4, "erin": 5, "frank": 6, "zed": 7}
MOODLE_IDS = [f"--moodle-id={s}=100000{n}" for s, n in PARTICIPANTS.items()]


@pytest.fixture(scope="module")
def course(
    graded_class: tuple[Path, BatchResult], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The graded class with a roster: names, emails, a Canvas user number, a hostile name."""
    root = tmp_path_factory.mktemp("lms") / "course"
    shutil.copytree(graded_class[0], root)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "itil-svc") as gb:
        for student, (first, last, email, lms) in ROSTER.items():
            gb.update_or_create_student(
                student, first_name=first, last_name=last, email=email, lms_user_id=lms
            )
    return root


def _export(course: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    assert main(["--course-dir", str(course), "export", *args]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


EXPECTED_CANVAS = (
    "Student,ID,SIS User ID,SIS Login ID,Section,ps1 (55503)\n"
    "Points Possible,,,,,9\n"
    '"Archer, Alice",1001,,alice,,9\n'
    '"Baker, Bob",,,bob,,0\n'
    '"Doe, ""Jr"" Smith, =HYPERLINK(""http://evil.example/x"",""click"")",,,carol,,6\n'
    "dave,,,dave,,9\n"
    "erin,,,erin,,6\n"
    "frank,,,frank,,\n"
    '"Zulu, Zed",,,zed,,\n'
)
FRANK_WHY = (
    "bonus.ipynb: is not valid JSON (line 1, column 2: Expecting property name enclosed in "
    "double quotes); problems.ipynb: q2-answer (In [3]) ran longer than the time limit "
    "and was stopped"
)
BLANKS = f"left blank in ps1: frank: {FRANK_WHY}\nleft blank in ps1: zed: no submission\n"


def test_the_canvas_file_imports_with_totals_and_the_points_possible_row(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Canvas finds the assignment by its id and each student by ID or SIS Login ID; an
    undecided grade (frank needs review, zed handed nothing in) is left blank."""
    target = tmp_path / "canvas.csv"
    _, err = _export(
        course, "ps1", "--format", "canvas", "--canvas-id", "ps1=55503",
        "--output", str(target), capsys=capsys,
    )  # fmt: skip
    text = target.read_text(encoding="utf-8")
    assert text == EXPECTED_CANVAS
    read = read_canvas(text)
    assert read.assignments == {"ps1": ("55503", 9.0)}
    assert [(s.user_id, s.login, s.grades["ps1"]) for s in read.students] == [
        ("1001", "alice", 9.0),
        ("", "bob", 0.0),
        ("", "carol", 6.0),
        ("", "dave", 9.0),
        ("", "erin", 6.0),
        ("", "frank", None),
        ("", "zed", None),
    ]
    assert BLANKS in err


def test_the_per_question_detail_is_written_beside_the_lms_file(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "canvas.csv"
    _export(
        course, "ps1", "--format=canvas", "--canvas-id=ps1=55503", "--output", str(target),
        capsys=capsys,
    )  # fmt: skip
    beside = tmp_path / "out" / "canvas-questions.csv"
    detail = beside.read_text(encoding="utf-8")
    assert detail == detail_csv(assignment_grades(open_course(course), "ps1"))
    lines = detail.splitlines()
    assert lines[0] == (
        "student,first_name,last_name,email,q4-test,q1-test,q2-test,q3-test,"
        "total,max_score,status,reason"
    )
    assert lines[1] == "alice,Alice,Archer,alice@example.org,2,2,1,4,9,9,ok,"
    assert lines[-1] == "zed,Zed,Zulu,zed@example.org,,,,,0,9,not-submitted,no submission"


def test_canvas_without_the_assignment_id_says_what_is_missing(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--course-dir", str(course), "export", "ps1", "--format", "canvas"]) == 2
    err = capsys.readouterr().err
    assert "Canvas needs the id of each assignment it imports" in err
    assert "missing for ps1: add --canvas-id ps1=NUMBER" in err
    assert main(["--course-dir", str(course), "export", "ps1", "--format=canvas",
                 "--canvas-id", "ps1=abc"]) == 2  # fmt: skip
    assert "--canvas-id 'ps1=abc': write NAME=NUMBER" in capsys.readouterr().err


WHEN = datetime.datetime(2025, 1, 20, 16, 5, tzinfo=datetime.timezone.utc)
SUBMITTED = '"Wednesday, 15 January 2025, 10:00 AM"'
GRADED = '"Monday, 20 January 2025, 4:05 PM"'
EXPECTED_MOODLE = (
    "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
    "Last modified (submission),Last modified (grade),Feedback comments\n"
    f"Participant 1000001,Alice Archer,alice@example.org,Submitted for grading,9,9,Yes,"
    f"{SUBMITTED},{GRADED},Autograded: 9 / 9\n"
    f"Participant 1000002,Bob Baker,bob@example.org,Submitted for grading,0,9,Yes,"
    f"{SUBMITTED},{GRADED},Autograded: 0 / 9\n"
    f'Participant 1000003,"\'=HYPERLINK(""http://evil.example/x"",""click"") Doe, ""Jr"" '
    f'Smith",carol@example.org,Submitted for grading,6,9,Yes,{SUBMITTED},{GRADED},'
    "Autograded: 6 / 9\n"
    f"Participant 1000004,dave,,Submitted for grading,9,9,Yes,{SUBMITTED},{GRADED},"
    "Autograded: 9 / 9\n"
    f"Participant 1000005,erin,,Submitted for grading,6,9,Yes,{SUBMITTED},{GRADED},"
    "Autograded: 6 / 9\n"
    f"Participant 1000006,frank,,Submitted for grading,,9,Yes,{SUBMITTED},{GRADED},\n"
    f"Participant 1000007,Zed Zulu,zed@example.org,No submission,,9,Yes,-,{GRADED},\n"
)


def test_the_moodle_worksheet_names_each_participant_and_imports(course: Path) -> None:
    participants = {s: f"100000{n}" for s, n in PARTICIPANTS.items()}
    text = moodle_csv(assignment_grades(open_course(course), "ps1"), participants, WHEN)
    assert text == EXPECTED_MOODLE
    rows = read_moodle(text)
    assert [(r.participant, r.grade, r.maximum) for r in rows] == [
        (1000001, 9.0, 9.0),
        (1000002, 0.0, 9.0),
        (1000003, 6.0, 9.0),
        (1000004, 9.0, 9.0),
        (1000005, 6.0, 9.0),
        (1000006, None, 9.0),
        (1000007, None, 9.0),
    ]
    assert rows[0].modified == datetime.datetime(2025, 1, 20, 16, 5)
    assert rows[0].submitted == datetime.datetime(2025, 1, 15, 10, 0)
    assert rows[-1].submitted is None


def test_the_moodle_export_takes_ids_from_the_command_line_or_says_which_are_missing(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, err = _export(course, "ps1", "--format", "moodle", *MOODLE_IDS, capsys=capsys)
    assert [r.participant for r in read_moodle(out)] == [1000000 + n for n in range(1, 8)]
    assert BLANKS in err
    assert main(["--course-dir", str(course), "export", "ps1", "--format", "moodle",
                 "--moodle-id", "alice=1000001"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "no number for bob, carol, dave, erin, frank, zed: add --moodle-id bob=NUMBER" in err


EXPECTED_NBGRADER = (
    "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,"
    "late_submission_penalty,score,max_score\n"
    "ps1,,2025-01-15 10:00:00,alice,Archer,Alice,alice@example.org,9.0,0.0,9.0,9.0\n"
    "ps1,,2025-01-15 10:00:00,bob,Baker,Bob,bob@example.org,0.0,0.0,0.0,9.0\n"
    'ps1,,2025-01-15 10:00:00,carol,"Doe, ""Jr"" Smith",'
    '"\'=HYPERLINK(""http://evil.example/x"",""click"")",carol@example.org,6.0,0.0,6.0,9.0\n'
    "ps1,,2025-01-15 10:00:00,dave,,,,9.0,0.0,9.0,9.0\n"
    "ps1,,2025-01-15 10:00:00,erin,,,,6.0,0.0,6.0,9.0\n"
    "ps1,,2025-01-15 10:00:00,frank,,,,,,,9.0\n"
    "ps1,,,zed,Zulu,Zed,zed@example.org,0.0,0.0,0.0,9.0\n"
)


def test_the_nbgrader_file_has_nbgraders_columns_with_names_and_emails(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As ``nbgrader export``: a missing submission scores 0 with no timestamp; an undecided
    one (frank) is left blank rather than exported as a number."""
    out, _ = _export(course, "ps1", "--format", "nbgrader", capsys=capsys)
    assert out == EXPECTED_NBGRADER
    rows = read_nbgrader(out)
    assert [(r["student_id"], r["email"], r["score"]) for r in rows][:2] == [
        ("alice", "alice@example.org", "9.0"),
        ("bob", "bob@example.org", "0.0"),
    ]


def test_a_hostile_roster_name_stays_one_text_cell_in_every_format(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``=HYPERLINK(...)``, a comma, a line break and quotes in a name: every reader gets
    one cell, on one line, that no spreadsheet runs."""
    canvas, _ = _export(course, "ps1", "--format=canvas", "--canvas-id=ps1=55503", capsys=capsys)
    moodle, _ = _export(course, "ps1", "--format=moodle", *MOODLE_IDS, capsys=capsys)
    nbgrader, _ = _export(course, "ps1", "--format=nbgrader", capsys=capsys)
    detail, _ = _export(course, "ps1", capsys=capsys)
    assert read_canvas(canvas).students[2].name == (
        'Doe, "Jr" Smith, =HYPERLINK("http://evil.example/x","click")'
    )
    assert read_moodle(moodle)[2].name == (
        '\'=HYPERLINK("http://evil.example/x","click") Doe, "Jr" Smith'
    )
    carol = read_nbgrader(nbgrader)[2]
    assert (carol["first_name"], carol["last_name"]) == (
        '\'=HYPERLINK("http://evil.example/x","click")',
        'Doe, "Jr" Smith',
    )
    assert detail.splitlines()[3].startswith(
        'carol,"\'=HYPERLINK(""http://evil.example/x"",""click"")","Doe, ""Jr"" Smith",'
    )


def test_the_strict_readers_refuse_what_the_lms_would_not_import() -> None:
    """The readers are not a formality: each rule rejects a file that breaks it."""
    good = "Student,ID,SIS User ID,SIS Login ID,Section,ps1 (5)\nPoints Possible,,,,,9\n"
    read_canvas(good + "a,1,,,,9\n")
    bad_canvas = {
        "Student,ID,SIS User ID,SIS Login ID,ps1 (5)\nPoints Possible,,,,9\n": "header",
        good.replace(" (5)", ""): "names no assignment id",
        good.replace("Points Possible", "a") : "Points Possible",
        good + "a,1,,,,10\n": "above the maximum",
        good + "a,,,,,9\n": "no ID",
        good + "=cmd(),1,,,,9\n": "formula",
        good + '"a\nb",1,,,,9\n': "spans lines",
    }  # fmt: skip
    for text, why in bad_canvas.items():
        with pytest.raises(FormatError, match=why):
            read_canvas(text)
    header = EXPECTED_MOODLE.splitlines()[0] + "\n"
    row = (
        "Participant 5,A,,Submitted for grading,{grade},9,Yes,-,"
        '"Monday, 20 January 2025, 4:05 PM",\n'
    )
    assert read_moodle(header + row.format(grade="9"))[0].participant == 5
    with pytest.raises(FormatError, match="above the maximum"):
        read_moodle(header + row.format(grade="10"))
    with pytest.raises(FormatError, match="Identifier"):
        read_moodle(header + row.format(grade="9").replace("Participant 5", "5"))
    with pytest.raises(FormatError, match="not a date"):
        read_moodle(header + row.format(grade="9").replace("Monday, 20", "2025-01-20"))
    with pytest.raises(FormatError, match="header"):
        read_moodle(header.replace("Identifier", "ID") + row.format(grade="9"))
    with pytest.raises(FormatError, match="raw minus penalty"):
        read_nbgrader(EXPECTED_NBGRADER.replace("9.0,0.0,9.0,9.0", "9.0,1.0,9.0,9.0", 1))


@pytest.fixture(scope="module")
def two_assignments(course: Path, sandbox: Sandbox) -> Path:
    """The roster course with a second assignment, ps2, handed in by alice and bob only."""
    root = course.parent / "two"
    shutil.copytree(course, root)
    shutil.copytree(root / "source" / "ps1", root / "source" / "ps2")
    for student in ("alice", "bob"):
        shutil.copytree(root / "submitted" / student / "ps1", root / "submitted" / student / "ps2")
    options = GradeOptions(sandbox=sandbox, workers=2, timeout=5)
    grade_assignment(open_course(root), "ps2", options)
    return root


def test_the_whole_course_is_one_row_per_student_and_one_column_per_assignment(
    two_assignments: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = two_assignments
    detail, _ = _export(course, "--all", capsys=capsys)
    assert detail.splitlines()[:3] == [
        "student,first_name,last_name,email,ps1,ps2,total,max_score,notes",
        "alice,Alice,Archer,alice@example.org,9,9,18,18,",
        "bob,Bob,Baker,bob@example.org,0,0,0,18,",
    ]
    assert detail.splitlines()[4] == "dave,,,,9,,9,18,ps2: no submission"
    canvas, err = _export(
        course, "--all", "--format=canvas", "--canvas-id=ps1=55503", "--canvas-id=ps2=55504",
        capsys=capsys,
    )  # fmt: skip
    read = read_canvas(canvas)
    assert read.assignments == {"ps1": ("55503", 9.0), "ps2": ("55504", 9.0)}
    assert [(s.login, s.grades) for s in read.students][:4] == [
        ("alice", {"ps1": 9.0, "ps2": 9.0}),
        ("bob", {"ps1": 0.0, "ps2": 0.0}),
        ("carol", {"ps1": 6.0, "ps2": None}),
        ("dave", {"ps1": 9.0, "ps2": None}),
    ]
    assert "left blank in ps2: carol: no submission" in err
    nbgrader, _ = _export(course, "--all", "--format=nbgrader", capsys=capsys)
    rows = read_nbgrader(nbgrader)
    assert [(r["assignment"], r["student_id"]) for r in rows][6:9] == [
        ("ps1", "zed"),
        ("ps2", "alice"),
        ("ps2", "bob"),
    ]
    folder = tmp_path / "moodle"
    _export(course, "--all", "--format=moodle", *MOODLE_IDS, "--output", str(folder), capsys=capsys)
    assert sorted(p.name for p in folder.iterdir()) == [
        "ps1-moodle.csv",
        "ps1-questions.csv",
        "ps2-moodle.csv",
        "ps2-questions.csv",
    ]
    ps2 = read_moodle((folder / "ps2-moodle.csv").read_text(encoding="utf-8"))
    assert [(r.participant, r.grade) for r in ps2][:3] == [
        (1000001, 9.0),
        (1000002, 0.0),
        (1000003, None),
    ]


def test_export_asks_for_one_assignment_or_all(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--course-dir", str(course), "export"]) == 2
    assert "name one assignment, or give --all" in capsys.readouterr().err
    assert main(["--course-dir", str(course), "export", "--all", "--format=moodle",
                 *MOODLE_IDS]) == 2  # fmt: skip
    assert "give --output FOLDER" in capsys.readouterr().err
