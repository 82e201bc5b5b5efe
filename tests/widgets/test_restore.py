"""After a kernel restart, graded widgets start from the answer saved in the
notebook file, so re-running the cell and saving again loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import course
from course.graded import STATE_MIME, restored_answer
from course.widgets.quiz import question_widget


def _saved_notebook(path: Path, models: dict[str, dict[str, object]]) -> Path:
    state = {
        key: {
            "model_name": "VBoxModel",
            "model_module": "@jupyter-widgets/controls",
            "state": value,
        }
        for key, value in models.items()
    }
    nb = {
        "cells": [],
        "metadata": {"widgets": {STATE_MIME: {"state": state, "version_major": 2}}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))
    return path


@pytest.fixture
def own_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = _saved_notebook(
        tmp_path / "06-practice.ipynb",
        {
            "a": {"question_id": "pq3-stream", "steps": ["engage", "plan"]},
            "b": {"question_id": "pq3-stream", "steps": ["engage", "obtain-build", "improve"]},
            "c": {"question_id": "six-engage-purpose", "response": None},
        },
    )
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    return path


def test_builder_starts_from_the_newest_saved_stream(own_notebook: Path) -> None:
    built = course.builder("incident-resolution", question_id="pq3-stream")
    assert built.stream == ["Engage", "Obtain/Build", "Improve"]
    assert built.steps == ["engage", "obtain-build", "improve"]


def test_undo_after_a_restore_does_not_empty_the_answer(own_notebook: Path) -> None:
    built = course.builder("incident-resolution", question_id="pq3-stream")
    assert built.undo_button.disabled
    assert built.undo() is False
    assert built.steps == ["engage", "obtain-build", "improve"]
    built.add_step("deliver-support")
    assert built.undo() is True
    assert built.steps == ["engage", "obtain-build", "improve"]


def test_a_builder_without_a_question_id_starts_empty(own_notebook: Path) -> None:
    assert course.builder("incident-resolution").stream == []


def test_quiz_question_starts_from_the_saved_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = question_widget("six-engage-purpose")
    right = next(o for o in fresh.question.options if "stakeholder" in o.text.lower()).text
    path = _saved_notebook(
        tmp_path / "nb.ipynb", {"m": {"question_id": "six-engage-purpose", "response": right}}
    )
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    restored = question_widget("six-engage-purpose")
    assert restored.response == right
    assert restored.check().correct


@pytest.mark.parametrize(
    "content", ["not json", "[]", '{"metadata": {"widgets": 3}}', '{"metadata": null}']
)
def test_a_damaged_or_odd_notebook_restores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    assert restored_answer("pq3-stream") is None
    assert course.builder(question_id="pq3-stream").stream == []


def test_outside_jupyter_server_nothing_is_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert restored_answer("pq3-stream") is None
    monkeypatch.setenv("JPY_SESSION_NAME", "/no/such/notebook.ipynb")
    assert restored_answer("pq3-stream") is None
