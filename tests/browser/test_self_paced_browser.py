"""The self-paced edition in JupyterLab: a learner answers and sees the verdict at once.

The edition is written with :func:`autograder.publish.self_paced.write_edition` into
the server's folder. In Chromium, a learner opens its practice notebook, runs it,
types one answer (wrong, then right) and answers one question with the quiz widget
only, and each check cell shows the verdict.
"""

from __future__ import annotations

from typing import Any

import pytest

from autograder.publish.self_paced import write_edition

from .conftest import ARTIFACTS, Lab

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
NOTEBOOK = "self-paced/release/06-practice/06-practice.ipynb"
ENGAGE_PURPOSE = (
    "To work with stakeholders so that their needs are understood and they stay satisfied."
)

_RUN_CELL = """([needle, source]) => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = panel.content.widgets;
    const index = cells.findIndex(c => c.model.sharedModel.getSource().includes(needle));
    if (index < 0) { throw new Error('no cell holds ' + needle); }
    if (source !== null) { cells[index].model.sharedModel.setSource(source); }
    panel.content.activeCellIndex = index;
    return index;
}"""


def _run(lab: Lab, page: Any, needle: str, source: str | None = None) -> str:
    """Run the cell that holds ``needle`` (after setting its text), and return its output."""
    index = page.evaluate(_RUN_CELL, [needle, source])
    lab.command(page, "notebook:run-cell")
    lab.wait_idle(page)
    return str(
        page.evaluate(
            "(i) => window.jupyterapp.shell.currentWidget.content.widgets[i]"
            ".node.querySelector('.jp-OutputArea').innerText",
            index,
        )
    )


@pytest.mark.slow
def test_a_typed_and_a_widget_answer_get_their_verdict_in_chromium(lab: Lab, page: Any) -> None:
    write_edition(lab.root / "self-paced")
    lab.open(page, NOTEBOOK)
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    notice = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.widgets[1]"
        ".model.sharedModel.getSource()"
    )
    assert "Self-paced edition" in notice

    check = "graded.self_check(\n    how_streams_form,"
    _run(lab, page, "how_streams_form = ...", 'how_streams_form = "B"')
    wrong = _run(lab, page, check)
    assert "Not right yet" in wrong
    assert "Read again: lesson 4" in wrong
    _run(lab, page, 'how_streams_form = "B"', 'how_streams_form = "A"')
    right = _run(lab, page, check)
    assert "Right" in right
    assert "2 of 2 points" in right

    purpose = page.locator(f"{PANEL} .itil-q").filter(
        has_text="What is the purpose of the Engage activity?"
    )
    purpose.get_by_role("radio", name=ENGAGE_PURPOSE).check()
    page.wait_for_timeout(500)  # let the choice reach the kernel
    verdict = _run(lab, page, "graded.self_check(\n    engage_purpose,")
    assert "Right" in verdict
    assert "Taken from" not in verdict  # the classroom's "graded later" line is gone
    assert "2 of 2 points" in verdict
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(f"{PANEL} .itil-verdict").last.screenshot(
        path=str(ARTIFACTS / "self-paced-verdict.png")
    )
