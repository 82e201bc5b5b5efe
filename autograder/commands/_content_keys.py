"""``check``'s graded-keys part: every hidden test's key agrees with the content.

A key that is a fact of the content is computed by a helper of
:mod:`course.graded._content_keys`; here each such call is evaluated against the
content being checked, its lettered options are compared with the question's
own list, and a key written as a literal that restates a content fact (a practice
mapped to an activity, an output to its activity) is compared with the content.
Each problem names the notebook, the question and what to change.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from course.graded import CONTENT_KEYS, ContentKeyError, evaluate_key
from course.graded._content_keys import content_call
from course.lookup import normalise
from course.model import Course

__all__ = ["key_problems"]

_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
_OPTION = re.compile(r"^- \*\*([A-Z])\.\*\* (.+?)(?=\n- \*\*[A-Z]\.\*\*|\n\n|\Z)", re.M | re.S)
_LETTER_HELPERS = {"key_activity_letters": 1, "practice_letters": 0}  # options argument


def _cells(notebook: Path) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return cells


def _text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _grade_id(cell: dict[str, Any]) -> str:
    return str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", ""))


def _scorer_calls(text: str) -> Iterator[ast.Call]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr.startswith("score_")
            and len(node.args) >= 2
        ):
            yield node


def _shown_options(cells: list[dict[str, Any]], grade_id: str) -> list[str] | None:
    for cell in cells:
        if _grade_id(cell) == f"{grade_id}-question":
            found = _OPTION.findall(_text(cell))
            return [" ".join(text.split()) for _, text in found] or None
    return None


def _literal_facts(key: Any, course: Course) -> Iterator[str]:
    """What a literal mapping key says against the content (practice or output links)."""
    if not isinstance(key, dict) or not key:
        return
    helper = None
    truth: dict[str, set[str]] = {}
    for name in key:
        try:
            truth[name] = set(course.practice(str(name)).supports)
            helper = "practice_links"
        except KeyError:
            owners = {
                a.id for a in course.activities if normalise(str(name)) in map(normalise, a.outputs)
            }
            if not owners:
                return  # not a content fact: a judgement the notebook makes
            truth[name] = owners
            helper = helper or "output_owners"
    for name, said in key.items():
        given = {said} if isinstance(said, str) else set(said)
        if given != truth[name]:
            yield (
                f"the key says {name!r} -> {', '.join(sorted(given))}, the content says "
                f"{', '.join(sorted(truth[name]))}: write the key as graded.{helper}"
                f"({list(key)!r}) so that it follows the content"
            )


def key_problems(source: Path, course: Course, bank: Any) -> tuple[int, list[str]]:
    """(keys checked, problems) for every hidden test of the notebooks under ``source``;
    with ``bank`` ``None`` (it did not load) the keys read from it are skipped."""
    checked = 0
    problems: list[str] = []
    for notebook in sorted(source.glob("*/*.ipynb")):
        cells = _cells(notebook)
        name = notebook.relative_to(source.parent).as_posix()
        for cell in cells:
            hidden = _HIDDEN.search(_text(cell))
            if cell.get("cell_type") != "code" or hidden is None:
                continue
            where = f"{name}, question {_grade_id(cell)}"
            for call in _scorer_calls(hidden.group(1)):
                checked += 1
                problems += _problems_of(call.args[1], cells, _grade_id(cell), course, bank, where)
    return checked, problems


def _problems_of(
    node: ast.expr,
    cells: list[dict[str, Any]],
    grade_id: str,
    course: Course,
    bank: Any,
    where: str,
) -> list[str]:
    helper = content_call(node)
    if helper == "quiz_letters" and bank is None:
        return []  # the quiz bank did not load: check names its problems
    try:
        key = evaluate_key(node, course=course, bank=bank)
    except ContentKeyError as exc:
        return [
            f"{where}: its hidden test's graded.{helper}(...) no longer fits the content: {exc}; "
            "change the question and its hidden test, or the content"
        ]
    except ValueError:
        return []  # not a plain value: nothing to compare
    if helper is None:
        return [f"{where}: {fact}" for fact in _literal_facts(key, course)]
    if helper in _LETTER_HELPERS:
        assert isinstance(node, ast.Call)
        options = ast.literal_eval(node.args[_LETTER_HELPERS[helper]])
        shown = _shown_options(cells, grade_id)
        if shown is not None and [normalise(o) for o in shown] != [normalise(o) for o in options]:
            return [
                f"{where}: the question lists the options {shown}, but its hidden test's "
                f"graded.{helper}(...) letters {list(options)}; make the two lists the same"
            ]
    assert helper in CONTENT_KEYS
    return []
