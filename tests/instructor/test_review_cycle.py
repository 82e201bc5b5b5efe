"""Review that sticks: grade, score one box by hand as the formgrader does, grade again.

ghopper's answer cell kills the kernel: the autograder marks the questions it could not
read for review. A score typed into a box (the formgrader's grade API, mimicked on the
gradebook) resolves that question; once every marked question has one, the row is ``ok``
without any other click; releasing the feedback written before the review writes it
again first. Grading again (``grade``, ``grade --student``) keeps the hand
scores and comments and says so; ``--discard-review`` drops them and says so. The
feedback, written after the review, shows the hand scores; a late student's names the
penalty with its figure next to the total.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from tests.instructor.kit import (
    NOTEBOOK,
    Machine,
    answered,
    lms_zip,
    new_course,
    require_sandbox,
    solutions,
)

pytestmark = pytest.mark.slow

PREFIX = "Practice 06"
CRASH = {**solutions(), "pq3-answer": "import os\nos._exit(1)"}
GRADE = ["python", "-m", "autograder", "grade", "06-practice"]
DB = "sqlite:///{}"
COMMENT = "Your stream answer was lost with the kernel: marked from your notebook."


@dataclass
class Course:
    path: Path
    machine: Machine

    def run(self, *argv: str) -> str:
        return self.machine.run(list(argv), self.path).stdout

    def export(self) -> dict[str, dict[str, str]]:
        self.run("python", "-m", "autograder", "export", "06-practice", "--output", "g.csv")
        text = (self.path / "g.csv").read_text()
        return {row["student"]: row for row in csv.DictReader(io.StringIO(text))}

    def gradebook(self) -> Gradebook:
        return Gradebook(DB.format(self.path / "gradebook.db"), "itil-svc")


def _set_by_hand(course: Course, student: str, grade_id: str, score: float) -> None:
    """What the formgrader's grade API does when a score is typed into a box."""
    with course.gradebook() as gb:
        grade = gb.find_grade(grade_id, "06-practice", "06-practice", student)
        grade = gb.find_grade_by_id(grade.id)
        grade.manual_score = score
        grade.extra_credit = None
        grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
        gb.db.commit()


def _comment(course: Course, student: str, grade_id: str, text: str) -> None:
    with course.gradebook() as gb:
        comment = gb.find_comment(grade_id, "06-practice", "06-practice", student)
        comment.manual_comment = text
        gb.db.commit()


def _marked(course: Course, student: str) -> dict[str, bool]:
    with course.gradebook() as gb:
        nb = gb.find_submission_notebook("06-practice", "06-practice", student)
        return {g.name: bool(g.needs_manual_grade) for g in nb.grades}


def _manual(course: Course, student: str) -> dict[str, float | None]:
    with course.gradebook() as gb:
        nb = gb.find_submission_notebook("06-practice", "06-practice", student)
        return {g.name: g.manual_score for g in nb.grades}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    require_sandbox()
    machine = Machine(tmp_path_factory.mktemp("review"))
    path = new_course(machine.home("instructor") / "itil-svc")
    lms_zip(
        path / "lms.zip",
        [
            (f"{PREFIX}_ghopper_attempt_2025-03-14-16-30-00_{NOTEBOOK}", answered(CRASH)),
            (f"{PREFIX}_latelee_attempt_2025-03-16-10-00-00_{NOTEBOOK}", answered(solutions())),
        ],
    )
    found = Course(path, machine)
    found.run(
        "nbgrader", "db", "assignment", "add", "06-practice", "--duedate=2025-03-14 17:00 UTC"
    )
    found.run("python", "-m", "autograder", "collect", "06-practice", "lms.zip")
    # what nbgrader's exchange keeps beside a submission, for release_feedback
    for student in ("ghopper", "latelee"):
        folder = path / "submitted" / student / "06-practice"
        (folder / "submission_secret.txt").write_text(f"secret-of-{student}")
    machine.exchange.mkdir(parents=True, exist_ok=True)
    found.run(*GRADE)
    found.run("python", "-m", "autograder", "feedback", "06-practice")  # before any review
    return found


