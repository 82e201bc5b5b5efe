"""autograder/nbgrader_config.py: the course's nbgrader settings, as a module and as a file."""

from __future__ import annotations

from pathlib import Path

from nbgrader.preprocessors import Execute
from traitlets.config.loader import PyFileConfigLoader

from autograder.engine.widget_answers import WidgetAnswers
from autograder.nbgrader_settings import CELL_TIMEOUT, REPO_ROOT, course_config


def test_the_config_file_and_the_module_give_the_same_settings() -> None:
    """`nbgrader ... --config autograder/nbgrader_config.py` sees what the Python API sees."""
    loaded = PyFileConfigLoader("nbgrader_config.py", path=str(REPO_ROOT / "autograder"))
    assert loaded.load_config() == course_config()


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
