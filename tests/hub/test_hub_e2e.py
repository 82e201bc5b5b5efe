"""The course on a real JupyterHub, end to end, with real accounts and a real exchange.

JupyterHub (PAM logins, one server per Unix user, in that user's home) runs the README's
configuration. The instructor releases 06-practice to the shared exchange. In Chromium,
two students log in, fetch it from nbgrader's Assignments panel, answer (ada ticks the
six activities in the graded quiz widget; grace types the letter of question 6.3 (a)),
save and submit from the panel. The instructor collects (nbgrader's own owner check
passes: each submission is owned by its student), grades with the kit, writes and
releases the feedback; ada fetches it in the panel and reads her exact score in it.
"""

from __future__ import annotations

import csv
import io
import pwd
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import course
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.instructor.kit import ASSIGNMENT, command

from .conftest import HubMachine, course_id
from .student import Session, log_in

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(600)]

SIX_NAMES = "Which of these are activities"
TYPED = 'how_streams_form = "A"'
# ada: the six right names, half a point each (6.1); grace: the right letter of 6.3 (a).
# Everything else is left at `...`, which earns nothing. The assignment is out of 18.
EXPECTED = {"itil-ada": 3.0, "itil-grace": 2.0}
MAX_SCORE = 18.0
EXPORT = "python -m autograder export 06-practice --output grades/06-practice.csv"
SCREENSHOTS = Path("/tmp")


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

    def log_in(self, name: str) -> Session:
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        account = self.machine.accounts[name]
        session = log_in(context.new_page(), self.machine.hub.url, account, account.home)
        self.sessions[name] = session
        return session

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
    """Fetch 06-practice in the Assignments panel, open it, answer, save, submit."""
    cid = course_id()
    session.assignments()
    session.fetch(cid, ASSIGNMENT)
    session.open_notebook(cid, ASSIGNMENT, ASSIGNMENT)
    assert session.run_all() == []
    answer(session)
    session.save()
    session.submit(cid, ASSIGNMENT)


def _exported_totals(machine: HubMachine) -> dict[str, float]:
    machine.as_instructor(command(EXPORT))
    text = (machine.course / "grades" / "06-practice.csv").read_text(encoding="utf-8")
    return {row["student"]: float(row["total"]) for row in csv.DictReader(io.StringIO(text))}


def test_two_students_hand_in_on_the_hub_and_get_their_exact_score_back(
    hub_machine: HubMachine, people: People
) -> None:
    started = time.monotonic()
    machine, cid = hub_machine, course_id()
    machine.as_instructor(command("nbgrader release_assignment 06-practice"))
    assert (machine.exchange / cid / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()

    laps = {"release": time.monotonic() - started}
    six = [activity.name for activity in course.load_course().activities]
    _hand_in(people.log_in("itil-ada"), lambda s: s.tick(SIX_NAMES, six))
    laps["ada hands in"] = time.monotonic() - started
    _hand_in(people.log_in("itil-grace"), lambda s: s.type_cell("how_streams_form = ...", TYPED))
    laps["grace hands in"] = time.monotonic() - started
    # Each student's work is in their own home, owned by them, under the course's folder;
    # each submission in the exchange is owned by the student it names.
    for name in EXPECTED:
        account = machine.accounts[name]
        fetched = account.home / cid / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert fetched.stat().st_uid == account.uid
    inbound = sorted((machine.exchange / cid / "inbound").iterdir())
    owners = {p.name.split("+")[0]: pwd.getpwuid(p.stat().st_uid).pw_name for p in inbound}
    assert (len(inbound), owners) == (2, {name: name for name in EXPECTED})

    collected = machine.as_instructor(command("nbgrader collect 06-practice"))
    log = collected.stdout + collected.stderr
    assert "cheating attempt" not in log, log  # nbgrader's owner check: each file is its student's
    assert sorted(p.name for p in (machine.course / "submitted").iterdir()) == sorted(EXPECTED)
    machine.as_instructor(command("python -m autograder grade 06-practice"))
    machine.as_instructor(command("python -m autograder feedback 06-practice"))
    machine.as_instructor(command("nbgrader release_feedback 06-practice"))
    assert _exported_totals(machine) == EXPECTED
    laps["instructor"] = time.monotonic() - started

    ada = people.sessions["itil-ada"]
    ada.fetch_feedback(cid, ASSIGNMENT)
    pages = sorted((ada.account.home / cid / ASSIGNMENT / "feedback").glob("*/*.html"))
    assert [p.name for p in pages] == [f"{ASSIGNMENT}.html"]
    shown = ada.read(pages[0].relative_to(ada.account.home).as_posix())
    assert f"{ASSIGNMENT} (Score: {EXPECTED['itil-ada']} / {MAX_SCORE})" in shown
    laps["ada reads her feedback"] = time.monotonic() - started
    print("hub end to end, seconds after the hub was up:", {k: round(v) for k, v in laps.items()})
