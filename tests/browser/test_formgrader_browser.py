"""Review by hand, in real Chromium: nbgrader's formgrader inside JupyterLab.

A class of two is collected and graded with the guide's commands: alovelace hands in
the solutions, ghopper a notebook whose answer cell kills the kernel, so the autograder
marks it ``needs-review``. JupyterLab is started in the course folder, as an instructor
would (its ``nbgrader_config.py`` tells the formgrader where the course is). The
formgrader shows the assignment and the flagged submission with the autograder's
reasons; scores typed into it are what the guide's export then carries.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import expect

from autograder.publish.secrets import GRADED_KEYS, HIDDEN, key_lines, notebook_secrets
from tests.browser.conftest import running_jupyterlab
from tests.instructor.kit import (
    NOTEBOOK,
    REPO,
    Machine,
    answered,
    command,
    lms_zip,
    new_course,
    require_sandbox,
    solutions,
)

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
PREFIX = "Practice 06"
CRASH = {**solutions(), "pq3-answer": "import os\nos._exit(1)"}
# What the instructor decides for ghopper: nothing for the answer that crashed, full
# marks for the rest (the autograder could not read them once the kernel was gone).
BY_HAND = {
    "pq1": "3",
    "pq2": "2",
    "pq3": "0",
    "pq3-stream": "3",
    "pq4": "2",
    "pq4-pairs": "3",
    "pq5": "1",
    "pq5-why": "2",
}
STUDENTS = ("alovelace", "ghopper")
EXPORT = "python -m autograder export 06-practice --output grades/06-practice.csv"


@dataclass
class Server:
    url: str
    token: str
    course: Path
    machine: Machine


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The class collected and graded with the guide's commands, and JupyterLab on it."""
    require_sandbox()
    machine = Machine(tmp_path_factory.mktemp("formgrader"))
    course = new_course(machine.home("instructor") / "itil-svc")
    lms_zip(
        course / "lms-download.zip",
        [
            (f"{PREFIX}_alovelace_attempt_2025-03-14-16-00-00_{NOTEBOOK}", answered(solutions())),
            (f"{PREFIX}_ghopper_attempt_2025-03-14-16-30-00_{NOTEBOOK}", answered(CRASH)),
        ],
    )
    machine.run(command("python -m autograder collect 06-practice lms-download.zip"), course)
    machine.run(command("python -m autograder grade 06-practice"), course)
    with running_jupyterlab(course, machine.env("instructor"), course.parent / "lab.log") as (
        url,
        token,
    ):
        yield Server(url, token, course, machine)


def _open_formgrader(page: Any, server: Server) -> Any:
    """Open JupyterLab and, from its menu, Nbgrader -> Formgrader; the formgrader's frame."""
    page.goto(f"{server.url}/lab?reset&token={server.token}")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.commands.hasCommand("
        "'nbgrader:open-formgrader')",
        timeout=90_000,
    )
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Formgrader", exact=True).click()
    frame = page.frame_locator(".jp-MainAreaWidget iframe")
    frame.locator("h1", has_text="Manage Assignments").wait_for(timeout=60_000)
    return frame


def _open_submissions(frame: Any) -> None:
    """Manual Grading -> 06-practice -> 06-practice, with the students' names shown."""
    frame.get_by_role("link", name="Manual Grading").click()
    frame.locator("td a", has_text="06-practice").click()
    frame.locator("td a", has_text="06-practice").click()
    frame.locator("#main-table a.name-hidden").first.wait_for()  # the rows are in
    frame.get_by_role("button", name="Show All Names").click()
    frame.locator("#main-table a.name-shown").first.wait_for()


def _row(frame: Any, student: str) -> Any:
    return frame.locator("#main-table tr", has=frame.locator("a.name-shown", has_text=student))


def test_the_formgrader_shows_the_assignment_and_the_submission_that_needs_review(
    page: Any, server: Server
) -> None:
    frame = _open_formgrader(page, server)
    assignment = frame.locator("tr", has=frame.locator("td.name", has_text="06-practice"))
    expect(assignment.locator("td.num-submissions")).to_have_text("2")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "formgrader-assignments.png"))

    _open_submissions(frame)
    assert _row(frame, "ghopper").locator("td.flagged .glyphicon-flag").count() == 1
    assert _row(frame, "alovelace").locator("td.flagged .glyphicon-flag").count() == 0
    page.screenshot(path=str(ARTIFACTS / "formgrader-submissions.png"))

    _row(frame, "ghopper").locator("a.name-shown").click()
    banner = frame.get_by_text("Autograder: needs review.")
    banner.wait_for()
    body = frame.locator("body").inner_text()
    assert "the kernel died while running pq3-answer (In [7])" in body
    page.screenshot(path=str(ARTIFACTS / "formgrader-needs-review.png"))


