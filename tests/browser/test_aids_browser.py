"""The learning aids as a learner sees them in Chromium: the start page with its lesson
times and five-minute review, the glossary, a lesson's header, and the cheat sheet, which
prints on exactly one page. Screenshots are kept in tests/artifacts/."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest

from course.sheets import cheat_sheet_page

from .conftest import ARTIFACTS, REPO, Lab

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


@pytest.fixture(scope="module")
def course_root(lab: Lab) -> str:
    target = lab.root / "release"
    if not target.exists():
        shutil.copytree(REPO / "release", target)
    return "release"


def _top(page: Any) -> None:
    page.eval_on_selector(f"{PANEL} .jp-WindowedPanel-outer", "el => { el.scrollTop = 0; }")
    page.wait_for_timeout(500)


@pytest.mark.slow
def test_start_page_shows_times_and_a_review_of_five(lab: Lab, page: Any, course_root: str) -> None:
    lab.open(page, f"{course_root}/00-start-here/00-start-here.ipynb")
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    review = page.locator(f"{PANEL} .itil-review")
    review.wait_for(timeout=30_000)
    assert review.locator(".itil-q").count() == 5
    assert review.get_by_role("button", name="Another set").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(
        f"{PANEL} .jp-Cell", has_text="Five-minute review"
    ).first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "aids-start-review.png"))
    _top(page)
    plan = page.locator(f"{PANEL} .jp-OutputArea-output", has_text="Time for each notebook")
    assert "130 min" in plan.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "aids-start-top.png"))


@pytest.mark.slow
def test_glossary_and_a_lesson_header_render(lab: Lab, page: Any, course_root: str) -> None:
    lab.open(page, f"{course_root}/00-start-here/glossary.ipynb")
    lab.run_all(page)
    assert lab.error_outputs(page) == []
    glossary = page.locator(f"{PANEL} .itil-glossary")
    assert "Service Value System" in glossary.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "aids-glossary.png"), full_page=True)

    lab.open(page, f"{course_root}/02-six-activities/02-six-activities.ipynb")
    for _ in range(4):  # title, note, set-up, header
        lab.command(page, "notebook:run-cell-and-select-next")
    lab.wait_idle(page)
    header = page.locator(f"{PANEL} .itil-lesson-header")
    header.get_by_text("A word you do not know?").click()
    assert header.get_by_text("Value stream", exact=True).is_visible()
    assert "About 25 minutes" in header.inner_text()
    _top(page)
    page.screenshot(path=str(ARTIFACTS / "aids-lesson-header.png"))


def test_cheat_sheet_prints_on_one_page(page: Any, tmp_path: Any) -> None:
    """Chromium's print to PDF of the cheat sheet page gives exactly one page."""
    target = tmp_path / "cheat-sheet.html"
    target.write_text(cheat_sheet_page(), encoding="utf-8")
    page.goto(target.as_uri())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "aids-cheat-sheet.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "aids-cheat-sheet-print.png"), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "aids-cheat-sheet.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the cheat sheet prints on {pages} pages"
