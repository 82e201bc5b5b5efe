"""Graded answers saved in a notebook's widget state reach the grading kernel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from autograder.engine.widget_answers import (
    STATE_MIME,
    WidgetAnswers,
    notebook_widget_answers,
    write_answers,
)
from course.graded import ANSWERS_FILE


def _model(state: dict[str, Any], name: str = "VBoxModel") -> dict[str, Any]:
    return {
        "model_name": name,
        "model_module": "@jupyter-widgets/controls",
        "model_module_version": "2.0.0",
        "state": state,
    }


def notebook_with_widgets(*models: dict[str, Any], cells: tuple[str, ...] = ()) -> Any:
    """A notebook whose saved widget state holds ``models`` (in that order, oldest first)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    state = {f"model{i:02d}": model for i, model in enumerate(models)}
    nb.metadata["widgets"] = {STATE_MIME: {"state": state, "version_major": 2, "version_minor": 0}}
    return nbformat.from_dict(nb)


def test_answers_come_from_quiz_responses_and_builder_steps() -> None:
    nb = notebook_with_widgets(
        _model({"question_id": "six-engage-purpose", "response": "To work with stakeholders."}),
        _model({"question_id": "q4-1", "scenario_id": "", "steps": ["engage", "improve"]}),
        _model({"description": "a plain widget, no question"}, name="ButtonModel"),
    )
    assert notebook_widget_answers(nb) == {
        "six-engage-purpose": "To work with stakeholders.",
        "q4-1": ["engage", "improve"],
    }


def test_the_newest_non_empty_widget_for_a_question_wins() -> None:
    nb = notebook_with_widgets(
        _model({"question_id": "q", "response": "A"}),
        _model({"question_id": "q", "response": "B"}),
        _model({"question_id": "q", "response": None}),  # the cell run again, not answered
        _model({"question_id": "s", "steps": ["plan"]}),
        _model({"question_id": "s", "steps": []}),
    )
    assert notebook_widget_answers(nb) == {"q": "B", "s": ["plan"]}


@pytest.mark.parametrize(
    "metadata",
    [
        {},
        {"widgets": "not a dict"},
        {"widgets": {STATE_MIME: {"state": ["a", "list"]}}},
        {"widgets": {STATE_MIME: {"state": {"m": "not a model"}}}},
        {"widgets": {STATE_MIME: {"state": {"m": {"state": {"question_id": 7, "response": "A"}}}}}},
        {
            "widgets": {
                STATE_MIME: {"state": {"m": {"state": {"question_id": " ", "response": "A"}}}}
            }
        },
        {
            "widgets": {
                STATE_MIME: {"state": {"m": {"state": {"question_id": "q" * 500, "response": "A"}}}}
            }
        },
        {
            "widgets": {
                STATE_MIME: {
                    "state": {"m": {"state": {"question_id": "q", "response": [[[[[[[[1]]]]]]]]}}}
                }
            }
        },
        {
            "widgets": {
                STATE_MIME: {"state": {"m": {"state": {"question_id": "q", "steps": ["x"] * 5000}}}}
            }
        },
    ],
    ids=[
        "none",
        "bad-widgets",
        "state-list",
        "model-str",
        "id-int",
        "id-blank",
        "id-huge",
        "deep",
        "huge",
    ],
)
def test_malformed_or_hostile_widget_state_gives_no_answer_and_no_error(
    metadata: dict[str, Any],
) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(metadata)
    assert notebook_widget_answers(nb) == {}


def test_the_preprocessor_leaves_the_answers_where_the_kernel_works(tmp_path: Path) -> None:
    stale = tmp_path / ANSWERS_FILE
    stale.write_text(json.dumps({"q4-1": ["plan"]}))  # e.g. a file the student handed in
    nb = notebook_with_widgets(_model({"question_id": "pq2", "response": "C"}))
    resources: dict[str, Any] = {"metadata": {"path": str(tmp_path)}}
    WidgetAnswers()(nb, resources)  # as nbconvert calls it: enabled by default
    assert resources["widget_answers"] == {"pq2": "C"}
    assert json.loads(stale.read_text()) == {"pq2": "C"}  # always rewritten
    empty: dict[str, Any] = {"metadata": {"path": str(tmp_path)}}
    WidgetAnswers().preprocess(nbformat.v4.new_notebook(), empty)
    assert json.loads(stale.read_text()) == {}


def test_write_answers_writes_plain_json(tmp_path: Path) -> None:
    path = write_answers(tmp_path, {"b": ["plan"], "a": "C"})
    assert path == tmp_path / ANSWERS_FILE
    assert json.loads(path.read_text()) == {"a": "C", "b": ["plan"]}


@pytest.mark.slow
def test_a_grading_kernel_grades_the_answer_saved_in_the_widget_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Preprocessor, then a real kernel: the hidden-test call scores the saved widget answer."""
    from nbclient import NotebookClient

    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("ITIL_WIDGET_ANSWERS", raising=False)
    nb = notebook_with_widgets(
        _model(
            {
                "question_id": "q4-1",
                "steps": ["engage", "obtain-build", "deliver-support", "improve"],
            }
        ),
        cells=(
            "from course import graded\nstream = ...",
            "graded.score_stream(stream, question='q4-1', points=3, scenario='payroll-crash')",
        ),
    )
    resources: dict[str, Any] = {"metadata": {"path": str(tmp_path)}}
    nb, resources = WidgetAnswers().preprocess(nb, resources)
    NotebookClient(nb, timeout=60, resources=resources).execute()
    result = nb.cells[1].outputs[0]
    assert result["output_type"] == "execute_result"
    assert result["data"]["text/plain"] == "3"
