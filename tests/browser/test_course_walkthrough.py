"""The whole course as a student meets it: every release notebook in real
JupyterLab and Chromium, run from top to bottom, with every quiz and graph
drawn, no error shown, and a screenshot of each kept in tests/artifacts/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import ARTIFACTS, REPO, Lab

NOTEBOOKS = sorted((REPO / "release").glob("*/*.ipynb"))
WIDGET_ERRORS = ("Error displaying widget", "Failed to load model class", "Traceback")


def _calls(notebook: Path, name: str) -> int:
    """How many code cells of ``notebook`` call ``course.<name>(``."""
    cells = json.loads(notebook.read_text())["cells"]
    pattern = re.compile(rf"\bcourse\.{name}\(")
    return sum(
        len(pattern.findall("".join(c["source"]))) for c in cells if c["cell_type"] == "code"
    )


@pytest.fixture(scope="module")
def course_root(lab: Lab) -> Path:
    """A student's copy of release/ inside the served folder."""
    target = lab.root / "release"
    if not target.exists():
        shutil.copytree(REPO / "release", target)
    return target


def test_every_release_notebook_is_in_the_walkthrough() -> None:
    assert len(NOTEBOOKS) == 9  # the start page has the glossary and the cheat sheet beside it
    assert NOTEBOOKS[0].name == "00-start-here.ipynb"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_cleanly_and_draws_every_widget(
    notebook: Path, lab: Lab, page: Any, course_root: Path
) -> None:
    """Run all cells: no error output, every quiz and every graph is on screen."""
    relpath = f"release/{notebook.parent.name}/{notebook.name}"
    lab.open(page, relpath)
    lab.run_all(page)
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    text = page.inner_text(panel)
    for marker in WIDGET_ERRORS:
        assert marker not in text, f"{notebook.name} shows {marker!r}"
    assert lab.error_outputs(page) == []

    quizzes = page.locator(f"{panel} .itil-quiz")
    assert quizzes.count() == _calls(notebook, "quiz")
    graphs = _calls(notebook, "builder") + _calls(notebook, "practice_graph")
    canvases = page.locator(
        f"{panel} .itil-stream-graph canvas, {panel} .itil-practice-graph canvas"
    )
    if graphs:
        canvases.first.wait_for(state="attached", timeout=30_000)
    drawn = page.locator(f"{panel} .itil-stream-graph, {panel} .itil-practice-graph")
    assert drawn.count() == graphs
    for index in range(drawn.count()):
        assert drawn.nth(index).locator("canvas").count() > 0, f"graph {index} has no canvas"

    _screenshots(page, panel, notebook.stem)


def _screenshots(page: Any, panel: str, stem: str) -> None:
    """The top of the notebook, and its first quiz or builder, as a student sees them."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    scroller = f"{panel} .jp-WindowedPanel-outer"
    page.eval_on_selector(scroller, "el => { el.scrollTop = 0; }")
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"walkthrough-{stem}-top.png"))
    first = page.locator(f"{panel} .itil-quiz, {panel} .itil-stream-builder").first
    if first.count():
        first.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / f"walkthrough-{stem}-widget.png"))
