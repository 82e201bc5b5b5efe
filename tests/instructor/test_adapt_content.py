"""Adapting the content: edit a source notebook, regenerate the release with the guide's
``make release``, and the students' notebook changes (and still holds no solution).

Run in a clone of the kit, so the kit's own ``release/`` is never touched.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.instructor.kit import ASSIGNMENT, NOTEBOOK, REPO, Machine, command, kit_clone, make

pytestmark = pytest.mark.slow

NEW_TITLE = "# 6. Practice questions (spring term)"


def test_make_release_regenerates_the_students_notebook_from_an_edited_source(
    tmp_path: Path,
) -> None:
    kit = kit_clone(tmp_path / "kit")
    source_path = kit / "source" / ASSIGNMENT / NOTEBOOK
    source = nbformat.read(source_path, as_version=4)
    title = source.cells[0]
    assert title.cell_type == "markdown"
    old_title = title.source.splitlines()[0]
    title.source = title.source.replace(old_title, NEW_TITLE, 1)
    nbformat.write(source, source_path)

    Machine(tmp_path / "machine").run(make(command("make release")), kit)

    released = (kit / "release" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8")
    assert NEW_TITLE in released
    assert old_title not in released
    assert "BEGIN SOLUTION" not in released
    assert "BEGIN HIDDEN TESTS" not in released
    assert NEW_TITLE not in (REPO / "release" / ASSIGNMENT / NOTEBOOK).read_text()
    others = sorted(p.name for p in (kit / "release").iterdir())
    assert others == sorted(p.name for p in (REPO / "release").iterdir())