def _released(course: Course, student: str) -> str:
    """The page ``nbgrader release_feedback`` put in the exchange for ``student``."""
    from nbgrader.utils import notebook_hash

    name = notebook_hash(secret=f"secret-of-{student}", notebook_id="06-practice")
    return (course.machine.exchange / "itil-svc" / "feedback" / f"{name}.html").read_text()


def test_review_cycle(course: Course) -> None:
    """One test, in the order an instructor works (each step needs the one before)."""
    # 1. only the questions the crash concerns are marked; the ones graded before it are not
    marked = _marked(course, "ghopper")
    assert marked == {
        "pq1": False,
        "pq2": False,
        "pq3": True,
        "pq3-stream": True,
        "pq4": True,
        "pq4-pairs": True,
        "pq5": True,
        "pq5-why": True,
    }
    assert course.export()["ghopper"]["status"] == "needs-review"

    # 2. one box resolves its question, and only it; the row stays needs-review
    _set_by_hand(course, "ghopper", "pq3", 0)
    assert _marked(course, "ghopper")["pq3"] is False
    assert sum(_marked(course, "ghopper").values()) == 5
    assert course.export()["ghopper"]["status"] == "needs-review"

    # 3. every marked question scored: the row is ok, no other click
    hand = {"pq3-stream": 3, "pq4": 2, "pq4-pairs": 3, "pq5": 1, "pq5-why": 2}
    for grade_id, score in hand.items():
        _set_by_hand(course, "ghopper", grade_id, score)
    _comment(course, "ghopper", "pq3-stream-answer", COMMENT)
    row = course.export()["ghopper"]
    assert (row["status"], row["total"], row["pq3"], row["pq4-pairs"]) == ("ok", "16", "0", "3")

    # 3b. releasing the feedback written before the review writes it again first
    course.run("nbgrader", "release_feedback", "06-practice", "--student", "ghopper")
    released = _released(course, "ghopper")
    assert "06-practice (Score: 16.0 / 18.0)" in released
    assert "Reviewed by hand." in released
    assert "set by your instructor" in released

    # 4. grading again, the whole class and one student: the review is kept, and said
    out = course.run(*GRADE)
    assert (
        "kept the review by hand of ghopper: pq3, pq3-stream, pq4, pq4-pairs, pq5, pq5-why, "
        "pq3-stream-answer (comment)" in out
    )
    out = course.run(*GRADE, "--student", "ghopper")
    assert "kept the review by hand of ghopper:" in out
    assert _manual(course, "ghopper")["pq4-pairs"] == 3
    assert not any(_marked(course, "ghopper").values())
    row = course.export()["ghopper"]
    assert (row["status"], row["total"], row["pq3"], row["pq4-pairs"]) == ("ok", "16", "0", "3")

    # 5. the feedback written after the review shows it; the late one names the penalty
    course.run("python", "-m", "autograder", "feedback", "06-practice")
    page = (course.path / "feedback" / "ghopper" / "06-practice" / "06-practice.html").read_text()
    assert "06-practice (Score: 16.0 / 18.0)" in page
    assert "Reviewed by hand." in page
    assert "Autograder: needs review" not in page
    assert re.search(r"pq4-pairs</a>: [^<]*\(Score: 3\.0 / 3\.0, <span class=\"by-hand\">", page)
    assert COMMENT in page
    late = (course.path / "feedback" / "latelee" / "06-practice" / "06-practice.html").read_text()
    assert "(Score: 14.4 / 18.0)" in late
    assert "after a late penalty of 3.6" in late
    assert "Late penalty: -3.6 (submitted 1 day 17 h after the due date)" in late

    # 6. --discard-review drops it, and says so: the questions are marked again
    out = course.run(*GRADE, "--student", "ghopper", "--discard-review")
    assert "DISCARDED the review by hand of ghopper: pq3, pq3-stream" in out
    assert set(_manual(course, "ghopper").values()) == {None}
    assert sum(_marked(course, "ghopper").values()) == 6
    row = course.export()["ghopper"]
    assert (row["status"], row["total"]) == ("needs-review", "5")
    with course.gradebook() as gb:
        comment = gb.find_comment("pq3-stream-answer", "06-practice", "06-practice", "ghopper")
        assert comment.manual_comment is None
