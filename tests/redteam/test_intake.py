"""Red team on intake: every file goes where it belongs, or is refused with why.

- Moodle: a folder inside one student's upload, named like another student's
  submission folder, does not replace that student's work;
- an LMS download with encrypted, unsupported or damaged zip members, or a
  "Download my work" zip holding the notebook sixty times, places the honest
  uploads and refuses those with the reason (nothing read unbounded);
- ``collect`` lists superseded uploads and skipped hidden files;
- the nbgrader exchange: links (to the answer key, to the gradebook), hard links
  and FIFOs in a submission are not collected and become reasons for review, and
  the submission time is the exchange's, not the one the student wrote.
"""

from __future__ import annotations

import copy
import datetime
import io
import os
import tracemalloc
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from autograder.cli import main
from autograder.config import GradingLimits, limits_from
from autograder.course_layout import open_course
from autograder.engine.answer_key import prepare_assignment
from autograder.errors import AutograderError
from autograder.intake.archive import BUFFER
from autograder.intake.collect import collect
from autograder.intake.exchange import INTAKE_FILE, SafeCollect, read_intake
from autograder.intake.submission import load_submission
from tests.autograder.fixtures.course_fixture import (
    CORRECT,
    WRONG,
    answered,
    copy_course,
    make_template,
)

NB = "problems.ipynb"


def _nb_bytes(course: Path, answers: dict[str, str], name: str = "problems") -> bytes:
    return nbformat.writes(answered(course, name, answers)).encode()


def test_moodle_the_outermost_folder_decides_the_student(course_dir: Path, tmp_path: Path) -> None:
    """Ada's upload holds a folder named like Grace's submission folder: it stays Ada's,
    and Grace's own upload is what Grace is graded on."""
    ada, grace = _nb_bytes(course_dir, WRONG), _nb_bytes(course_dir, CORRECT)
    source = tmp_path / "moodle.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(
            f"Ada Lovelace_1001_assignsubmission_file_/x_1002_assignsubmission_file_/{NB}", ada
        )
        archive.writestr(f"Grace Hopper_1002_assignsubmission_file_/{NB}", grace)
    layout = open_course(course_dir)
    done = collect(layout, "ps1", source)
    assert sorted(done.placed) == [("1001", NB), ("1002", NB)]
    assert (layout.submitted_dir("1002", "ps1") / NB).read_bytes() == grace
    assert (layout.submitted_dir("1001", "ps1") / NB).read_bytes() == ada


_FLAGS = (6, 8)  # offsets in the local and the central header
_METHOD = (8, 10)


def _patch(data: bytearray, name: bytes, offsets: tuple[int, int], value: int) -> None:
    """Overwrite a 2-byte field of both headers (local and central) that name ``name``."""
    start = 0
    while (at := data.find(name, start)) != -1:
        for signature, name_at, offset in (
            (b"PK\x03\x04", 30, offsets[0]),
            (b"PK\x01\x02", 46, offsets[1]),
        ):
            head = at - name_at
            if head >= 0 and data[head : head + 4] == signature:
                data[head + offset : head + offset + 2] = value.to_bytes(2, "little")
        start = at + 1


def _patch_size(data: bytearray, name: bytes, size: int) -> None:
    """Overwrite the uncompressed size of both headers that name ``name``."""
    start = 0
    while (at := data.find(name, start)) != -1:
        for signature, name_at, offset in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
            head = at - name_at
            if head >= 0 and data[head : head + 4] == signature:
                data[head + offset : head + offset + 4] = size.to_bytes(4, "little")
        start = at + 1


