"""What the class report says about one answer: its text, and whether it lost points.

The report lists the answers of questions that lost points. Some of those
answers are right all the same, or right in part, and only the scorer the
lesson uses can tell; this module asks it (never a copy of it):

- a value stream scored on a scenario (``graded.score_stream(..., scenario=...)``
  in the test) is judged by :func:`course.graded.score_stream`: a stream the
  lesson accepts (full points) is not a wrong answer;
- a mapping scored with ``graded.score_mapping(name, key)`` (a literal, or a
  content helper such as ``graded.practice_links([...])``) is judged pair by
  pair by :func:`course.graded.score_mapping`: the wrong pairs are shown first and
  the right ones are counted, so a long answer is never cut before its mistake;
- an answer left as ``...`` is the one given through the question's widget (read
  from the submitted notebook's saved widget state), else "no answer".

Which scorer, scenario, key and widget a question uses is read from its test
cell in ``source/`` (:func:`question_specs`), parsed, never run.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

import course
from autograder import notebook_io as nbio
from autograder.course_layout import CourseLayout
from autograder.engine.snapshot import decode
from course.graded import ContentKeyError, evaluate_key, score_mapping, score_stream
from course.lookup import find_activity

__all__ = ["NO_ANSWER", "Judged", "QuestionSpec", "judge", "question_specs", "render_value"]

NO_ANSWER = "no answer"
_LIMIT = 160


@dataclass(frozen=True)
class QuestionSpec:
    """How a graded cell scores its answer, as its test cell says."""

    id: str
    notebook: str = ""
    scorer: str = ""  # "score_stream", "score_mapping", ... ("" for a plain assert)
    widget: str = ""  # the question id a widget answers it with
    scenario: str = ""
    key: Any = None  # the literal key (score_mapping), else None


@dataclass(frozen=True)
class Judged:
    text: str
    is_stream: bool
    wrong: bool


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _literal(node: ast.AST | None) -> Any:
    try:
        return ast.literal_eval(node) if node is not None else None
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _key(node: ast.expr | None) -> Any:
    """The key a test passes: a literal, or a content helper's call evaluated against the
    course (``graded.practice_links([...])``), as the hidden test does when it runs."""
    if node is None:
        return None
    try:
        return evaluate_key(node)
    except (ContentKeyError, ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _spec(grade_id: str, notebook: str, source: str) -> QuestionSpec:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return QuestionSpec(grade_id, notebook)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node).startswith("score_"):
            words = {k.arg: _literal(k.value) for k in node.keywords if k.arg}
            given = next((k.value for k in node.keywords if k.arg == "key"), None)
            key = _key(node.args[1] if len(node.args) > 1 else given)
            return QuestionSpec(
                grade_id,
                notebook,
                _call_name(node),
                str(words.get("question") or ""),
                str(words.get("scenario") or ""),
                key,
            )
    return QuestionSpec(grade_id, notebook)


def question_specs(layout: CourseLayout, assignment: str) -> dict[str, QuestionSpec]:
    """The spec of every graded cell of ``assignment``'s source notebooks."""
    specs: dict[str, QuestionSpec] = {}
    for path in layout.source_notebooks(assignment):
        for cell in nbio.read(path).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id and cell.cell_type == "code":
                specs[grade_id] = _spec(grade_id, path.stem, cell.source)
    return specs


def _stream_text(value: Any) -> str | None:
    """``Engage → Plan → …`` when ``value`` is a list of activity names, else None."""
    if type(value) is not list or len(value) < 2 or not all(type(v) is str for v in value):
        return None
    found = [find_activity(v, course.load_course().activities) for v in value]
    if any(a is None for a in found):
        return None
    return " → ".join(a.name for a in found if a is not None)


def _show(value: Any) -> str:
    """``repr`` with every ``...`` written as "no answer"."""
    if value is ...:
        return NO_ANSWER
    if type(value) is dict:
        return "{" + ", ".join(f"{_show(k)}: {_show(v)}" for k, v in value.items()) + "}"
    if type(value) in (list, tuple):
        inner = ", ".join(_show(v) for v in value)
        return f"[{inner}]" if type(value) is list else f"({inner})"
    return repr(value)


def render_value(value: Any, name: str = "") -> tuple[str, bool]:
    """A short text for a plain answer, and whether it is a value stream (a list of
    activities held by a name that says so: ``stream``, ``payroll_stream``)."""
    if value is ...:
        return NO_ANSWER, False
    stream = _stream_text(value) if "stream" in name.casefold() else None
    if stream is not None:
        return stream, True
    if type(value) is dict:
        return _show(value), False  # whole: a mapping is never cut
    text = _show(value)
    return (text if len(text) <= _LIMIT else text[: _LIMIT - 3] + "..."), False


def _mapping(value: dict[Any, Any], key: dict[str, Any]) -> Judged:
    wrong, right = [], 0
    for k, expected in key.items():
        given = {k: value[k]} if k in value else {}
        if score_mapping(given, {k: expected}, points=1.0).points >= 1.0:
            right += 1
        else:
            shown = _show(value[k]) if k in value else NO_ANSWER
            wrong.append(f"{k} → {shown}")
    text = "; ".join(wrong) + f" ({right} of {len(key)} pairs right)"
    return Judged(text, False, bool(wrong))


def judge(spec: QuestionSpec, tagged: Any, name: str, widget_answer: Any = None) -> Judged:
    """What the report shows for one answer, and whether the lesson's scorer finds it
    wrong (an unreadable or missing answer is wrong)."""
    try:
        value = decode(tagged)
    except ValueError:
        return Judged("(unreadable)", False, True)
    via = ""
    if value is ... and widget_answer is not None:
        value, via = widget_answer, " (with the widget)"
    if value is ...:
        return Judged(NO_ANSWER, False, True)
    if spec.scorer == "score_mapping" and type(spec.key) is dict and type(value) is dict:
        try:
            judged = _mapping(value, spec.key)
        except Exception:  # a key the scorer refuses is the author's to fix: shown whole
            judged = Judged(render_value(value, name)[0], False, True)
        return Judged(judged.text + via, False, judged.wrong)
    text, is_stream = render_value(value, "stream" if spec.scorer == "score_stream" else name)
    wrong = True
    if spec.scorer == "score_stream" and spec.scenario:
        try:
            result = score_stream(value, scenario=spec.scenario, points=1.0)
            wrong = result.points < 1.0
        except Exception:  # an unknown scenario or a copy without its key: not judged here
            wrong = True
    return Judged(text + via, is_stream, wrong)
