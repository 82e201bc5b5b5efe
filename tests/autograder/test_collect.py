"""``collect``: LMS downloads into nbgrader's submitted/ layout, nothing dropped silently."""

from __future__ import annotations

import datetime
import zipfile
import zoneinfo
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.course_layout import open_course
from autograder.errors import AutograderError
from autograder.intake.collect import collect
from autograder.intake.lms import blackboard_receipt_user, read_name
from autograder.intake.times import read_times, submission_time


def _zip(path: Path, files: dict[str, tuple[bytes, tuple[int, ...]]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, (data, when) in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


NB = b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}'
NB2 = NB.replace(b"[]", b"[ ]")
DAY1 = (2025, 1, 15, 10, 0, 0)
DAY2 = (2025, 1, 16, 9, 30, 0)


def test_a_canvas_download_is_placed_and_the_latest_upload_counts(
    course_dir: Path, tmp_path: Path
) -> None:
    """Canvas's id is the number after the name; a re-upload (a higher file id, ``-1``)
    counts; the zip's dates are never a submission time; every file has its row."""
    archive = _zip(
        tmp_path / "submissions.zip",
        {
            "lovelaceada_1001_9001_problems.ipynb": (NB, DAY2),
            "lovelaceada_1001_9001_bonus.ipynb": (NB, DAY2),
            "hopperg_LATE_1002_9002_problems.ipynb": (NB, DAY2),
            "hopperg_LATE_1002_9003_problems-1.ipynb": (NB2, DAY1),
            "README.ipynb": (NB, DAY1),
            "lovelaceada_1001_9001_notes.txt": (b"hi", DAY1),
            "babbagec_1003_9004_essay.ipynb": (NB, DAY1),
            "problems.ipynb": (NB, DAY1),
        },
    )
    done = collect(open_course(course_dir), "ps1", archive)
    assert done.placed == [
        ("1001", "bonus.ipynb"),
        ("1001", "problems.ipynb"),
        ("1002", "problems.ipynb"),
    ]
    assert [(r.file, r.outcome, r.student, r.detail) for r in done.rows] == [
        ("lovelaceada_1001_9001_problems.ipynb", "placed", "1001", "problems.ipynb"),
        ("lovelaceada_1001_9001_bonus.ipynb", "placed", "1001", "bonus.ipynb"),
        (
            "hopperg_LATE_1002_9002_problems.ipynb",
            "superseded",
            "1002",
            "problems.ipynb: a later upload counts (hopperg_LATE_1002_9003_problems-1.ipynb)",
        ),
        ("hopperg_LATE_1002_9003_problems-1.ipynb", "placed", "1002", "problems.ipynb"),
        (
            "README.ipynb",
            "skipped",
            "",
            "not one of the assignment's notebooks (bonus.ipynb, problems.ipynb)",
        ),
        ("lovelaceada_1001_9001_notes.txt", "skipped", "1001", "not a notebook (.ipynb)"),
        (
            "babbagec_1003_9004_essay.ipynb",
            "skipped",
            "1003",
            "not one of the assignment's notebooks (bonus.ipynb, problems.ipynb)",
        ),
        ("problems.ipynb", "refused", "", "its name does not say which student it belongs to"),
    ]
    assert done.summary() == (
        "8 file(s) in the download: 3 placed, 1 superseded, 3 skipped, 1 refused."
    )
    hopper = course_dir / "submitted" / "1002" / "ps1"
    assert (hopper / "problems.ipynb").read_bytes() == NB2
    # no due date: late by Canvas's marker, but no time is made up
    assert not (hopper / "timestamp.txt").exists()
    assert done.times["1002"] == (
        "late by Canvas's marker, but the assignment has no due date yet: no late penalty "
        "(set the due date, then collect again, or give --times)"
    )
    assert done.times["1001"] == "on time by Canvas's marker"


def test_a_moodle_download_with_a_folder_per_student(course_dir: Path, tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "moodle.zip",
        {
            "Ada Lovelace_1001_assignsubmission_file_/problems.ipynb": (NB, DAY1),
            "Grace Hopper_1002_assignsubmission_file_/Problems.ipynb": (NB, DAY1),
        },
    )
    done = collect(open_course(course_dir), "ps1", archive)
    assert sorted(done.placed) == [("1001", "problems.ipynb"), ("1002", "problems.ipynb")]
    assert done.problems == []


def test_a_folder_of_student_folders(course_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "downloads"
    for student in ("ada", "grace"):
        (source / student / "ps1").mkdir(parents=True)
        (source / student / "ps1" / "problems.ipynb").write_bytes(NB)
    (source / "grace" / "ps1" / "link.ipynb").symlink_to("/etc/hostname")
    done = collect(open_course(course_dir), "ps1", source)
    assert sorted(done.placed) == [("ada", "problems.ipynb"), ("grace", "problems.ipynb")]
    assert done.problems == [("grace/ps1/link.ipynb", "is a link, not a file")]
    assert done.times == {"ada": "submission time unknown", "grace": "submission time unknown"}
    assert not (course_dir / "submitted" / "ada" / "ps1" / "timestamp.txt").exists()


def test_unsafe_archive_paths_are_refused(course_dir: Path, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "evil.zip", {"../escape_problems.ipynb": (NB, DAY1)})
    done = collect(open_course(course_dir), "ps1", archive)
    assert done.placed == []
    assert done.problems == [("../escape_problems.ipynb", "has an unsafe path")]
    assert not (course_dir.parent / "escape_problems.ipynb").exists()


def test_a_custom_pattern(course_dir: Path, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "lms.zip", {"ps1--s123--problems.ipynb": (NB, DAY1)})
    done = collect(
        open_course(course_dir),
        "ps1",
        archive,
        pattern=r"ps1--(?P<student>s\d+)--(?P<file>.+)",
    )
    assert done.placed == [("s123", "problems.ipynb")]


def test_the_command_line_lists_every_file_in_a_table(
    course_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = _zip(
        tmp_path / "s.zip",
        {"ada_problems.ipynb": (NB, DAY1), "mystery.ipynb": (NB, DAY1), ".hidden": (b"", DAY1)},
    )
    assert main(["--course-dir", str(course_dir), "collect", "ps1", str(archive)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "OUTCOME  FILE                STUDENT  DETAIL",
        "placed   ada_problems.ipynb  ada      problems.ipynb; submission time unknown",
        "skipped  mystery.ipynb       -        not one of the assignment's notebooks "
        "(bonus.ipynb, problems.ipynb)",
        "skipped  .hidden             -        a hidden or system file",
        "Due date: none set in the gradebook.",
        "3 file(s) in the download: 1 placed, 0 superseded, 2 skipped, 0 refused.",
    ]


def test_nothing_placed_exits_1(
    course_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = _zip(tmp_path / "s.zip", {"problems.ipynb": (NB, DAY1)})
    assert main(["--course-dir", str(course_dir), "collect", "ps1", str(archive)]) == 1
    assert "0 placed, 0 superseded, 0 skipped, 1 refused." in capsys.readouterr().out


def test_a_file_that_is_no_archive_is_a_clear_error(course_dir: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "grades.zip"
    bogus.write_text("not a zip")
    with pytest.raises(AutograderError, match=r"neither a folder nor a readable \.zip"):
        collect(open_course(course_dir), "ps1", bogus)
    assert bogus.read_text() == "not a zip"  # the archive itself is left as it was


def _work_zip(files: dict[str, bytes]) -> bytes:
    """A student's "Download my work" zip, as course.workzip makes it."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_download_my_work_zip_uploaded_to_the_lms_is_opened(
    course_dir: Path, tmp_path: Path
) -> None:
    """The zip's assignment notebooks are placed; other files in it are ignored;
    a zip without them, or not a zip at all, is reported, never dropped silently."""
    work = _work_zip({"ps1/problems.ipynb": NB2, "ps1/notes.txt": b"mine", "ps1/x.ipynb": NB})
    archive = _zip(
        tmp_path / "submissions.zip",
        {
            "lovelaceada_1001_9001_my-work-ps1.zip": (work, DAY2),
            "lovelaceada_1001_9000_problems.ipynb": (NB, DAY1),
            "hopperg_1002_9002_my-work-ps1.zip": (_work_zip({"ps1/a.txt": b"x"}), DAY1),
            "babbagec_1003_9004_my-work-ps1.zip": (b"not a zip", DAY1),
        },
    )
    done = collect(open_course(course_dir), "ps1", archive)
    assert done.placed == [("1001", "problems.ipynb")]
    assert [(r.file, r.detail) for r in done.of("superseded")] == [
        (
            "lovelaceada_1001_9000_problems.ipynb",
            "problems.ipynb: a later upload counts (lovelaceada_1001_9001_my-work-ps1.zip)",
        )
    ]
    problems = dict(done.problems)
    assert problems["hopperg_1002_9002_my-work-ps1.zip"] == (
        "is a .zip without the assignment's notebook (bonus.ipynb, problems.ipynb)"
    )
    assert problems["babbagec_1003_9004_my-work-ps1.zip"].startswith(
        "is a .zip that cannot be read"
    )
    placed = course_dir / "submitted" / "1001" / "ps1" / "problems.ipynb"
    assert placed.read_bytes() == NB2


@pytest.mark.parametrize(
    ("path", "student", "file", "lms", "late"),
    [
        ("müllerjürgen_1236_55503_06-practice.ipynb", "1236", "06-practice.ipynb", "Canvas", False),
        (
            "müllerjürgen_LATE_1236_55503_06-practice.ipynb",
            "1236",
            "06-practice.ipynb",
            "Canvas",
            True,
        ),
        ("smith2john_late_77_88_06-practice-1.ipynb", "77", "06-practice-1.ipynb", "Canvas", True),
        ("anon_Bu7Zp_55503_06-practice.ipynb", "Bu7Zp", "06-practice.ipynb", "Canvas", False),
        ("LATE_anon_Bu7Zp_55503_06-practice.ipynb", "Bu7Zp", "06-practice.ipynb", "Canvas", True),
        (
            "Group A-Ada Lovelace_1000002_assignsubmission_file_/06-practice.ipynb",
            "1000002",
            "06-practice.ipynb",
            "Moodle",
            None,
        ),
        (
            "Participant_1000004_assignsubmission_file_06-practice.ipynb",
            "1000004",
            "06-practice.ipynb",
            "Moodle",
            None,
        ),
        (
            "Practice 06_alovelace_attempt_2025-03-14-16-00-00_06-practice.ipynb",
            "alovelace",
            "06-practice.ipynb",
            "Blackboard",
            None,
        ),
        ("ada/ps1/06-practice.ipynb", "ada", "06-practice.ipynb", "", None),
        ("ada_06-practice.ipynb", "ada", "06-practice.ipynb", "", None),
    ],
)
def test_each_lms_name_gives_the_lms_id(
    path: str, student: str, file: str, lms: str, late: bool | None
) -> None:
    named = read_name(path)
    assert named is not None
    assert (named.student, named.file, named.lms, named.late) == (student, file, lms, late)


def test_a_blackboard_receipt_says_where_a_username_with_an_underscore_starts() -> None:
    path = "Practice 06_a_turing_attempt_2025-03-15-12-00-00_06-practice.ipynb"
    assert read_name(path).student == "turing"  # type: ignore[union-attr]  # no receipt: a guess
    receipts = {"Practice 06_a_turing_attempt_2025-03-15-12-00-00": "a_turing"}
    assert read_name(path, receipts=receipts).student == "a_turing"  # type: ignore[union-attr]
    assert blackboard_receipt_user("Name: Alan Turing (a_turing)\nAssignment: x\n") == "a_turing"


def test_names_that_say_no_student_are_not_taken_for_ids() -> None:
    assert read_name("LATE_06-practice.ipynb") is None
    assert read_name("anon_06-practice.ipynb") is None
    assert read_name("06-practice.ipynb") is None


def test_times_file_and_its_errors(tmp_path: Path) -> None:
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    good = tmp_path / "times.csv"
    good.write_text(
        "student_id,submitted_at\n"
        "a,2025-03-14T16:30:00Z\nb,2025-03-14 16:30 UTC\nc,2025-03-14 17:30:00+01:00\n"
        "d,2025-03-14 17:30:00\n\n"
    )
    utc = datetime.timezone.utc
    want = datetime.datetime(2025, 3, 14, 16, 30, tzinfo=utc)
    assert {k: v.astimezone(utc) for k, v in read_times(good, berlin).items()} == dict.fromkeys(
        "abcd", want
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("id,time\n")
    with pytest.raises(AutograderError, match="the first line must be the header"):
        read_times(bad, utc)
    bad.write_text("student_id,submitted_at\na,2025-03-14 16:30\nb,14/03/2025\n")
    with pytest.raises(AutograderError, match=r"line 3: '14/03/2025' is not a date and time"):
        read_times(bad, utc)


def test_a_time_zone_that_does_not_exist_is_a_usage_error(
    course_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = _zip(tmp_path / "s.zip", {"ada_problems.ipynb": (NB, DAY1)})
    with pytest.raises(SystemExit) as stopped:
        main(
            [
                "--course-dir",
                str(course_dir),
                "collect",
                "ps1",
                str(archive),
                "--timezone",
                "Mars/Olympus",
            ]
        )
    assert stopped.value.code == 2
    assert "'Mars/Olympus' is not a time zone name" in capsys.readouterr().err


def test_a_damaged_latest_upload_is_refused_and_the_one_before_it_placed(
    course_dir: Path, tmp_path: Path
) -> None:
    archive = _zip(
        tmp_path / "canvas.zip",
        {
            "hopperg_1002_9002_problems.ipynb": (NB, DAY1),
            "hopperg_1002_9003_problems-1.ipynb": (NB2 * 50, DAY2),
        },
    )
    data = bytearray(archive.read_bytes())
    body = data.find(b"problems-1.ipynb") + len("problems-1.ipynb")
    data[body + 10 : body + 20] = bytes(10)  # the later upload's bytes, damaged
    archive.write_bytes(bytes(data))
    done = collect(open_course(course_dir), "ps1", archive)
    assert [(r.file, r.outcome) for r in done.rows] == [
        ("hopperg_1002_9002_problems.ipynb", "placed"),
        ("hopperg_1002_9003_problems-1.ipynb", "refused"),
    ]
    assert done.problems[0][1].startswith("is damaged (")
    assert (course_dir / "submitted" / "1002" / "ps1" / "problems.ipynb").read_bytes() == NB


UTC = datetime.timezone.utc
DUE = datetime.datetime(2025, 3, 14, 17, 0, tzinfo=UTC)
AT = datetime.datetime(2025, 3, 14, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("marker", "name_time", "given", "due", "when", "said"),
    [
        (
            True,
            None,
            AT,
            DUE,
            AT,
            "submitted 2025-03-14 18:00:00 UTC (times file), 1 h 00 min after the due date",
        ),
        (
            False,
            None,
            AT,
            DUE,
            AT,
            "submitted 2025-03-14 18:00:00 UTC (times file), "
            "1 h 00 min after the due date; Canvas marks it on time: the times file counts",
        ),
        (None, AT, None, None, AT, "submitted 2025-03-14 18:00:00 UTC (Canvas's file name)"),
        (
            True,
            None,
            None,
            DUE,
            DUE + datetime.timedelta(days=1),
            "late by Canvas's marker, "
            "time unknown: counted as one day late (give --times for the exact time)",
        ),
        (False, None, None, DUE, None, "on time by Canvas's marker"),
        (
            None,
            None,
            None,
            DUE,
            None,
            "submission time unknown: no late penalty (give --times with the upload times)",
        ),
        (None, None, None, None, None, "submission time unknown"),
    ],
)
def test_the_submission_time_rule(
    marker: bool | None,
    name_time: datetime.datetime | None,
    given: datetime.datetime | None,
    due: datetime.datetime | None,
    when: datetime.datetime | None,
    said: str,
) -> None:
    got, text, _record = submission_time("Canvas", marker, name_time, given, due)
    assert (got, text) == (when, said)


def test_names_written_in_utf8_without_the_zip_flag_are_read_as_utf8(
    course_dir: Path, tmp_path: Path
) -> None:
    """Some LMS zip libraries write UTF-8 names without setting the zip's UTF-8 flag
    (a zip reader then shows cp437: ``m├╝ller...``); the name is read as UTF-8."""
    name = "müllerjürgen_1236_55503_problems.ipynb"
    archive = _zip(tmp_path / "canvas.zip", {name: (NB, DAY1)})
    data = bytearray(archive.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        head = data.find(signature)
        flags = int.from_bytes(data[head + offset : head + offset + 2], "little")
        assert flags & 0x800  # Python wrote the flag: take it off
        data[head + offset : head + offset + 2] = (flags & ~0x800).to_bytes(2, "little")
    archive.write_bytes(bytes(data))
    with zipfile.ZipFile(archive) as raw:
        assert raw.namelist() == [name.encode().decode("cp437")]
    done = collect(open_course(course_dir), "ps1", archive)
    assert [(r.file, r.outcome, r.student) for r in done.rows] == [(name, "placed", "1236")]
