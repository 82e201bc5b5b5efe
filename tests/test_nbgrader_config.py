"""autograder/nbgrader_settings.py: the course's nbgrader settings, applied once."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from nbgrader.preprocessors import Execute

from autograder import nbgrader_settings
from autograder.course_layout import load_nbgrader_config
from autograder.engine.widget_answers import WidgetAnswers
from autograder.nbgrader_settings import CELL_TIMEOUT, REPO_ROOT, course_config


def _count_applications(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = nbgrader_settings.apply

    def counting(c: Any, root: Path = REPO_ROOT) -> Any:
        calls.append(c)
        return real(c, root)

    monkeypatch.setattr(nbgrader_settings, "apply", counting)
    return calls


def test_the_course_file_applies_the_kits_settings_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kit's grader reads the course's nbgrader_config.py as nbgrader does, and the
    kit's settings are applied once (by that file), not once more underneath it."""
    shutil.copy2(REPO_ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    calls = _count_applications(monkeypatch)
    config = load_nbgrader_config(tmp_path)
    assert len(calls) == 1
    assert config == course_config(tmp_path)


def test_a_course_file_of_its_own_gets_the_kits_settings_underneath(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A course file that does not call the kit's settings keeps every setting it writes
    and gets the kit's for the rest."""
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Execute.timeout = 3\n")
    calls = _count_applications(monkeypatch)
    config = load_nbgrader_config(tmp_path)
    assert len(calls) == 1
    assert config.Execute.timeout == 3
    assert config.CourseDirectory.course_id == course_config().CourseDirectory.course_id
    assert config.CourseDirectory.root == str(tmp_path)


def test_the_course_root_is_the_repository_with_source_and_release() -> None:
    config = course_config()
    assert Path(config.CourseDirectory.root) == REPO_ROOT
    assert (REPO_ROOT / config.CourseDirectory.source_directory).is_dir()
    assert (REPO_ROOT / config.CourseDirectory.release_directory).is_dir()
    assert course_config(Path("/elsewhere")).CourseDirectory.root == "/elsewhere"


def test_widget_answers_reach_the_kernel_right_before_it_runs() -> None:
    steps = course_config().Autograde.autograde_preprocessors
    assert steps.index(WidgetAnswers) + 1 == steps.index(Execute)


def test_grading_is_short_fused_and_restores_what_students_removed() -> None:
    config = course_config()
    assert config.Execute.timeout == CELL_TIMEOUT <= 15
    assert config.OverwriteCells.add_missing_cells is True
    # A solution region becomes nothing: the placeholder above it stays and runs.
    assert config.ClearSolutions.code_stub == {"python": ""}
