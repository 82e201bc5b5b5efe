"""Route 1 of the guide, end to end: the nbgrader exchange on one shared machine.

Two students, each with a home folder of their own, and an instructor share a temporary
exchange folder named in a site configuration they all read. Every step is the guide's
own command line: release, fetch, submit, collect, the kit's grade and feedback,
release and fetch the feedback, export. The course is graded once for the module.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from tests.instructor.kit import (
    ASSIGNMENT,
    NOTEBOOK,
    REPO,
    Machine,
    answered,
    command,
    hidden_test_lines,
    new_course,
    require_sandbox,
    solutions,
)

pytestmark = pytest.mark.slow

# alice hands in the source's solutions; bob three of the six names (3 x 0.5 points),
# the right purpose of Engage and "any order: True", and leaves the rest at `...`.
ANSWERS: dict[str, dict[str, str]] = {
    "alice": solutions(),
    "bob": {
        "pq1-answer": 'activities = ["Plan", "Improve", "Engage"]',
        "pq2-answer": 'engage_purpose = "F"',
        "pq5-answer": "any_order = True",
    },
}
TOTALS = {"alice": "18.0", "bob": "4.5"}
EXPECTED_CSV = (
    "student,first_name,last_name,email,pq1,pq2,pq3,pq3-stream,pq4,pq4-pairs,pq5,pq5-why,"
    "total,max_score,status,reason\n"
    "alice,,,,3,2,2,3,2,3,1,2,18,18,ok,\n"
    "bob,,,,1.5,2,0,0,0,0,1,0,4.5,18,ok,\n"
)
FETCH = "nbgrader fetch_assignment 06-practice --course itil-svc"
SUBMIT = "nbgrader submit 06-practice --course itil-svc"


@dataclass
class Term:
    machine: Machine
    course: Path
    fetched: dict[str, bytes]
    submitted: dict[str, bytes]


def _each_student(step: Callable[[str], object]) -> None:
    """Run ``step`` for every student at once, as a class would."""
    with concurrent.futures.ThreadPoolExecutor(len(ANSWERS)) as pool:
        list(pool.map(step, ANSWERS))


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory) -> Term:
    """The assignment released, fetched, answered, submitted, collected, graded, fed back."""
    require_sandbox()
    machine = Machine(tmp_path_factory.mktemp("exchange-route"))
    course = new_course(machine.home("instructor") / "itil-svc")
    machine.run(command("nbgrader release_assignment 06-practice"), course)

    _each_student(lambda s: machine.as_student(s, command(FETCH)))
    fetched, submitted = {}, {}
    for student, answers in ANSWERS.items():
        path = machine.home(student) / ASSIGNMENT / NOTEBOOK
        fetched[student] = path.read_bytes()
        nbformat.write(answered(answers), path)
        submitted[student] = path.read_bytes()
    _each_student(lambda s: machine.as_student(s, command(SUBMIT)))

    machine.run(command("nbgrader collect 06-practice"), course)
    machine.run(command("python -m autograder grade 06-practice"), course)
    machine.run(command("python -m autograder feedback 06-practice"), course)
    return Term(machine, course, fetched, submitted)


def test_students_fetch_the_release_and_collect_brings_in_what_they_submitted(
    term: Term,
) -> None:
    release = (REPO / "release" / ASSIGNMENT / NOTEBOOK).read_bytes()
    for student in ANSWERS:
        assert term.fetched[student] == release
        handed_in = term.course / "submitted" / student / ASSIGNMENT
        assert (handed_in / NOTEBOOK).read_bytes() == term.submitted[student]
        assert (handed_in / "timestamp.txt").read_text().endswith("UTC")


def test_the_exported_csv_holds_each_students_exact_scores(term: Term) -> None:
    term.machine.run(
        command("python -m autograder export 06-practice --output grades/06-practice.csv"),
        term.course,
    )
    assert (term.course / "grades" / "06-practice.csv").read_text() == EXPECTED_CSV


def test_each_student_fetches_their_own_feedback_without_hidden_tests(term: Term) -> None:
    released = term.machine.run(
        command("nbgrader release_feedback 06-practice"), term.course, check=False
    )
    assert released.returncode == 0, released.stderr[-3000:]
    fetch = command("nbgrader fetch_feedback 06-practice --course itil-svc")
    _each_student(lambda s: term.machine.as_student(s, fetch))
    hidden = hidden_test_lines()
    for student, total in TOTALS.items():
        pages = sorted(
            (term.machine.home(student) / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html")
        )
        assert len(pages) == 1, f"{student} got {pages}"
        html = pages[0].read_text(encoding="utf-8")
        assert f"{ASSIGNMENT} (Score: {total} / 18.0)" in html
        assert [line for line in hidden if line in html] == []
