"""The student-only copy: what students need, and not one line of the answer keys.

The copy is made once for the module with the guide's own command
(``make student-copy DEST=../itil-svc-student``) from a clone of the kit.
"""

from __future__ import annotations

import filecmp
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat import NotebookNode

from autograder.publish.secrets import BOTH, GRADED_KEYS, key_lines, notebook_secrets
from autograder.publish.student_copy import MARKER, StudentCopyError, main, write
from course.scenarios import load_scenarios
from tests.instructor.kit import (
    ASSIGNMENT,
    NOTEBOOK,
    REPO,
    Machine,
    command,
    kit_clone,
    make,
)

REGIONS = re.compile(
    r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END (SOLUTION|HIDDEN TESTS)", re.S
)
STUDENT_ENTRIES = {
    ".gitignore",
    MARKER,
    "Makefile",
    "README.md",
    "binder",
    "course",
    "pyproject.toml",
    "release",
}


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return kit_clone(tmp_path_factory.mktemp("student-copy") / "kit")


@pytest.fixture(scope="module")
def copy(clone: Path) -> Path:
    machine = Machine(clone.parent / "machine")
    machine.run(make(command("make student-copy DEST=../itil-svc-student")), clone)
    return clone.parent / "itil-svc-student"


def _secret_lines() -> list[str]:
    """Every secret line of source/ (solutions and hidden tests), by the kit's one rule."""
    paths = (REPO / "source").glob("*/*.ipynb")
    return sorted(notebook_secrets(paths, BOTH, relative_to=REPO / "source"))


def _readable(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        cells = json.loads(text)["cells"]
        text += "\n".join("".join(c["source"]) for c in cells)
    return text


def test_the_copy_holds_what_students_need_and_nothing_of_the_instructors(copy: Path) -> None:
    assert {p.name for p in copy.iterdir()} == STUDENT_ENTRIES
    same = filecmp.dircmp(REPO / "release", copy / "release")
    assert same.left_only == same.right_only == same.diff_files == []
    assert sorted(p.name for p in (copy / "release").iterdir()) == sorted(
        p.name for p in (REPO / "release").iterdir() if p.is_dir()
    )
    shipped = {p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()}
    assert not [f for f in shipped if "__pycache__" in f or f.endswith(".pyc")]
    assert "course/content/activities.yaml" in shipped


def test_no_line_of_a_solution_or_hidden_test_is_in_the_copy(copy: Path) -> None:
    secrets = _secret_lines()
    assert len(secrets) >= 20, "the source notebooks should hold solutions and hidden tests"
    found = [
        (path.relative_to(copy).as_posix(), line)
        for path in sorted(p for p in copy.rglob("*") if p.is_file())
        for line in secrets
        if line in _readable(path)
    ]
    assert found == []


def test_no_graded_value_stream_key_reaches_the_copy(copy: Path) -> None:
    """Neither graded_keys.yaml nor any model-answer note or rubric reason of a graded
    scenario is in the copy; its course still lists the graded scenarios, without a key."""
    assert not (copy / GRADED_KEYS).exists()
    secrets = key_lines(REPO / GRADED_KEYS)
    assert len(secrets) >= 40
    found = [
        (path.relative_to(copy).as_posix(), line)
        for path in sorted(p for p in copy.rglob("*") if p.is_file())
        for line in secrets
        if line in _readable(path)
    ]
    assert found == []
    graded = [s for s in load_scenarios(copy / "course" / "content") if s.graded]
    assert [s.id for s in graded] == [s.id for s in load_scenarios() if s.graded]
    assert not any(s.has_key for s in graded)


def test_the_course_imports_from_the_copy_and_a_release_notebook_runs(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(copy))
    probe = subprocess.run(
        [sys.executable, "-c", "import course; print(course.__file__)"],
        cwd=copy / "release" / ASSIGNMENT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(probe.stdout.strip()).is_relative_to(copy)

    nb: NotebookNode = nbformat.read(copy / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print(course.__file__)"))
    client = NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(copy / "release" / ASSIGNMENT)}},
    )
    client.execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert Path(printed.strip()).is_relative_to(copy)


def test_the_students_pyproject_installs_the_course_only(copy: Path) -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    kit = tomllib.loads((REPO / "pyproject.toml").read_text())
    student = tomllib.loads((copy / "pyproject.toml").read_text())
    assert student["project"]["dependencies"] == kit["project"]["dependencies"]
    assert student["tool"]["setuptools"]["packages"] == {"find": {"include": ["course*"]}}
    assert set(student["tool"]["setuptools"]["package-data"]) == {"course"}
    assert "scripts" not in student["project"]
    # The one extra kept is `lab`: JupyterLab and nbgrader for the student's `make lab`.
    assert set(student["project"]["optional-dependencies"]) == {"lab"}
    lab = " ".join(student["project"]["optional-dependencies"]["lab"])
    assert "jupyterlab" in lab
    assert "nbgrader" in lab
    assert "autograder" not in (copy / "pyproject.toml").read_text()


def test_make_lab_in_the_copy_installs_the_course_and_opens_the_start_page(copy: Path) -> None:
    dry = subprocess.run(
        ["make", "-n", "lab"], cwd=copy, capture_output=True, text=True, check=True
    ).stdout
    assert "pip install --quiet -e '.[lab]'\n" in dry
    assert "jupyter lab" in dry
    start = re.search(r"default_url=/lab/tree/(\S+)", dry)
    assert start is not None
    assert (copy / start.group(1)).is_file()
    assert "make lab" in (copy / "README.md").read_text()
    assert "Trade mark" in (copy / "README.md").read_text()


def test_running_it_again_updates_the_copy_and_keeps_its_git_folder(
    clone: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "published"
    write(dest, root=clone)
    (dest / ".git").mkdir()
    (dest / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (dest / "release" / "stale.ipynb").write_text("{}")
    write(dest, root=clone)
    assert (dest / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert not (dest / "release" / "stale.ipynb").exists()
    assert (dest / "release" / ASSIGNMENT / NOTEBOOK).is_file()


def test_a_folder_inside_the_kit_or_a_folder_of_other_files_is_refused(
    clone: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(StudentCopyError, match="inside the kit"):
        write(clone / "public", root=clone)
    assert not (clone / "public").exists()
    other = tmp_path / "thesis"
    other.mkdir()
    (other / "chapter1.tex").write_text("keep me")
    with pytest.raises(StudentCopyError, match="not empty and is not a student copy"):
        write(other, root=clone)
    assert [p.name for p in other.iterdir()] == ["chapter1.tex"]
    assert main([str(other)]) == 2
    assert capsys.readouterr().err.startswith("python -m autograder student-copy: error: ")


def test_a_leaked_key_stops_the_copy_and_names_the_file(tmp_path: Path) -> None:
    kit = kit_clone(tmp_path / "kit")
    hint = _secret_lines()[0]
    helper = kit / "course" / "hints.py"
    helper.write_text(f'"""Hints."""\n\nHINT = {hint!r}\n# {hint}\n')
    with pytest.raises(StudentCopyError, match=r"course/hints\.py holds a line of a solution"):
        write(tmp_path / "copy", root=kit)
    assert not (tmp_path / "copy").exists()
