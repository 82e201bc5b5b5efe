"""The course on a real JupyterHub, end to end, with real accounts and a real exchange.

JupyterHub (PAM logins, one server per Unix user, in that user's home) runs the README's
configuration. The instructor releases 06-practice of two courses to the shared exchange.
In Chromium, two students log in, choose the course in nbgrader's Assignments panel,
fetch 06-practice, answer (ada ticks the six activities in the graded quiz widget; grace
types the letter of question 6.3 (a)), save and submit from the panel. The instructor
logs in too and, in a notebook in their own JupyterLab, runs the README's commands: collects
(nbgrader's own owner check passes: each submission is owned by its student), grades with
the kit, writes and releases the feedback (each student's exact score is in it); the page
shows each command's log and exit status. ada fetches hers in the panel and reads her
exact score in it.
"""

from __future__ import annotations

import concurrent.futures
import functools
import pwd
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import course
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.instructor.kit import ASSIGNMENT, command

from .conftest import INSTRUCTOR, OTHER_COURSE, HubMachine, course_id
from .instructor import EXIT, grading_cells, run_grading_notebook
from .student import Session, lab_session, log_in

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(600)]

SIX_NAMES = "Which of these are activities"
TYPED = 'how_streams_form = "A"'
# ada: the six right names, half a point each (6.1); grace: the right letter of 6.3 (a).
# Everything else is left at `...`, which earns nothing. The assignment is out of 18.
EXPECTED = {"itil-ada": 3.0, "itil-grace": 2.0}
MAX_SCORE = 18.0
SCREENSHOTS = Path("/tmp")
#: The README's commands the instructor runs, in order, and the notebook they run them in.
INSTRUCTOR_STEPS = [
    "nbgrader collect 06-practice",
    "python -m autograder grade 06-practice",
    "python -m autograder feedback 06-practice",
    "nbgrader release_feedback 06-practice",
]
GRADING = "grade-06-practice.ipynb"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


class People:
    """One browser context per person; screenshots of every page when the test fails."""

    def __init__(self, browser: Any, machine: HubMachine) -> None:
        self.browser, self.machine = browser, machine
        self.sessions: dict[str, Session] = {}

    def log_in(self, *names: str) -> list[Session]:
        """Log ``names`` in, each in a browser context of their own; the hub starts their
        servers at the same time. Their JupyterLab sessions, once up."""
        pages = []
        for name in names:
            page = self.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            log_in(page, self.machine.hub.url, self.machine.accounts[name])
            pages.append(page)
        for name, page in zip(names, pages, strict=True):
            self.sessions[name] = lab_session(
                page, self.machine.hub.url, self.machine.accounts[name]
            )
        return [self.sessions[name] for name in names]

    def screenshots(self, test: str) -> list[Path]:
        taken = []
        for name, session in self.sessions.items():
            path = SCREENSHOTS / f"hub-e2e-FAILED-{test}-{name}.png"
            session.page.screenshot(path=str(path), full_page=True)
            taken.append(path)
        return taken


@pytest.fixture
def people(
    browser: Any, hub_machine: HubMachine, request: pytest.FixtureRequest
) -> Iterator[People]:
    crowd = People(browser, hub_machine)
    yield crowd
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for path in crowd.screenshots(request.node.name):
            print(f"screenshot: {path}")
        print(f"hub log: {hub_machine.hub.log}\n{hub_machine.hub.log.read_text()[-3000:]}")
    for session in crowd.sessions.values():
        session.page.context.close()


def _hand_in(session: Session, answer: Any) -> None:
    """Fetch 06-practice of the course in the Assignments panel (which offers both courses
    of the hub), open it, answer, save, submit."""
    cid = course_id()
    session.assignments()
    assert sorted(session.courses()) == sorted([cid, OTHER_COURSE])
    session.choose_course(cid)
    session.fetch(cid, ASSIGNMENT)
    session.open_notebook(cid, ASSIGNMENT, ASSIGNMENT)
    assert session.run_all() == []
    answer(session)
    session.save()
    session.submit(cid, ASSIGNMENT)


def _score(page: str) -> str:
    """The total a feedback page shows, as "score / max"."""
    found = re.findall(rf"{ASSIGNMENT} \(Score: ([\d.]+ / [\d.]+)\)", page)
    assert len(found) == 1, page[:2000]
    return found[0]


