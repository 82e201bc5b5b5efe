"""``collect``: LMS downloads into nbgrader's submitted/ layout, nothing dropped silently."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.course_layout import open_course
from autograder.errors import AutograderError
from autograder.intake.collect import collect


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
    archive = _zip(
        tmp_path / "submissions.zip",
        {
            "lovelaceada_1001_9001_problems.ipynb": (NB, DAY1),
            "lovelaceada_1001_9001_bonus.ipynb": (NB, DAY1),
            "hopperg_late_1002_9002_problems.ipynb": (NB, DAY1),
            "hopperg_late_1002_9003_problems-1.ipynb": (NB2, DAY2),
            "README.ipynb": (NB, DAY1),
            "lovelaceada_1001_9001_notes.txt": (b"hi", DAY1),
            "babbagec_1003_9004_essay.ipynb": (NB, DAY1),
        },
    )
    done = collect(open_course(course_dir), "ps1", archive)
    assert sorted(done.placed) == [
        ("1001", "bonus.ipynb"),
        ("1001", "problems.ipynb"),
        ("1002", "problems.ipynb"),
    ]
    assert sorted(done.problems) == [
        ("README.ipynb", "its name does not say which student it belongs to"),
        (
            "babbagec_1003_9004_essay.ipynb",
            "is not one of the assignment's notebooks (bonus.ipynb, problems.ipynb)",
        ),
        ("lovelaceada_1001_9001_notes.txt", "is not a notebook (.ipynb)"),
    ]
    assert done.superseded == [
        ("hopperg_late_1002_9002_problems.ipynb", "hopperg_late_1002_9003_problems-1.ipynb")
    ]
    hopper = course_dir / "submitted" / "1002" / "ps1"
    assert (hopper / "problems.ipynb").read_bytes() == NB2
    assert (hopper / "timestamp.txt").read_text() == "2025-01-16 09:30:00 UTC"


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


def test_the_command_line_reports_every_file_not_placed(
    course_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = _zip(
        tmp_path / "s.zip",
        {"ada_problems.ipynb": (NB, DAY1), "mystery.ipynb": (NB, DAY1)},
    )
    assert main(["--course-dir", str(course_dir), "collect", "ps1", str(archive)]) == 0
    out, err = capsys.readouterr()
    assert "placed problems.ipynb for ada" in out
    assert "NOT placed: mystery.ipynb: its name does not say which student" in err
    assert "1 file(s) placed in submitted/, 1 not placed." in out


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
    assert done.superseded == [
        (
            "lovelaceada_1001_9000_problems.ipynb",
            "lovelaceada_1001_9001_my-work-ps1.zip:problems.ipynb",
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
