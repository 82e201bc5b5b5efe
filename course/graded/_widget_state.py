"""Answers given through a widget (a quiz question or the value-stream builder).

A graded question can be answered by typing a value or through a widget that
carries the question's id in its synced ``question_id`` trait; the answer is
the widget's ``response`` (quiz questions) or ``steps`` (the builder).

- In the student's kernel the live widget is read. This module never imports
  ipywidgets: it looks at the widgets that already exist, if ipywidgets has
  been loaded at all.
- In autograding there is no browser, and the re-executed widget starts empty.
  ``autograder.engine.widget_answers.WidgetAnswers`` reads the answers saved in the
  submitted notebook's widget state and writes them, as one JSON object
  ``{question_id: answer}``, to the file named by ``$ITIL_WIDGET_ANSWERS``, or
  by default to ``.widget_answers.json`` in the notebook's folder (the kernel's
  working directory). :func:`widget_answer` reads that file.

When several widgets answer the same question (a cell run twice), the newest
one that holds an answer wins, in the kernel and in the file alike.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ._plain import JSON, AnswerError, plain

__all__ = [
    "ANSWERS_ENV",
    "ANSWERS_FILE",
    "ANSWER_TRAITS",
    "SESSION_ENV",
    "STATE_MIME",
    "answers_file",
    "is_empty",
    "live_answer",
    "notebook_widget_answers",
    "restored_answer",
    "saved_answer",
    "widget_answer",
]

#: Environment variable naming the answers file (absolute, or relative to the working directory).
ANSWERS_ENV = "ITIL_WIDGET_ANSWERS"
#: The answers file's name when the variable is not set: looked up in the working directory.
ANSWERS_FILE = ".widget_answers.json"
#: The synced traits that hold a widget's answer, in the order they are looked for.
ANSWER_TRAITS = ("response", "steps")

_MAX_FILE_BYTES = 1_000_000
_MAX_NOTEBOOK_BYTES = 50_000_000
#: Set by Jupyter Server in a kernel's environment: the path of its notebook.
SESSION_ENV = "JPY_SESSION_NAME"


def is_empty(value: object) -> bool:
    """Whether a widget's answer says nothing yet (``None``, empty text, list or dict)."""
    if value is None:
        return True
    if type(value) in (str, list, dict):
        return len(value) == 0  # type: ignore[arg-type]
    return False


def _live_widgets() -> Iterable[Any]:
    module = sys.modules.get("ipywidgets.widgets.widget")
    instances = getattr(module, "_instances", None) if module is not None else None
    if not isinstance(instances, dict):
        return ()
    return list(instances.values())


def live_answer(question_id: str) -> JSON:
    """The answer held by the newest live widget for ``question_id`` (``None`` if none)."""
    for widget in reversed(list(_live_widgets())):
        try:
            if not widget.has_trait("question_id") or widget.question_id != question_id:
                continue
            for trait in ANSWER_TRAITS:
                if widget.has_trait(trait):
                    value = plain(getattr(widget, trait))
                    if not is_empty(value):
                        return value
        except Exception:  # a widget that misbehaves must never break a graded cell
            continue
    return None


def answers_file() -> Path:
    """Where the autograder leaves the answers saved in the submitted notebook."""
    return Path(os.environ.get(ANSWERS_ENV) or ANSWERS_FILE)


def saved_answer(question_id: str) -> JSON:
    """The answer for ``question_id`` in the autograder's answers file (``None`` if none)."""
    path = answers_file()
    try:
        if path.stat().st_size > _MAX_FILE_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if type(data) is not dict:
        return None
    try:
        value = plain(data.get(question_id))
    except AnswerError:
        return None
    return None if is_empty(value) else value


STATE_MIME = "application/vnd.jupyter.widget-state+json"
_MAX_ID = 200


def _models(nb: Mapping[str, Any]) -> list[Any]:
    try:
        state = nb["metadata"]["widgets"][STATE_MIME]["state"]
    except (KeyError, TypeError, IndexError):
        return []
    return list(state.values()) if isinstance(state, Mapping) else []


def _answer(model: Any) -> tuple[str, JSON] | None:
    state = model.get("state") if isinstance(model, Mapping) else None
    if not isinstance(state, Mapping):
        return None
    question = state.get("question_id")
    if type(question) is not str or not question.strip() or len(question) > _MAX_ID:
        return None
    for trait in ANSWER_TRAITS:
        if trait not in state:
            continue
        try:
            # A JSON round trip turns nbformat's dict subclasses into plain values.
            value = plain(json.loads(json.dumps(state[trait])))
        except (AnswerError, TypeError, ValueError, RecursionError):
            return None
        return None if is_empty(value) else (question.strip(), value)
    return None


def notebook_widget_answers(nb: Mapping[str, Any]) -> dict[str, JSON]:
    """``{question_id: answer}`` from the widget state saved in notebook ``nb``."""
    answers: dict[str, JSON] = {}
    for model in _models(nb):
        found = _answer(model)
        if found is not None:
            answers[found[0]] = found[1]  # later models are newer: they win
    return answers


def _own_notebook() -> Path | None:
    """The notebook this kernel runs for, as Jupyter Server tells its kernels."""
    name = os.environ.get(SESSION_ENV, "")
    if not name.endswith(".ipynb"):
        return None
    path = Path(name)
    return path if path.is_file() else None


def restored_answer(question_id: str) -> JSON:
    """The answer to ``question_id`` saved in this kernel's own notebook file, if any.

    After a kernel restart the widgets are built anew and empty, while the
    notebook file still holds what the student chose before. A graded widget
    starts from that answer, so the next save cannot overwrite it with an
    empty one. ``None`` outside Jupyter Server or when nothing was saved.
    """
    path = _own_notebook()
    if path is None:
        return None
    try:
        if path.stat().st_size > _MAX_NOTEBOOK_BYTES:
            return None
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return notebook_widget_answers(nb).get(question_id) if isinstance(nb, dict) else None


def widget_answer(question_id: str) -> JSON:
    """The widget answer to ``question_id``: the live widget's, else the saved one, else None."""
    live = live_answer(question_id)
    return live if not is_empty(live) else saved_answer(question_id)
