"""The autograder's public surface, and its place in the layers."""

from __future__ import annotations

import re
import subprocess
import sys

import autograder


def test_the_python_example_of_the_package_docstring_imports() -> None:
    """Each `from autograder... import ...` line the package's docstring shows works."""
    doc = autograder.__doc__ or ""
    lines = re.findall(r"^\s*(from autograder[\w.]* import [\w, ]+)$", doc, re.M)
    assert len(lines) == 3
    for line in lines:
        exec(line, {})


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