def test_bad_zip_members_are_refused_with_the_reason_and_the_rest_is_placed(
    course_dir: Path, tmp_path: Path
) -> None:
    honest = _nb_bytes(course_dir, CORRECT)
    work = io.BytesIO()
    with zipfile.ZipFile(work, "w", zipfile.ZIP_DEFLATED) as inner:
        for number in range(60):  # sixty copies: refused from the zip's listing, none read
            inner.writestr(f"copy{number}/ps1/{NB}", b" " * (2 * 1024 * 1024))
    source = tmp_path / "lms.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(f"ada/{NB}", honest)
        archive.writestr(f"bob/{NB}", honest)
        archive.writestr(f"cat/{NB}", honest)
        archive.writestr(zipfile.ZipInfo(f"dan/{NB}"), honest, zipfile.ZIP_DEFLATED)
        archive.writestr("eve/my-work.zip", work.getvalue())
    data = bytearray(source.read_bytes())
    _patch(data, f"bob/{NB}".encode(), _FLAGS, 0x1)  # marked encrypted
    _patch(data, f"cat/{NB}".encode(), _METHOD, 99)  # compression method 99
    body = data.find(b"dan/" + NB.encode()) + len(f"dan/{NB}")
    data[body : body + 40] = bytes(40)  # the compressed stream, damaged
    source.write_bytes(bytes(data))
    done = collect(open_course(course_dir), "ps1", source)
    assert done.placed == [("ada", NB)]
    problems = dict(done.problems)
    assert problems[f"bob/{NB}"] == "is encrypted"
    assert problems[f"cat/{NB}"].startswith("is compressed in a way that is not supported")
    assert problems[f"dan/{NB}"].startswith("is damaged (")
    assert problems["eve/my-work.zip"] == f"holds {NB} more than once"


