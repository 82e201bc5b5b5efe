"""Golden files for the grading pipeline: one autograded notebook, its feedback page and
the class report, for the small class of ``graded_class``.

Each is compared whole, after masking what changes from run to run (cell ids, dates,
temporary paths) and dropping nbconvert's stylesheet. A deliberate change of output is
accepted with ``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/autograder/test_golden.py``
and reviewed in the diff of ``tests/autograder/golden/``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from autograder.course_layout import open_course
from autograder.engine.grade import BatchResult
from autograder.outputs.feedback import generate_feedback
from autograder.outputs.report import build_report

GOLDEN = Path(__file__).parent / "golden"
STUDENT = "carol"  # partly right: scores, a failed test and a passed one
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(\+00:00| UTC|Z)?")


def _masked(text: str, course: Path) -> str:
    text = text.replace(str(course), "<course>")
    return _TIME.sub("<time>", text)


def _notebook(path: Path, course: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell-{number}"
    return _masked(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False), course) + "\n"


def _page(html: str, course: Path) -> str:
    """The body of a page, without stylesheets and scripts, one tag per line."""
    body = html[html.find("<body") :]
    body = re.sub(r"<style.*?</style>|<script.*?</script>", "", body, flags=re.S)
    body = re.sub(r'\bid="[^"]*"', 'id="…"', body)
    body = re.sub(r">\s+<", ">\n<", body)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return _masked("\n".join(lines), course) + "\n"


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.slow
def test_the_autograded_notebook_matches_its_golden_file(
    graded_class: tuple[Path, BatchResult],
) -> None:
    course, _ = graded_class
    path = course / "autograded" / STUDENT / "ps1" / "problems.ipynb"
    _check("autograded-problems.ipynb.json", _notebook(path, course))


@pytest.mark.slow
def test_the_feedback_page_matches_its_golden_file(
    graded_class: tuple[Path, BatchResult],
) -> None:
    course, _ = graded_class
    done = generate_feedback(open_course(course), "ps1", [STUDENT])
    page = next(p for p in done.written if p.name == "problems.html")
    _check("feedback-problems.html", _page(page.read_text(encoding="utf-8"), course))


@pytest.mark.slow
def test_the_class_report_matches_its_golden_file(
    graded_class: tuple[Path, BatchResult],
) -> None:
    course, _ = graded_class
    _check("report.html", _page(build_report(open_course(course), "ps1"), course))
