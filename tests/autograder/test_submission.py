"""Reading what students hand in: every way a file can be wrong has its message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.engine.answer_key import AssignmentKey
from autograder.intake.submission import copy_files, read_notebook


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is not valid JSON (line 1, column 1: Expecting value)"),
        ("[1, 2]", "is not a notebook (it has no nbformat version)"),
        (
            '{"nbformat": 5, "cells": []}',
            "uses notebook format 5, which cannot be read (expected 4)",
        ),
        (b"\xff\xfe\x00", "is not a text file (not UTF-8)"),
        (
            json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{}]}),
            "is not a valid notebook (",
        ),
    ],
)
def test_a_bad_file_says_what_is_wrong(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = tmp_path / "nb.ipynb"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    nb, problem = read_notebook(path)
    assert nb is None
    assert problem is not None
    assert problem.startswith(message)


def test_a_link_is_not_followed(tmp_path: Path) -> None:
    link = tmp_path / "nb.ipynb"
    link.symlink_to("/etc/hostname")
    assert read_notebook(link) == (None, "is not a regular file")


def test_a_version_3_notebook_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.ipynb"
    path.write_text(
        json.dumps(
            {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}
        )
    )
    nb, problem = read_notebook(path)
    assert problem is None
    assert nb is not None
    assert nb.nbformat == 4


def test_duplicated_cell_ids_are_repaired_silently(
    tmp_path: Path, recwarn: pytest.WarningsRecorder
) -> None:
    cell = {"id": "same", "cell_type": "markdown", "metadata": {}, "source": "x"}
    path = tmp_path / "nb.ipynb"
    path.write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell, cell]})
    )
    nb, problem = read_notebook(path)
    assert problem is None
    assert nb is not None
    assert len({c.id for c in nb.cells}) == 2
    assert not [w for w in recwarn if "cell id" in str(w.message).lower()]


def test_submitted_files_are_copied_but_links_are_not(tmp_path: Path) -> None:
    submitted = tmp_path / "submitted"
    (submitted / "data").mkdir(parents=True)
    (submitted / "data" / "table.csv").write_text("a,b")
    (submitted / "problems.ipynb").write_text("{}")
    (submitted / "timestamp.txt").write_text("now")
    (submitted / "steal").symlink_to("/etc/hostname")
    work = tmp_path / "work"
    work.mkdir()
    key = AssignmentKey("ps1", (), (), tmp_path / "source")
    copy_files(submitted, key, work)
    assert sorted(str(p.relative_to(work)) for p in work.rglob("*")) == ["data", "data/table.csv"]