def test_collect_lists_superseded_uploads_and_skipped_files_and_prints_no_escape(
    course_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "blackboard.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(f"ps1_ada_attempt_2025-01-15-10-00-00_{NB}", b"{}")
        archive.writestr(f"ps1_ada_attempt_2025-01-16-10-00-00_{NB}", b"{}")
        archive.writestr("ada/.DS_Store", b"x")
        archive.writestr(f"__MACOSX/ada/._{NB}", b"x")
        archive.writestr("ada/\x1b]0;owned\x07\x1b[2J.txt", b"x")
        archive.writestr(f"\u202eevil_{NB}", b"{}")
    assert main(["collect", "ps1", str(source), "--course-dir", str(course_dir)]) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err
    assert "\u202e" not in out + err
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert lines == [
        "OUTCOME FILE STUDENT DETAIL",
        f"superseded ps1_ada_attempt_2025-01-15-10-00-00_{NB} ada {NB}: a later upload counts "
        f"(ps1_ada_attempt_2025-01-16-10-00-00_{NB})",
        f"placed ps1_ada_attempt_2025-01-16-10-00-00_{NB} ada {NB}; submitted 2025-01-16 "
        "10:00:00 UTC (Blackboard's file name)",
        "skipped ada/.DS_Store - a hidden or system file",
        f"skipped __MACOSX/ada/._{NB} - a hidden or system file",
        "skipped ada/\\x1b]0;owned\\x07\\x1b[2J.txt ada not a notebook (.ipynb)",
        f"refused \\u202eevil_{NB} - '\\u202eevil' cannot be used as a student id "
        "(letters, digits and . _ @ + - only, starting with a letter or digit, at most 100)",
        "Due date: none set in the gradebook.",
        "6 file(s) in the download: 1 placed, 1 superseded, 3 skipped, 1 refused.",
    ]


def _limited(**limits: int) -> GradingLimits:
    return limits_from(Config(), **limits)


def test_a_member_over_the_size_limit_is_refused_by_its_stated_and_its_real_size(
    course_dir: Path, tmp_path: Path
) -> None:
    """A 30 MB notebook over a 10 MB limit, and one whose zip header claims 1 KB but
    holds 30 MB, are refused with the reason; the honest upload beside them is placed."""
    honest = _nb_bytes(course_dir, CORRECT)
    big = b" " * (30 * 1024 * 1024)
    source = tmp_path / "lms.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"ada/{NB}", honest)
        archive.writestr(f"bob/{NB}", big)
        archive.writestr(f"cat/{NB}", big)
    data = bytearray(source.read_bytes())
    _patch_size(data, f"cat/{NB}".encode(), 1024)  # the header lies about the size
    source.write_bytes(bytes(data))
    done = collect(open_course(course_dir), "ps1", source, limits=_limited(upload_file_mb=10))
    assert done.placed == [("ada", NB)]
    problems = dict(done.problems)
    assert problems[f"bob/{NB}"] == (
        "is too large (30.0 MB; collect takes files up to 10.0 MB, c.GradingLimits.upload_file_mb)"
    )
    assert problems[f"cat/{NB}"].startswith("is damaged (Bad CRC-32")  # read 1 KB, not 30 MB
    assert not (open_course(course_dir).root / "submitted" / "bob").exists()
    assert not (open_course(course_dir).root / "submitted" / "cat").exists()


def test_the_unpacked_total_and_the_number_of_files_are_bounded(
    course_dir: Path, tmp_path: Path
) -> None:
    half = b" " * (700 * 1024)
    source = tmp_path / "lms.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        for student in ("ada", "bob", "cat"):
            archive.writestr(f"{student}/{NB}", half)
    layout = open_course(course_dir)
    done = collect(layout, "ps1", source, limits=_limited(archive_mb=1))
    assert done.placed == [("ada", NB)]
    past = "is past the 1.0 MB that collect unpacks from one download (c.GradingLimits.archive_mb)"
    assert done.problems == [(f"bob/{NB}", past), (f"cat/{NB}", past)]
    with pytest.raises(AutograderError, match=r"holds 3 files, more than the 2 that collect reads"):
        collect(layout, "ps1", source, limits=_limited(archive_members=2))


def test_collecting_many_big_members_keeps_memory_bounded(course_dir: Path, tmp_path: Path) -> None:
    """Eight uploads of 16 MB each (128 MB unpacked) are copied through a small buffer:
    the peak of Python's memory while collecting stays under 4 MB."""
    source = tmp_path / "lms.zip"
    size = 16 * 1024 * 1024
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(8):
            with archive.open(f"s{number}/{NB}", "w") as member:
                for _ in range(size // BUFFER):
                    member.write(bytes(BUFFER))
    layout = open_course(course_dir)
    tracemalloc.start()
    try:
        done = collect(layout, "ps1", source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(done.placed) == 8
    assert (layout.submitted_dir("s7", "ps1") / NB).stat().st_size == size
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def _exchange_config(course: Path, exchange: Path) -> Config:
    config = copy.deepcopy(open_course(course).config)
    config.Exchange.root = str(exchange)
    config.CourseDirectory.assignment_id = "ps1"
    return config


def test_the_exchange_collects_no_link_and_keeps_its_own_time(
    course_dir: Path, tmp_path: Path
) -> None:
    """mallory submits links to the answer key and the gradebook, a hard link, a FIFO
    and a timestamp.txt that predates the deadline; ann submits honestly; zoe's folder
    says 16:30 but her notebook was changed at 18:00 (a backdated folder name, say).
    Nothing of mallory's links is collected, each is a reason for review; what disagrees
    with the exchange's time is said; every submission carries the exchange's time."""
    layout = open_course(course_dir)
    Gradebook(layout.db_url, layout.coursedir().course_id).close()  # every student's grades
    exchange = tmp_path / "exchange"
    config = _exchange_config(course_dir, exchange)
    course_id = CourseDirectory(config=config).course_id
    inbound = exchange / course_id / "inbound"
    when = "2025-03-14 16:30:00.000000 UTC"
    for student in ("ann", "mallory"):
        folder = inbound / f"{student}+ps1+{when}+abc{student}"
        folder.mkdir(parents=True)
        (folder / "bonus.ipynb").write_bytes(_nb_bytes(course_dir, CORRECT, "bonus"))
        (folder / "timestamp.txt").write_text(when)
    ann = inbound / f"ann+ps1+{when}+abcann"
    (ann / NB).write_bytes(_nb_bytes(course_dir, CORRECT))
    received = datetime.datetime(2025, 3, 14, 16, 30, tzinfo=datetime.timezone.utc)
    zoe = inbound / f"zoe+ps1+{when}+abczoe"
    zoe.mkdir()
    for folder, changed in ((ann, -60), (zoe, 90)):  # minutes from the exchange's time
        if folder == zoe:
            for name in ("bonus", "problems"):
                (zoe / f"{name}.ipynb").write_bytes(_nb_bytes(course_dir, CORRECT, name))
            (zoe / "timestamp.txt").write_text(when)
        stamp = (received + datetime.timedelta(minutes=changed)).timestamp()
        for made in folder.iterdir():
            os.utime(made, (stamp, stamp))  # nbgrader submit keeps the files' own times
    mallory = inbound / f"mallory+ps1+{when}+abcmallory"
    (mallory / NB).symlink_to(course_dir / "source" / "ps1" / NB)
    (mallory / "gradebook.db").symlink_to(course_dir / "gradebook.db")
    os.link(mallory / "bonus.ipynb", tmp_path / "elsewhere.ipynb")
    os.mkfifo(mallory / "pipe")
    (mallory / "timestamp.txt").write_text("2000-01-01 00:00:00.000000 UTC")

    SafeCollect(
        coursedir=CourseDirectory(config=config),
        authenticator=Authenticator(config=config),
        config=config,
    ).start()

    got = layout.submitted_dir("mallory", "ps1")
    assert sorted(p.name for p in got.iterdir()) == sorted([INTAKE_FILE, "timestamp.txt"])
    assert read_intake(got)["refused"] == {
        NB: "is a link",
        "bonus.ipynb": "is a hard link",
        "gradebook.db": "is a link",
        "pipe": "is a special file",
    }
    assert read_intake(got)["student_timestamp"] == "2000-01-01 00:00:00.000000 UTC"
    stamp = CourseDirectory(config=config).get_existing_timestamp(str(got))
    assert stamp == datetime.datetime(2025, 3, 14, 16, 30)  # nbgrader: naive UTC
    key = prepare_assignment(layout, "ps1")
    submitted = load_submission(layout, key, "mallory")
    assert submitted.reasons == [
        "bonus.ipynb: missing from the submission",
        f"{NB}: missing from the submission",
        "bonus.ipynb: not collected, it is a hard link",
        "gradebook.db: not collected, it is a link",
        "pipe: not collected, it is a special file",
        f"{NB}: not collected, it is a link",
    ]
    assert submitted.notes == [
        "submission time: the student's timestamp.txt says '2000-01-01 00:00:00.000000 UTC', "
        "the exchange received the submission at 2025-03-14 16:30:00 UTC; the exchange's "
        "time counts"
    ]
    honest = load_submission(layout, key, "ann")
    assert honest.reasons == []
    assert honest.notes == []
    assert honest.notebooks["problems"] is not None
    assert read_intake(layout.submitted_dir("zoe", "ps1"))["notes"] == [
        "changed after the exchange received the submission at 2025-03-14 16:30:00 UTC: "
        "bonus.ipynb (2025-03-14 18:00:00 UTC), problems.ipynb (2025-03-14 18:00:00 UTC); "
        "the exchange's time counts"
    ]
    zoe_stamp = CourseDirectory(config=config).get_existing_timestamp(
        str(layout.submitted_dir("zoe", "ps1"))
    )
    assert zoe_stamp == datetime.datetime(2025, 3, 14, 16, 30)


def test_in_a_one_notebook_assignment_only_its_notebook_name_counts(tmp_path: Path) -> None:
    """A student's other notebook (a later one, too) never stands in for the assignment's."""
    course = copy_course(make_template(tmp_path / "template", ("problems",)), tmp_path / "c")
    work = _nb_bytes(course, CORRECT)
    source = tmp_path / "upload.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(zipfile.ZipInfo(f"ada/{NB}", (2025, 1, 15, 10, 0, 0)), work)
        archive.writestr(zipfile.ZipInfo("ada/scratch.ipynb", (2025, 1, 16, 10, 0, 0)), b"{}")
    done = collect(open_course(course), "ps1", source)
    assert done.placed == [("ada", NB)]
    assert [(r.file, r.outcome, r.detail) for r in done.rows] == [
        (f"ada/{NB}", "placed", NB),
        ("ada/scratch.ipynb", "skipped", f"not one of the assignment's notebooks ({NB})"),
    ]
    assert (open_course(course).submitted_dir("ada", "ps1") / NB).read_bytes() == work