def test_scores_set_by_hand_in_the_formgrader_are_what_the_export_carries(
    page: Any, server: Server
) -> None:
    frame = _open_formgrader(page, server)
    _open_submissions(frame)
    _row(frame, "ghopper").locator("a.name-shown").click()
    frame.get_by_text("Autograder: needs review.").wait_for()
    for grade_id, score in BY_HAND.items():
        box = frame.locator(f"input.score[id='{grade_id}']")
        box.fill(score)
        box.press("Tab")
    # each box loses its "needs manual grade" mark once the formgrader has saved it
    expect(frame.locator("input.score.needs_manual_grade")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "formgrader-graded-by-hand.png"))

    server.machine.run(command(EXPORT), server.course)
    text = (server.course / "grades" / "06-practice.csv").read_text()
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO(text))}
    ghopper = rows["ghopper"]
    assert {k: ghopper[k] for k in BY_HAND} == BY_HAND
    assert (ghopper["total"], ghopper["max_score"], ghopper["status"]) == ("16", "18", "ok")
    assert ghopper["reason"].startswith("reviewed by hand (was: ")
    assert "the kernel died while running pq3-answer (In [7])" in ghopper["reason"]
    assert (rows["alovelace"]["total"], rows["alovelace"]["status"]) == ("18", "ok")


# --- a hostile submission, opened by the instructor -------------------------------------
# What the payload would do: mark the page, open a dialog, and write to the course root
# through the contents API with the instructor's session.
_MARK = "window.top.__itil_pwned = (window.top.__itil_pwned || 0) + 1"
_PAYLOAD = f"{_MARK};alert('pwned');fetch('/api/contents/pwned.txt',{{method:'PUT',body:'{{}}'}})"
_ONERROR = f'<img src=x onerror="{_PAYLOAD}">'
_MARKDOWN = f"[click](javascript:{_PAYLOAD})<script>{_PAYLOAD}</script>"
_SVG = f'<svg xmlns="http://www.w3.org/2000/svg" onload="{_PAYLOAD}"/>'
_OUTPUTS = (
    "from IPython.display import HTML, Javascript, Markdown, SVG, display\n"
    f"display(HTML({_ONERROR!r}))\n"
    f"display(Javascript({_PAYLOAD!r}))\n"
    f"display(Markdown({_MARKDOWN!r}))\n"
    f"display(SVG({_SVG!r}))\n"
)


def _hostile_notebook() -> Any:
    first = next(iter(solutions()))
    nb = answered({**solutions(), first: solutions()[first] + "\n" + _OUTPUTS})
    markdown = nbformat.v4.new_markdown_cell(
        f"{_ONERROR}\n\n<script>{_PAYLOAD}</script>\n\n[open](javascript:{_PAYLOAD}) "
        f"[also](&#106;avascript:{_PAYLOAD})"
    )
    raw = nbformat.v4.new_raw_cell(f"<script>{_PAYLOAD}</script>{_ONERROR}")
    raw.metadata["raw_mimetype"] = "text/html"
    nb.cells[0:0] = [markdown, raw]
    return nb


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """mallory's answers display script (HTML, JavaScript, SVG, markdown outputs) and her
    notebook carries script in markdown and raw cells; collected and graded with the
    guide's commands next to alovelace's honest one."""
    require_sandbox()
    machine = Machine(tmp_path_factory.mktemp("formgrader-hostile"))
    course = new_course(machine.home("instructor") / "itil-svc")
    lms_zip(
        course / "lms-download.zip",
        [
            (f"{PREFIX}_alovelace_attempt_2025-03-14-16-00-00_{NOTEBOOK}", answered(solutions())),
            (f"{PREFIX}_mallory_attempt_2025-03-14-16-30-00_{NOTEBOOK}", _hostile_notebook()),
        ],
    )
    machine.run(command("python -m autograder collect 06-practice lms-download.zip"), course)
    machine.run(command("python -m autograder grade 06-practice"), course)
    with running_jupyterlab(course, machine.env("instructor"), course.parent / "lab.log") as (
        url,
        token,
    ):
        yield Server(url, token, course, machine)


