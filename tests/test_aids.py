"""Learning aids: lesson times from one place, three-line summaries, glossary, cheat sheet."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest

import course
from course import ContentError, load_course
from course.aids import load_aids, read_aids
from course.loader import CONTENT_DIR
from course.sheets import cheat_sheet, cheat_sheet_page, glossary, lesson_header, lesson_plan

from .content_support import break_file

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "source"
RELEASE = REPO / "release"
FOLDERS = sorted(p.name for p in SOURCE.iterdir() if p.is_dir())
LESSONS = [f for f in FOLDERS if f != "00-start-here"]
DURATION = re.compile(r"\b(\d+|one|two|three)\s*(minutes?|mins?|hours?)\b", re.I)


def _notebook(folder: str, name: str | None = None) -> nbformat.NotebookNode:
    return nbformat.read(SOURCE / folder / f"{name or folder}.ipynb", 4)


def test_every_notebook_has_one_time_and_the_course_adds_them_up() -> None:
    """lessons.yaml lists every notebook folder in order; the start page's plan shows each
    time and the total, in hours and minutes."""
    aids = load_aids()
    assert [lesson.folder for lesson in aids.lessons] == FOLDERS
    plan = lesson_plan()
    for lesson in aids.lessons:
        assert f"{lesson.minutes} min" in plan.html
        assert f'href="../{lesson.path}"' in plan.html
        assert (RELEASE / lesson.path).is_file()
    assert f"{aids.minutes} min" in plan.html
    assert aids.minutes == 130
    assert "about 2 hours 10 minutes in all" in plan.html


def test_times_are_rendered_never_typed_into_a_notebook() -> None:
    """The start page shows the plan and each lesson its header, right after loading the
    course; no markdown cell states a duration of its own."""
    assert "course.lesson_plan()" in "\n".join(c.source for c in _notebook("00-start-here").cells)
    for folder in LESSONS:
        cells = _notebook(folder).cells
        setup = next(
            i
            for i, c in enumerate(cells)
            if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"
        )
        assert cells[setup + 1].source == f'course.lesson_header("{folder}")', folder
    for path in SOURCE.rglob("*.ipynb"):
        for cell in nbformat.read(path, 4).cells:
            if cell.cell_type == "markdown":
                assert not DURATION.search(cell.source), (path.name, DURATION.search(cell.source))


def test_each_lesson_header_gives_its_time_and_links_glossary_and_cheat_sheet() -> None:
    for folder in LESSONS:
        header = lesson_header(folder)
        minutes = load_aids().lesson(folder).minutes
        assert f"About {minutes} minutes" in header.html
        for target in ("glossary", "cheat-sheet"):
            assert f'href="../00-start-here/{target}.ipynb"' in header.html
            assert (RELEASE / "00-start-here" / f"{target}.ipynb").is_file()
        assert "<details" in header.html  # the glossary itself, folded, in every lesson
        assert all(t.term in header.html for t in load_aids().terms)
    with pytest.raises(KeyError, match="unknown lesson 'nope'; the lessons are: 00-start-here"):
        lesson_header("nope")


@pytest.mark.parametrize("folder", LESSONS)
def test_each_lesson_ends_with_a_three_line_summary(folder: str) -> None:
    """After the graded questions and before 'Save your work': a heading and exactly
    three numbered lines."""
    cells = _notebook(folder).cells
    index = next(i for i, c in enumerate(cells) if c.source.startswith("## In three lines"))
    lines = [line for line in cells[index].source.splitlines()[1:] if line.strip()]
    assert [line[:3] for line in lines] == ["1. ", "2. ", "3. "]
    assert cells[index + 1].source.startswith("## Save your work")
    graded = [i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("grade")]
    assert max(graded) < index


def test_the_glossary_holds_the_course_terms_alphabetically_with_their_lessons() -> None:
    terms = {t.term.casefold(): t for t in load_aids().terms}
    for wanted in ("activity", "practice", "value stream", "service value system", "output"):
        assert wanted in terms, wanted
    page = glossary()
    for term in terms.values():
        assert html.escape(term.text) in page.html
        assert f'href="../{term.lesson}/{term.lesson}.ipynb"' in page.html
    names = [t.term.casefold() for t in load_aids().terms]
    assert names == sorted(names)
    cells = _notebook("00-start-here", "glossary").cells
    assert any(c.source.endswith("course.glossary()") for c in cells)


def test_the_cheat_sheet_carries_the_six_activities_and_three_streams(tmp_path: Path) -> None:
    """Name, purpose, outputs and practices of each activity and every step of the three
    example streams, from the course model; the saved page has landscape print rules."""
    target = tmp_path / "sheet.html"
    figure = cheat_sheet(save=target)
    page = target.read_text(encoding="utf-8")
    assert page == cheat_sheet_page()
    model = load_course()
    for activity in model.activities:
        for text in (activity.name, activity.purpose, *activity.outputs, *activity.practices):
            escaped = text.replace("&", "&amp;")
            assert escaped in page, text
            assert escaped in figure.html, text
    for stream in model.value_streams:
        assert stream.name in page
        assert all(step.action.replace("&", "&amp;") in page for step in stream.steps)
    assert "@page{size:A4 landscape" in page
    assert "@media print" in page
    assert "Open in New Browser Tab" in figure.html
    assert "Open in New Browser Tab" not in cheat_sheet(save=None).html


def test_the_aids_are_course_entry_points_and_load_without_widgets() -> None:
    for name in ("lesson_plan", "lesson_header", "glossary", "cheat_sheet", "review"):
        assert callable(getattr(course, name))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("lessons.yaml", "minutes: 25", "minutes: 0", "minutes must be a whole number from 1"),
        ("lessons.yaml", "minutes: 25", "minutes: soon", "minutes must be a whole number"),
        ("lessons.yaml", "objective: what-is-svc", "objective: what-it-is", "unknown learning"),
        ("lessons.yaml", "folder: 02-six-activities", "folder: 03-six-activities", "numbered 02"),
        ("lessons.yaml", "    minutes: 5\n", "    minute: 5\n", "unknown field 'minute'"),
        ("glossary.yaml", "lesson: 05-activities", "lesson: 09-activities", "unknown lesson"),
        ("glossary.yaml", "term: Common pattern", "term: Zebra", "alphabetical order"),
    ],
)
def test_a_broken_aids_file_names_the_file_the_line_and_the_fix(
    content: Path, file: str, old: str, new: str, message: str
) -> None:
    break_file(content, file, old, new)
    with pytest.raises(ContentError, match=message) as info:
        read_aids(content, load_course())
    assert info.value.file == file
    assert info.value.line is not None
