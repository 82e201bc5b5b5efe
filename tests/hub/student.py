"""What a person does in the browser on the hub: log in, use nbgrader's Assignments panel,
answer the practice notebook (through a widget or by typing), save, submit, fetch feedback.

Each step waits for what the person would see (generous, bounded waits); JupyterLab's
own commands are run through the app the hub test exposes (``window.jupyterapp``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.browser.conftest import Lab

from .accounts import Account

__all__ = ["Session", "lab_session", "log_in"]

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
_LAB_UP = "() => window.jupyterapp !== undefined && document.querySelector('.jp-LabShell')"


@dataclass
class Session:
    """One person's JupyterLab on the hub, in one browser page."""

    page: Any
    account: Account
    lab: Lab  # JupyterLab helpers (run all, wait until idle, save) on this page

    # -- nbgrader's Assignments panel -------------------------------------------------
    def assignments(self) -> None:
        """Open (or bring forward) the Assignments panel from the menu (Nbgrader ->
        Assignment List) and wait for its lists."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
        self.page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
        self.page.locator("#nbgrader-assignment-list").wait_for(timeout=30_000)
        self._loaded()

    def courses(self) -> list[str]:
        """The courses the panel offers (its course menu), once it has loaded them."""
        self.page.wait_for_function(
            "() => !document.getElementById('course_list_dropdown').disabled", timeout=60_000
        )
        return [t.strip() for t in self.page.locator("#course_list li").all_inner_texts()]

    def choose_course(self, course: str) -> None:
        """Show ``course`` in the panel (its course menu)."""
        self.courses()
        if self.page.locator("#course_list_default").inner_text().strip() != course:
            self.page.locator("#course_list li", has_text=course).dispatch_event("click")
        self.page.wait_for_function(
            "(c) => document.getElementById('course_list_default').innerText.trim() === c"
            " && !document.getElementById('course_list_dropdown').disabled",
            arg=course,
            timeout=60_000,
        )
        self._loaded()

    def refresh(self) -> None:
        self.page.locator("#refresh_assignments_list").click()
        self._loaded()

    def _loaded(self) -> None:
        self.page.wait_for_function(
            "() => ['released', 'fetched', 'submitted'].every(l => {"
            "  const e = document.getElementById(l + '_assignments_list_loading');"
            "  return e && e.hidden; })",
            timeout=60_000,
        )

    def _item(self, listing: str, course: str, assignment: str) -> Any:
        return (
            self.page.locator(f"#{listing}_assignments_list > .list_item")
            .filter(has=self.page.locator(".item_course", has_text=course))
            .filter(has=self.page.locator(".item_name", has_text=assignment))
        )

    def fetch(self, course: str, assignment: str) -> None:
        """Fetch ``assignment`` of ``course`` (from the released list)."""
        self._item("released", course, assignment).get_by_role("button", name="Fetch").click()
        self._item("fetched", course, assignment).wait_for(timeout=60_000)

    def open_notebook(self, course: str, assignment: str, notebook: str) -> str:
        """Open a fetched notebook from the panel; wait for its idle kernel. Its path."""
        item = self._item("fetched", course, assignment)
        item.locator("a.assignment-notebooks-link").click()
        item.locator(".nested_list_item .item_name a", has_text=notebook).click()
        path = f"{course}/{assignment}/{notebook}.ipynb"
        self.wait_for_notebook(path)
        return path

    def wait_for_notebook(self, path: str) -> None:
        """Until the notebook at ``path`` is the current tab, with its kernel idle."""
        self.page.wait_for_function(
            """(path) => {
                const w = window.jupyterapp.shell.currentWidget;
                const k = w && w.context && w.context.path === path && w.sessionContext
                    && w.sessionContext.session && w.sessionContext.session.kernel;
                return k && k.status === 'idle' && w.node.querySelector('.jp-Cell') !== null;
            }""",
            arg=path,
            timeout=120_000,
        )

    def submit(self, course: str, assignment: str) -> None:
        self.assignments()
        self._item("fetched", course, assignment).get_by_role("button", name="Submit").click()
        self._item("submitted", course, assignment).wait_for(timeout=60_000)

    def fetch_feedback(self, course: str, assignment: str) -> None:
        """Fetch the released feedback from the submitted list; wait for its link."""
        self.assignments()
        self.refresh()
        item = self._item("submitted", course, assignment)
        item.get_by_role("button", name="Fetch Feedback").click()
        item.get_by_text("(view feedback)").first.wait_for(timeout=60_000)

    # -- the notebook ---------------------------------------------------------------
    def run_all(self) -> list[str]:
        """Run every cell; the error outputs shown (none expected)."""
        self.lab.run_all(self.page)
        return self.lab.error_outputs(self.page)

    def tick(self, question_text: str, choices: list[str]) -> None:
        """Tick ``choices`` in the graded quiz question whose text holds ``question_text``."""
        question = self.page.locator(f"{PANEL} .itil-q").filter(has_text=question_text)
        for choice in choices:
            question.get_by_role("checkbox", name=choice, exact=True).check()
        question.get_by_text("graded after you submit").wait_for(timeout=30_000)

    def type_cell(self, starting_with: str, code: str) -> None:
        """Replace the text of the code cell that starts with ``starting_with`` by ``code``."""
        start = re.compile("^" + re.escape(starting_with))
        cell = self.page.locator(f"{PANEL} .jp-CodeCell").filter(
            has=self.page.locator(".cm-content", has_text=start)
        )
        editor = cell.locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.type(code)
        self.page.wait_for_function(
            "([sel, code]) => [...document.querySelectorAll(sel)]"
            ".some(e => e.textContent === code)",
            arg=[f"{PANEL} .jp-CodeCell .cm-content", code],
            timeout=10_000,
        )

    def save(self) -> None:
        self.page.wait_for_timeout(500)  # let the last widget change reach the model
        self.lab.save(self.page)

    def read(self, relpath: str) -> str:
        """The text of the user's file ``relpath``, as their server serves it."""
        self.page.goto(f"{self.lab.url}/files/{relpath}")
        return str(self.page.locator("body").inner_text(timeout=30_000))


def log_in(page: Any, hub_url: str, account: Account) -> None:
    """Log in on the hub's page (the hub then starts the user's server)."""
    page.goto(f"{hub_url}/hub/login")
    page.locator("#username_input").fill(account.name)
    page.locator("#password_input").fill(account.password)
    page.locator("#login_submit").click()


def lab_session(page: Any, hub_url: str, account: Account) -> Session:
    """Wait until the logged-in user's JupyterLab is up in ``page``."""
    page.wait_for_function(_LAB_UP, timeout=150_000)
    user_url = f"{hub_url}/user/{account.name}"
    assert page.url.startswith(f"{user_url}/lab"), page.url
    return Session(page, account, Lab(url=user_url, token="", root=account.home))
