"""Binder opens the course: its install steps work and its start page exists."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _start_paths() -> dict[str, str]:
    makefile = (REPO / "Makefile").read_text()
    readme = (REPO / "README.md").read_text()
    make_start = re.search(r"^START\s*\?=\s*(\S+)", makefile, re.M)
    binder_start = re.search(r"urlpath=lab/tree/(\S+?\.ipynb)", readme)
    assert make_start, "Makefile sets no START"
    assert binder_start, "README has no Binder link with a urlpath"
    return {"make lab": make_start.group(1), "Binder": binder_start.group(1)}


def test_make_lab_and_binder_open_the_same_start_page() -> None:
    paths = _start_paths()
    assert paths["make lab"] == paths["Binder"]


def test_the_start_page_exists_and_is_a_notebook() -> None:
    start = REPO / _start_paths()["Binder"]
    assert start.is_file(), f"{start.relative_to(REPO)} does not exist"
    assert json.loads(start.read_text())["nbformat"] == 4


def test_binder_files_are_what_repo2docker_reads() -> None:
    assert (REPO / "binder" / "runtime.txt").read_text().startswith("python-3.")
    assert os.access(REPO / "binder" / "postBuild", os.X_OK)


@pytest.mark.slow
def test_postbuild_installs_the_kit_in_a_fresh_environment(tmp_path: Path) -> None:
    """Run binder/postBuild as repo2docker would, in a brand-new virtualenv."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "NB_PYTHON_PREFIX": str(venv), "PATH": f"{venv}/bin:{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    build = subprocess.run(
        ["bash", "binder/postBuild"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr[-3000:]
    settings = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(settings.read_text())["@jupyter-widgets/jupyterlab-manager:plugin"] == {
        "saveState": True
    }
    code = "import course; print(len(course.load_course().activities))"
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert probe.stdout.strip() == "6", probe.stderr
    labext = venv / "share" / "jupyter" / "labextensions"
    assert (labext / "jupyter-cytoscape" / "package.json").exists()
    assert (labext / "@jupyter-widgets" / "jupyterlab-manager" / "package.json").exists()
