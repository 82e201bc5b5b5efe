"""Read the graded cells of the source notebooks, to test their keys through the scorers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from course import graded

SOURCE = Path(__file__).resolve().parent.parent / "source"
_BEGIN, _END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def notebooks() -> list[Path]:
    return sorted(SOURCE.glob("*/*.ipynb"))


def cells(notebook: str) -> list[dict[str, Any]]:
    """The cells of ``source/<notebook>/<notebook>.ipynb``."""
    data = json.loads((SOURCE / notebook / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = data["cells"]
    return found


def cell_text(notebook: str, grade_id: str) -> str:
    """The source of the cell with nbgrader ``grade_id`` in ``notebook``."""
    for cell in cells(notebook):
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            return "".join(cell["source"])
    raise AssertionError(f"test set-up: no cell {grade_id!r} in {notebook}")


def hidden_tests(text: str) -> str:
    """The hidden part of a test cell's source."""
    start, end = text.index(_BEGIN) + len(_BEGIN), text.index(_END)
    return text[start:end].strip()


def score_hidden(notebook: str, grade_id: str, **answers: object) -> graded.Result:
    """Run the hidden test of cell ``grade_id`` on ``answers`` (the answer cell's names)."""
    result = eval(hidden_tests(cell_text(notebook, grade_id)), {"graded": graded, **answers})
    assert isinstance(result, graded.Result)
    return result
