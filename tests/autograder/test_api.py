"""The autograder's public surface, and its place in the layers."""

from __future__ import annotations

import subprocess
import sys

import pytest

import autograder


def test_every_exported_name_exists() -> None:
    for name in autograder.__all__:
        assert getattr(autograder, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = autograder.nonsense  # type: ignore[attr-defined]


def test_import_autograder_loads_neither_nbgrader_nor_a_widget_library() -> None:
    code = (
        "import sys, autograder; "
        "print(sorted(m for m in ('nbgrader', 'ipywidgets', 'course.widgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_batch_can_run_where_an_event_loop_is_already_running() -> None:
    """Grading from a notebook: the kernel's loop is running, asyncio.run would refuse."""
    import asyncio

    from autograder.engine.grade import _run_coroutine

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    async def inside_a_running_loop() -> int:
        return _run_coroutine(answer())

    assert _run_coroutine(answer()) == 42
    assert asyncio.run(inside_a_running_loop()) == 42
