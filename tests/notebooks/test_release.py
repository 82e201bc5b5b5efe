"""release/ is exactly what nbgrader generates from source/, carries no key, and runs."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbgrader.utils import determine_grade

from autograder.publish.release import generate
from autograder.publish.secrets import BOTH, notebook_secrets

from .nbgrading import RELEASE, SOURCE, assignments, errors_in, notebook_path

REGIONS = re.compile(
    r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END (SOLUTION|HIDDEN TESTS)", re.S
)
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def _files(root: Path) -> dict[str, Path]:
    return {
        str(p.relative_to(root)): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }


def _secret_lines() -> dict[str, str]:
    """Every secret line of source/ (solutions and hidden tests) -> where it is: the kit's
    one rule, :func:`autograder.publish.secrets.secret_lines`."""
    paths = [notebook_path(SOURCE, assignment) for assignment in assignments()]
    return notebook_secrets(paths, BOTH, relative_to=SOURCE)


def _release_text(path: Path) -> str:
    """All the text a student receives in ``path``: every string in a notebook's JSON."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return raw
    strings: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            strings.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, item in node.items():
                strings.append(key)
                walk(item)

    walk(json.loads(raw))
    return raw + "\n" + "".join(strings)


@pytest.fixture(scope="session")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("regen") / "release")


def test_the_committed_release_is_exactly_what_nbgrader_generates(regenerated: Path) -> None:
    """Run `make release` and commit the result if this fails: release/ is never hand-edited."""
    committed, fresh = _files(RELEASE), _files(regenerated)
    assert sorted(committed) == sorted(fresh)
    different = [
        name for name in fresh if not filecmp.cmp(fresh[name], committed[name], shallow=False)
    ]
    assert different == []


def test_the_release_holds_every_assignment_and_no_gradebook() -> None:
    assert sorted(p.name for p in RELEASE.iterdir()) == assignments()
    assert not list(RELEASE.rglob("gradebook.db"))


def _leaks(release: Path) -> list[str]:
    secrets = _secret_lines()
    assert len(secrets) > 40, "the source notebooks lost their solutions or hidden tests"
    found = []
    for name, path in _files(release).items():
        text = _release_text(path)
        found += [f"{name}: {m!r}" for m in MARKERS if m in text]
        found += [
            f"{name}: {line!r} (from {where})" for line, where in secrets.items() if line in text
        ]
    return found


def test_no_solution_hidden_test_or_key_reaches_the_release() -> None:
    assert _leaks(RELEASE) == []


def test_the_leak_check_finds_a_key_copied_into_the_release(tmp_path: Path) -> None:
    """Doctor a copy of the release: one hidden-test line pasted into a markdown cell."""
    copy = tmp_path / "release"
    shutil.copytree(RELEASE, copy)
    line, where = next(iter(_secret_lines().items()))
    path = notebook_path(copy, "06-practice")
    nb = nbformat.read(path, 4)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"Psst: `{line}`"))
    nbformat.write(nb, path)
    assert _leaks(copy) == [f"06-practice/06-practice.ipynb: {line!r} (from {where})"]


@pytest.fixture(scope="session")
def executed_release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every release notebook run top to bottom once, as a student runs it (no nbgrader)."""
    from nbclient import NotebookClient

    data = tmp_path_factory.mktemp("student-data")
    saved = dict(os.environ)
    os.environ["ITIL_COURSE_DATA"] = str(data)
    os.environ.pop("ITIL_WIDGET_ANSWERS", None)
    try:
        executed = {}
        # each in a copy of its folder: what a notebook writes (the cheat sheet's page)
        # stays out of the repository
        runs = tmp_path_factory.mktemp("release-runs")
        shutil.copytree(RELEASE, runs, dirs_exist_ok=True)
        for assignment in assignments():
            path = notebook_path(runs, assignment)
            nb = nbformat.read(path, 4)
            resources = {"metadata": {"path": str(path.parent)}}
            NotebookClient(nb, timeout=60, allow_errors=True, resources=resources).execute()
            executed[assignment] = nb
        return executed
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", assignments())
def test_every_release_notebook_runs_without_errors(
    executed_release: dict[str, Any], assignment: str
) -> None:
    assert errors_in(executed_release[assignment]) == []


@pytest.mark.slow
@pytest.mark.parametrize("assignment", assignments())
def test_unanswered_graded_cells_say_so_and_count_zero_in_nbgrader_validate(
    executed_release: dict[str, Any], assignment: str
) -> None:
    """Run as handed out, each visible check shows a message and is worth 0 to nbgrader,
    so the Validate button does not report success on an empty notebook."""
    for cell in executed_release[assignment].cells:
        if not cell.metadata.get("nbgrader", {}).get("grade"):
            continue
        score, _ = determine_grade(cell)
        assert score == 0, cell.id
        html = cell.outputs[-1]["data"]["text/html"]
        assert "Not answered yet" in html, cell.id
