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
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from autograder.cli import main
from autograder.course_layout import open_course
from autograder.engine.answer_key import prepare_assignment
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


def test_bad_zip_members_are_refused_with_the_reason_and_the_rest_is_placed(
    course_dir: Path, tmp_path: Path
) -> None:
    honest = _nb_bytes(course_dir, CORRECT)
    work = io.BytesIO()
    with zipfile.ZipFile(work, "w", zipfile.ZIP_DEFLATED) as inner:
        for number in range(60):  # sixty copies of 20 MB: never all held at once
            inner.writestr(f"copy{number}/ps1/{NB}", b" " * (20 * 1024 * 1024))
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
    source = tmp_path / "canvas.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(f"ps1_ada_attempt_2025-01-15-10-00-00_{NB}", b"{}")
        archive.writestr(f"ps1_ada_attempt_2025-01-16-10-00-00_{NB}", b"{}")
        archive.writestr("ada/.DS_Store", b"x")
        archive.writestr(f"__MACOSX/ada/._{NB}", b"x")
        archive.writestr("ada/\x1b]0;owned\x07\x1b[2J.txt", b"x")
    assert main(["collect", "ps1", str(source), "--course-dir", str(course_dir)]) == 0
    out, err = capsys.readouterr()
    assert "NOT placed: ada/\\x1b]0;owned\\x07\\x1b[2J.txt: is not a notebook" in err
    assert "\x1b" not in out + err
    assert (
        f"superseded: ps1_ada_attempt_2025-01-15-10-00-00_{NB} (a later upload counts: "
        f"ps1_ada_attempt_2025-01-16-10-00-00_{NB})"
    ) in out
    assert "skipped: ada/.DS_Store (a hidden or system file)" in out
    assert f"skipped: __MACOSX/ada/._{NB} (a hidden or system file)" in out


def _exchange_config(course: Path, exchange: Path) -> Config:
    config = copy.deepcopy(open_course(course).config)
    config.Exchange.root = str(exchange)
    config.CourseDirectory.assignment_id = "ps1"
    return config


def test_the_exchange_collects_no_link_and_keeps_its_own_time(
    course_dir: Path, tmp_path: Path
) -> None:
    """mallory submits links to the answer key and the gradebook, a hard link, a FIFO
    and a timestamp.txt that predates the deadline; ann submits honestly. Nothing of
    mallory's links is collected, each is a reason for review, and both submissions
    carry the exchange's time."""
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
    honest = load_submission(layout, key, "ann")
    assert honest.reasons == []
    assert honest.notebooks["problems"] is not None


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
    assert done.problems == [
        ("ada/scratch.ipynb", f"is not one of the assignment's notebooks ({NB})")
    ]
    assert done.superseded == []
    assert (open_course(course).submitted_dir("ada", "ps1") / NB).read_bytes() == work