def test_no_script_of_a_student_runs_when_the_instructor_opens_the_submission(
    page: Any, hostile: Server
) -> None:
    """The instructor opens mallory's autograded notebook in the formgrader: no dialog,
    no request to the contents API from the page after it opened, nothing of the payload
    ran in any frame, no file written to the course; her score is her answers' score."""
    dialogs: list[str] = []
    writes: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    frame = _open_formgrader(page, hostile)
    _open_submissions(frame)
    page.on(
        "request",
        lambda r: writes.append(f"{r.method} {r.url}") if "/api/contents" in r.url else None,
    )
    _row(frame, "mallory").locator("a.name-shown").click()
    frame.locator(".cell").first.wait_for()
    page.wait_for_timeout(3_000)  # time for an image error, a load event, a fetch
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "formgrader-hostile-submission.png"))
    for link in frame.locator("a").all():
        href = (link.get_attribute("href") or "").replace(" ", "").lower()
        assert not href.startswith("javascript:"), href
    marks = [f.evaluate("() => window.top.__itil_pwned || 0") for f in page.frames]
    assert dialogs == []
    assert writes == []
    assert marks == [0] * len(page.frames)
    assert not (hostile.course / "pwned.txt").exists()
    hostile.machine.run(command(EXPORT), hostile.course)
    text = (hostile.course / "grades" / "06-practice.csv").read_text()
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO(text))}
    assert (rows["mallory"]["total"], rows["mallory"]["status"]) == ("18", "ok")
    assert (rows["alovelace"]["total"], rows["alovelace"]["status"]) == ("18", "ok")


# --- the formgrader's Generate Feedback button ------------------------------------------
_LOADS = re.compile(
    r"<script[^>]*\bsrc=[\"']?https?://|<link[^>]*\bhref=[\"']?https?://|@import\s+(url\()?"
    r"[\"']?https?://|url\(\s*[\"']?https?://|<img[^>]*\bsrc=[\"']?https?://",
    re.I,
)


def test_generate_feedback_in_the_formgrader_writes_the_kits_feedback(
    page: Any, server: Server
) -> None:
    """Manage Assignments -> Generate Feedback (nbgrader's generate_feedback, run by the
    formgrader's API): the pages are the kit's. No line of a hidden test or a graded key,
    no solution line the student did not write, nothing loaded from the network; the
    student's score and the questions by name are there."""
    for old in (server.course / "feedback").rglob("*.html"):
        old.unlink()
    frame = _open_formgrader(page, server)
    row = frame.locator("tr", has=frame.locator("td.name", has_text="06-practice"))
    # (dispatched: JupyterLab's news toast may cover the button's corner)
    row.locator("td.generate-feedback a").dispatch_event("click")
    frame.locator("#success-modal, #error-modal").first.wait_for(timeout=180_000)
    assert frame.locator("#error-modal").count() == 0, frame.locator("body").inner_text()
    page.screenshot(path=str(ARTIFACTS / "formgrader-generate-feedback.png"))

    source = server.course / "source" / "06-practice"
    hidden = notebook_secrets(source.glob("*.ipynb"), HIDDEN)
    solution = notebook_secrets(source.glob("*.ipynb"), ("SOLUTION",))
    keys = key_lines(REPO / GRADED_KEYS)
    assert hidden
    assert solution
    assert keys
    # ghopper's total is 5 as graded, 16 once the test above has scored him by hand
    with Gradebook(f"sqlite:///{server.course / 'gradebook.db'}", "itil-svc") as gb:
        totals = {s: round(gb.find_submission("06-practice", s).score, 2) for s in STUDENTS}
    assert totals["alovelace"] == 18.0
    assert totals["ghopper"] in (5.0, 16.0)
    for student, total in totals.items():
        path = server.course / "feedback" / student / "06-practice" / "06-practice.html"
        html = path.read_text(encoding="utf-8")
        submitted = (server.course / "submitted" / student / "06-practice" / NOTEBOOK).read_text()
        assert [line for line in hidden if line in html] == [], student
        assert [line for line in keys if line in html] == [], student
        written = json_text(submitted)
        assert [line for line in solution if line in html and line not in written] == []
        assert _LOADS.findall(html) == [], student
        assert f"06-practice (Score: {total} / 18.0)" in html
        for grade_id in BY_HAND:
            assert f'<a href="#{grade_id}">{grade_id}</a>: Practice question' in html
        assert "Test cell" not in html
        assert "(children=(" not in html


def json_text(notebook: str) -> str:
    """Every cell's source of the notebook ``notebook`` (JSON text), joined."""
    cells = nbformat.reads(notebook, as_version=4).cells
    return "\n".join(cell.source for cell in cells)
