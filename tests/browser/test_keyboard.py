"""Keyboard only: one quiz question and one builder exercise, done without a mouse.

Each test puts the focus on the widget's first control (as a screen-reader
user jumping to it would) and from then on uses only the keyboard.
"""

from __future__ import annotations

from typing import Any

from .conftest import Lab

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def _focused(page: Any) -> str:
    """A short description of the focused element: its label or its text."""
    return str(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el) return '';
                const label = el.labels && el.labels[0] ? el.labels[0].textContent : '';
                return (el.getAttribute('aria-label') || label || el.textContent
                        || el.title || '').trim();
            }"""
        )
    )


def _tab_to(page: Any, name: str, backwards: bool = False, limit: int = 12) -> None:
    """Press Tab (or Shift+Tab) until the control called ``name`` has the focus."""
    for _ in range(limit):
        if _focused(page) == name:
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {name!r}; last focus: {_focused(page)!r}")


def _chosen(select: Any) -> str:
    """The text of the option a drop-down shows (ipywidgets uses no-break spaces)."""
    return str(select.evaluate("s => s.options[s.selectedIndex].text")).replace("\xa0", " ")


def test_a_quiz_question_answered_and_checked_with_the_keyboard(lab: Lab, page: Any) -> None:
    """Arrow keys choose, Tab reaches Check, Enter marks: the feedback is announced."""
    path = lab.notebook(
        "keyboard/quiz.ipynb",
        [
            "from course.widgets.quiz import question_widget\n"
            "q = question_widget('six-engage-purpose')\nq",
            "print('RESPONSE', q.response)",
        ],
    )
    lab.open(page, path)
    lab.run_all(page)
    radios = page.locator(f"{PANEL} .itil-q input[type=radio]")
    radios.first.focus()
    page.keyboard.press("Space")
    for _ in range(radios.count()):
        if "stakeholder" in _focused(page).lower():
            break
        page.keyboard.press("ArrowDown")
    assert "stakeholder" in _focused(page).lower()
    lab.wait_idle(page)  # the choice has reached the kernel
    _tab_to(page, "Check")
    page.keyboard.press("Enter")
    feedback = page.locator(f"{PANEL} .itil-q .itil-fb")
    feedback.wait_for(timeout=20_000)
    assert "Right." in feedback.inner_text()
    assert feedback.get_attribute("role") == "status"


def test_a_builder_exercise_done_with_the_keyboard(lab: Lab, page: Any) -> None:
    """The list mode builds Incident Resolution step by step; Check gives full marks."""
    path = lab.notebook(
        "keyboard/builder.ipynb",
        ["import course\nb = course.builder('incident-resolution')\nb"],
    )
    lab.open(page, path)
    lab.run_all(page)
    select = page.locator(f"{PANEL} .itil-stream-builder select").first
    select.focus()
    for number, name in enumerate(("Engage", "Obtain/Build", "Deliver & Support", "Improve")):
        for _ in range(8):  # arrow through the options to the one wanted
            chosen = _chosen(select)
            if chosen == name:
                break
            page.keyboard.press("ArrowDown")
        assert _chosen(select) == name
        lab.wait_idle(page)  # a person is slower than the kernel: let it catch up
        _tab_to(page, "Add step")
        page.keyboard.press("Enter")
        steps = page.locator(f"{PANEL} .itil-stream-builder select[size] option")
        lab.wait_idle(page)
        status = page.locator(f"{PANEL} .itil-stream-builder [role=status]").all_inner_texts()
        assert steps.count() == number + 1, f"step {name!r} not added; status: {status}"
        _tab_to(page, "Activity", backwards=True)
        if _focused(page) != "Activity":
            select.focus()
        for _ in range(8):  # back to the top of the list for the next search
            page.keyboard.press("ArrowUp")
    lab.wait_idle(page)
    _tab_to(page, "Check", backwards=True, limit=20)
    page.keyboard.press("Enter")
    page.locator(
        f"{PANEL} .itil-stream-builder", has_text="Well done: every check is met"
    ).wait_for(timeout=20_000)
    options = page.locator(f"{PANEL} .itil-stream-builder select[size] option")
    steps = [text.replace("\xa0", " ") for text in options.all_inner_texts()]
    assert [s.split(". ", 1)[-1].split(" — ")[0] for s in steps] == [
        "Engage",
        "Obtain/Build",
        "Deliver & Support",
        "Improve",
    ]
