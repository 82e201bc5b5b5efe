"""Red team on the instructor's side: grading cannot be turned against the instructor.

One sandboxed batch grades the hostile submissions of
:mod:`tests.redteam.instructor_cases` next to honest ones, plus student folders
whose names are HTML, a spreadsheet formula or not UTF-8. It must finish for
everyone; each submission gets exactly its grade and reasons; no autograded
notebook carries anything that would run when the formgrader renders it; what
``grade`` prints and ``export`` writes carries no escape sequence and no formula.
Apart: a full disk stops the batch cleanly, and a second run on a locked course
is told who holds the lock.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import sqlite3
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from nbconvert import HTMLExporter

from autograder import notebook_io as nbio
from autograder.course_layout import open_course
from autograder.engine.grade import BatchResult, GradeOptions, grade_assignment
from autograder.engine.lock import course_lock
from autograder.engine.sandbox import Sandbox
from autograder.errors import AutograderError
from autograder.outputs.export import export_csv
from autograder.outputs.summary import summarise
from tests.autograder.fixtures.course_fixture import (
    CORRECT,
    MAX_SCORE,
    answered,
    copy_course,
    release_notebook,
    submit,
    submit_answers,
)
from tests.redteam.cases import ALL_RIGHT, Case
from tests.redteam.instructor_cases import (
    HONEST_CASES,
    INSTRUCTOR_CASES,
    ONERROR,
    SANDBOX_CASES,
    raw_problems,
)

pytestmark = pytest.mark.slow

ALL = [*INSTRUCTOR_CASES, *SANDBOX_CASES, *HONEST_CASES]
HTML_NAME = ONERROR.replace("/", "")  # a folder name cannot hold "/"
FORMULA_NAME = '=1+2+cmd|"calc"!A0'  # a folder name cannot hold "/"
NOT_UTF8 = b"\xff\xfe-student"
ID_RULE = (
    "cannot be used as a student id (letters, digits and . _ @ + - only, "
    "starting with a letter or digit, at most 100)"
)


def _staging(course: Path) -> list[Path]:
    """Half-written autograded folders (``.staging-*``, ``.old-*``) left behind."""
    folder = course / "autograded"
    return sorted([*folder.rglob(".staging-*"), *folder.rglob(".old-*")])


@dataclass
class Graded:
    course: Path
    batch: BatchResult
    summary: str


def _submit_case(course: Path, case: Case) -> None:
    notebooks: dict[str, object] = {
        name: answered(course, name, case.notebook_answers()) for name in MAX_SCORE
    }
    if case.edit is not None:
        notebooks["problems"] = case.edit(notebooks["problems"])  # type: ignore[arg-type]
    for name, marker in case.raw.items():
        assert isinstance(marker, str)
        notebooks[name] = raw_problems(marker, release_notebook(course, name))
    submit(course, case.student, notebooks)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def graded(template: Path, tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox) -> Graded:
    course = copy_course(template, tmp_path_factory.mktemp("instructor") / "course")
    for case in ALL:
        _submit_case(course, case)
    for name in (HTML_NAME, FORMULA_NAME):
        submit_answers(course, name, CORRECT)
    folder = os.path.join(os.fsencode(course / "submitted"), NOT_UTF8, b"ps1")
    os.makedirs(folder)
    nb = (course / "submitted" / "honest-right" / "ps1" / "problems.ipynb").read_bytes()
    Path(os.fsdecode(os.path.join(folder, b"problems.ipynb"))).write_bytes(nb)
    layout = open_course(course)
    batch = grade_assignment(layout, "ps1", GradeOptions(sandbox=sandbox, workers=2, timeout=5))
    return Graded(course, batch, summarise(batch, layout))


def test_the_batch_finished_for_everyone(graded: Graded) -> None:
    """Every submission with a usable id was graded and recorded; the three folders
    whose names cannot be ids were named, with the reason, and nothing else."""
    assert sorted(r.student for r in graded.batch.results) == sorted(c.student for c in ALL)
    assert graded.batch.refused == {
        HTML_NAME: ID_RULE,
        FORMULA_NAME: ID_RULE,
        os.fsdecode(NOT_UTF8): ID_RULE,
    }
    for result in graded.batch.results:
        assert graded.course.joinpath("autograded", result.student, "ps1").is_dir()
    db = sqlite3.connect(graded.course / "gradebook.db")
    ids = {row[0] for row in db.execute("select id from student")}
    assert ids == {c.student for c in ALL}
    assert _staging(graded.course) == []


@pytest.mark.parametrize("case", ALL, ids=[c.student for c in ALL])
def test_each_submission_gets_exactly_its_grade_and_reasons(graded: Graded, case: Case) -> None:
    """Hostile ones: the grade the answers deserve, or needs-review with the exact reason;
    honest ones in the same batch: their exact scores."""
    result = next(r for r in graded.batch.results if r.student == case.student)
    assert {q.id: q.score for q in result.questions} == case.scores, case.what
    assert tuple(result.reasons) == case.reasons, case.what
    assert result.status == ("needs-review" if case.reasons else "ok")
    if case.student == "honest-right":
        assert case.scores == ALL_RIGHT
        assert result.total == 9.0


class _Active(HTMLParser):
    """What in an HTML page could run: script bodies, on* handlers, script URLs, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "frame", "object", "embed"):
            self.found.add(f"<{tag}>")
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.add(f"{tag} {name}={value}")
            text = (value or "").replace(" ", "").lower()
            if text.startswith(("javascript:", "vbscript:", "data:text")):
                self.found.add(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.add("script:" + data.strip()[:2000])


def _active(path: Path) -> set[str]:
    body, _ = HTMLExporter().from_filename(str(path))
    parser = _Active()
    parser.feed(body)
    return parser.found


def test_no_autograded_notebook_carries_anything_that_would_run(graded: Graded) -> None:
    """Rendered as the formgrader renders it (nbconvert's HTML), each hostile student's
    autograded notebook has no script, handler, script URL or frame that an honest
    student's page does not have (the page template's own)."""
    folder = graded.course / "autograded"
    template_only = _active(folder / "honest-right" / "ps1" / "problems.ipynb")
    for case in INSTRUCTOR_CASES:
        for path in sorted((folder / case.student / "ps1").glob("*.ipynb")):
            assert _active(path) - template_only == set(), (case.student, path.name)


def test_the_hostile_class_name_is_shown_as_text_in_the_review_banner(graded: Graded) -> None:
    path = graded.course / "autograded" / "hostile-class-name" / "ps1" / "problems.ipynb"
    body, _ = HTMLExporter().from_filename(str(path))
    assert "&lt;img src=x onerror=" in body
    assert ONERROR not in body


def test_the_grade_summary_prints_no_control_character(graded: Graded) -> None:
    """The hostile class name reaches the summary as escapes, not as terminal commands;
    the refused folder names too (one is not UTF-8 and would make print fail)."""
    text = graded.summary
    assert not any(ch in text for ch in "\x1b\x07\u202e")
    assert "\\x1b]0;owned\\x07\\x1b[2J\\u202e" in text
    assert "NOT graded: \\udcff\\udcfe-student: the folder name cannot be used" in text
    text.encode("utf-8")  # printable as it is


def test_the_export_holds_no_formula(graded: Graded) -> None:
    """A student id that is a formula (from the submitted folder) reaches the CSV as text."""
    rows = list(csv.reader(io.StringIO(export_csv(open_course(graded.course), "ps1"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA_NAME in cells
    assert [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))] == []


def test_a_full_disk_stops_the_batch_cleanly_and_a_rerun_finishes(
    course_dir: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second autograded notebook cannot be written (ENOSPC): grading stops with a
    message, the first student's grade is kept, no staging folder is left, and once
    the disk has room a re-run grades everyone exactly."""
    for student in ("ann", "ben", "cat"):
        submit_answers(course_dir, student, CORRECT)
    writes = []
    real = nbio.write

    def full_disk(nb: object, path: Path) -> None:
        writes.append(path)
        if len(writes) > 2:  # ann's two notebooks fit, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(nb, path)  # type: ignore[arg-type]

    monkeypatch.setattr(nbio, "write", full_disk)
    layout = open_course(course_dir)
    options = GradeOptions(sandbox=sandbox, workers=1, timeout=5)
    with pytest.raises(AutograderError) as stop:
        grade_assignment(layout, "ps1", options)
    assert str(stop.value) == (
        "grading stopped: the course folder cannot be written (No space left on device). "
        "1 of 3 submission(s) were graded and recorded before the stop and are kept; fix "
        "the cause and run 'grade ps1' again to grade the rest"
    )
    kept = sorted(p.stem for p in layout.results_dir("ps1").glob("*.json"))
    assert kept == ["ann"]
    assert _staging(course_dir) == []
    monkeypatch.setattr(nbio, "write", real)
    again = grade_assignment(layout, "ps1", options)
    assert {r.student: r.total for r in again.results} == {"ann": 9.0, "ben": 9.0, "cat": 9.0}


def test_a_second_run_on_a_locked_course_is_told_who_holds_it(course_dir: Path) -> None:
    submit_answers(course_dir, "ann", CORRECT)
    layout = open_course(course_dir)
    with course_lock(layout, "collect ps1"), pytest.raises(AutograderError) as refused:
        grade_assignment(layout, "ps1", GradeOptions(sandbox=Sandbox(None), workers=1))
    message = str(refused.value)
    assert message.startswith(
        f"another run is working on this course: 'collect ps1' (process {os.getpid()} of "
    )
    assert f"Wait for it to finish, then run 'grade ps1' again (the lock is {course_dir}" in (
        message
    )
    assert not (course_dir / "gradebook.db").exists()
