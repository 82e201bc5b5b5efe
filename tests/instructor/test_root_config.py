"""The root ``nbgrader_config.py``: nbgrader started in the kit's folder finds the course.

nbgrader reads ``nbgrader_config.py`` from the folder it starts in. The exchange and LMS
route tests run plain ``nbgrader`` commands in a course folder that holds only this file,
``source/`` and ``release/``; the formgrader browser test starts JupyterLab there. These
tests pin down what the file gives them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from autograder.course_layout import load_nbgrader_config
from autograder.nbgrader_settings import REPO_ROOT, course_config
from tests.instructor.kit import BIN, REPO


def _load(folder: Path) -> object:
    """The file loaded as nbgrader loads a config file."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()


def test_it_gives_nbgrader_the_course_settings_rooted_at_the_kit() -> None:
    assert REPO == REPO_ROOT
    assert _load(REPO) == course_config(REPO)


def test_a_course_folder_elsewhere_is_rooted_where_the_file_is(tmp_path: Path) -> None:
    shutil.copy2(REPO / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    loaded = _load(tmp_path)
    assert loaded == course_config(tmp_path)
    assert loaded.CourseDirectory.root == str(tmp_path)


def test_the_kits_grader_reads_the_same_settings(tmp_path: Path) -> None:
    """The kit reads the root file as nbgrader does: the same settings."""
    shutil.copy2(REPO / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    assert load_nbgrader_config(tmp_path) == course_config(tmp_path)


def test_it_puts_the_environment_tools_on_path_for_the_gradebook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """nbgrader runs ``alembic`` when it creates a gradebook: started from JupyterLab
    (``make lab`` does not activate the environment), it must still find it."""
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    _load(REPO)
    assert os.environ["PATH"].split(os.pathsep)[0] == str(BIN)
    assert (BIN / "alembic").exists()
