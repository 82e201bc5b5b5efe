"""Graded answers given through widgets survive the trip: Chromium -> saved .ipynb -> nbgrader.

The graded quiz widgets show no Check button and no verdict: only that the answer
is recorded and graded after submission.

A student opens the released practice notebook in JupyterLab, answers three graded
questions with widgets only (ticks in a quiz question, a radio choice, a value stream
built with the builder's keyboard list), saves with Ctrl+S and hands in nothing but the
``.ipynb``. nbgrader (with the course's config, which reads the saved widget state)
autogrades that file in a fresh kernel, and the points match what was chosen.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.notebooks.nbgrading import (
    RELEASE,
    autograde,
    grading_environment,
    new_course,
    notebook_path,
    results,
)

from .conftest import ARTIFACTS, Lab

ASSIGNMENT = "06-practice"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ENGAGE_PURPOSE = (
    "To work with stakeholders so that their needs are understood and they stay satisfied."
)
TICKED = ["Plan", "Improve", "Engage", "Design & Transition", "Obtain/Build", "Service Desk"]
BUILT = ["Engage", "Plan", "Design & Transition", "Deliver & Support"]
# What those choices earn (the keys are the source notebook's hidden tests):
# pq1: 5 right names, 1 wrong -> (5 - 1) / 6 of 3 points; pq2: the right purpose;
# pq3-stream, on the feedback-portal scenario: starts with Engage (weight 1) and Plan
# before Design & Transition (weight 2) met; no Obtain/Build, no closing Improve: 3 of 7.
EXPECTED = {
    "pq1": 2.0,
    "pq2": 2.0,
    "pq3": 0.0,
    "pq3-stream": 1.29,
    "pq4": 0.0,
    "pq4-pairs": 0.0,
    "pq5": 0.0,
    "pq5-why": 0.0,
}


def _open(lab: Lab, page: Any, relpath: str) -> None:
    lab.open(page, relpath)
    lab.command(page, "docmanager:open", {"path": relpath})
    page.wait_for_function(
        """(path) => {
            const w = window.jupyterapp.shell.currentWidget;
            const k = w && w.context && w.context.path === path && w.sessionContext.session
                && w.sessionContext.session.kernel;
            return k && k.status === 'idle';
        }""",
        arg=relpath,
        timeout=90_000,
    )


def _answer_with_widgets(page: Any) -> None:
    quiz = page.locator(f"{PANEL} .itil-q")
    names = quiz.filter(has_text="Which of these are activities")
    for name in TICKED:
        names.get_by_role("checkbox", name=name, exact=True).check()
    purpose = quiz.filter(has_text="What is the purpose of the Engage activity?")
    purpose.get_by_role("radio", name=ENGAGE_PURPOSE).check()
    # Graded widgets give no verdict before submission: no Check, only "recorded".
    for graded_question in (names, purpose):
        assert graded_question.get_by_role("button", name="Check").count() == 0
        graded_question.get_by_text("graded after you submit").wait_for(timeout=20_000)

    builder = page.locator(f"{PANEL} .itil-stream-builder")
    for step, name in enumerate(BUILT, start=1):
        builder.get_by_label("Activity").select_option(label=name)
        builder.get_by_role("button", name="Add step").click()
        page.wait_for_function(
            "([sel, text]) => [...document.querySelectorAll(sel)]"
            ".some(e => e.textContent.includes(text))",
            arg=[f"{PANEL} .itil-stream-builder [role=status]", f"Step {step} added: {name}"],
            timeout=20_000,
        )


def _saved_questions(path: Path) -> dict[str, Any]:
    saved = json.loads(path.read_text())
    state = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return {
        model["state"]["question_id"]: model["state"].get("response", model["state"].get("steps"))
        for model in state.values()
        if model.get("state", {}).get("question_id")
    }


@pytest.mark.slow
def test_widget_answers_saved_in_chromium_are_graded_by_nbgrader(
    lab: Lab, page: Any, tmp_path: Path
) -> None:
    relpath = f"graded/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    target = lab.root / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook_path(RELEASE, ASSIGNMENT), target)

    _open(lab, page, relpath)
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    _answer_with_widgets(page)
    page.wait_for_timeout(500)  # let the last change reach the kernel and the model
    page.locator(f"{PANEL} .jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(f"{PANEL} .itil-stream-builder").screenshot(
        path=str(ARTIFACTS / "graded-widgets-builder.png")
    )
    page.locator(f"{PANEL} .itil-q").filter(has_text="Which of these are activities").screenshot(
        path=str(ARTIFACTS / "graded-widget-no-check.png")
    )

    saved = _saved_questions(target)
    assert sorted(saved["six-names"]) == sorted(TICKED)
    assert saved["six-engage-purpose"] == ENGAGE_PURPOSE
    assert saved["pq3-stream"] == ["engage", "plan", "design-transition", "deliver-support"]

    # Hand in only the .ipynb, and grade it in a course of its own.
    root = tmp_path / "course"
    with grading_environment(tmp_path / "grader-data"):
        new_course(root, only=[ASSIGNMENT])
        submitted = notebook_path(root / "submitted" / "chromium-student", ASSIGNMENT)
        submitted.parent.mkdir(parents=True)
        shutil.copyfile(target, submitted)
        autograde(root, ASSIGNMENT)
    graded = results(root, ASSIGNMENT, "chromium-student")
    assert {question: g.score for question, g in graded.items()} == EXPECTED