def _feedback_scores(machine: HubMachine) -> dict[str, float]:
    """Each student's total in the feedback the kit wrote (the instructor's copy)."""
    scores = {}
    for folder in sorted((machine.course / "feedback").iterdir()):
        page = folder / ASSIGNMENT / f"{ASSIGNMENT}.html"
        total, out_of = _score(page.read_text(encoding="utf-8")).split(" / ")
        assert float(out_of) == MAX_SCORE
        scores[folder.name] = float(total)
    return scores


def test_two_students_hand_in_on_the_hub_and_get_their_exact_score_back(
    hub_machine: HubMachine, people: People
) -> None:
    started = time.monotonic()
    machine, cid = hub_machine, course_id()
    release = command("nbgrader release_assignment 06-practice")
    courses = [machine.course, machine.other_course]
    with concurrent.futures.ThreadPoolExecutor(len(courses)) as pool:  # both at once
        list(pool.map(functools.partial(machine.as_instructor, release), courses))
    for released in (cid, OTHER_COURSE):
        assert (machine.exchange / released / "outbound" / ASSIGNMENT).is_dir()

    laps = {"release": time.monotonic() - started}
    six = [activity.name for activity in course.load_course().activities]
    ada, grace, teacher = people.log_in("itil-ada", "itil-grace", INSTRUCTOR)
    _hand_in(ada, lambda s: s.tick(SIX_NAMES, six))
    laps["ada hands in"] = time.monotonic() - started
    _hand_in(grace, lambda s: s.type_cell("how_streams_form = ...", TYPED))
    laps["grace hands in"] = time.monotonic() - started
    # Each student's work is in their own (private) home, owned by them, under the course;
    # each submission in the exchange is owned by the student it names.
    for name in EXPECTED:
        account = machine.accounts[name]
        fetched = account.home / cid / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert fetched.stat().st_uid == account.uid
        assert not (account.home / OTHER_COURSE).exists()
        assert stat.S_IMODE(account.home.stat().st_mode) == 0o700  # HOME_MODE=0700
    inbound = sorted((machine.exchange / cid / "inbound").iterdir())
    owners = {p.name.split("+")[0]: pwd.getpwuid(p.stat().st_uid).pw_name for p in inbound}
    assert (len(inbound), owners) == (2, {name: name for name in EXPECTED})

    # The instructor, logged in since the students were, runs the README's commands from a
    # notebook in their own JupyterLab on the hub.
    steps = [command(step) for step in INSTRUCTOR_STEPS]
    course_folder = machine.course.relative_to(teacher.account.home).as_posix()
    shown = run_grading_notebook(teacher, GRADING, grading_cells(course_folder, steps))
    teacher.page.screenshot(path=str(SCREENSHOTS / "hub-instructor.png"))
    assert [out.rstrip().rsplit("\n", 1)[-1] for out in shown] == [f"{EXIT}0"] * 4, shown
    collected, graded = shown[0], shown[1]
    assert "cheating attempt" not in collected, collected  # nbgrader's owner check
    assert all(f"Collecting submission: {name} {ASSIGNMENT}" in collected for name in EXPECTED)
    assert sorted(p.name for p in (machine.course / "submitted").iterdir()) == sorted(EXPECTED)
    assert f"Graded 2 submissions of {ASSIGNMENT} in " in graded, graded
    assert "  2 ok, 0 need review." in graded, graded
    assert "  Scores out of 18: lowest 2, mean 2.5, highest 3." in graded, graded
    assert _feedback_scores(machine) == EXPECTED
    laps["instructor"] = time.monotonic() - started

    ada.fetch_feedback(cid, ASSIGNMENT)
    pages = sorted((ada.account.home / cid / ASSIGNMENT / "feedback").glob("*/*.html"))
    assert [p.name for p in pages] == [f"{ASSIGNMENT}.html"]
    shown = ada.read(pages[0].relative_to(ada.account.home).as_posix())
    assert _score(shown) == f"{EXPECTED['itil-ada']} / {MAX_SCORE}"
    laps["ada reads her feedback"] = time.monotonic() - started
    print("hub end to end, seconds after the hub was up:", {k: round(v) for k, v in laps.items()})
