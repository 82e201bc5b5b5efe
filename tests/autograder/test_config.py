"""GradingLimits: every grading limit in one place, set in nbgrader_config.py, overridden
per run, and never silently contradicted."""

from __future__ import annotations

from pathlib import Path

import pytest
from traitlets.config import Config

from autograder.config import GradingLimits, limits_from, unheeded_settings
from autograder.course_layout import load_nbgrader_config
from autograder.errors import AutograderError
from autograder.nbgrader_settings import CELL_TIMEOUT, course_config


def test_every_limit_says_what_it_limits() -> None:
    traits = GradingLimits.class_traits(config=True)
    assert {"cell_timeout", "workers", "memory_mb", "cell_output_chars", "notebook_mb"} <= set(
        traits
    )
    for name, trait in traits.items():
        assert len(trait.help) > 20, name


def test_a_limit_set_in_the_course_file_reaches_the_grader(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.GradingLimits.memory_mb = 2048\nc.GradingLimits.workers = 3\n"
    )
    limits = limits_from(load_nbgrader_config(tmp_path))
    assert (limits.memory_mb, limits.worker_count()) == (2048, 3)


def test_the_command_line_overrides_the_file_for_one_run() -> None:
    config = Config()
    config.GradingLimits.memory_mb = 2048
    limits = limits_from(config, memory_mb=512, workers=None)
    assert limits.memory_mb == 512
    assert limits_from(config).memory_mb == 2048


def test_the_cell_timeout_is_nbgraders_unless_the_kit_is_told_otherwise() -> None:
    config = course_config()
    assert limits_from(config).timeout_seconds(config) == CELL_TIMEOUT
    config.Execute.timeout = 4
    assert limits_from(config).timeout_seconds(config) == 4
    config.GradingLimits.cell_timeout = 7
    assert limits_from(config).timeout_seconds(config) == 7


def test_a_nonsense_limit_is_a_clear_error() -> None:
    config = Config()
    config.GradingLimits.workers = 0
    with pytest.raises(AutograderError, match=r"GradingLimits\.workers must be at least 1, not 0"):
        limits_from(config)


def test_settings_only_nbgrader_follows_are_said_not_ignored() -> None:
    config = course_config()
    assert unheeded_settings(config) == []
    config.OverwriteCells.add_missing_cells = False
    config.LimitOutput.max_lines = 5
    notes = unheeded_settings(config)
    assert any(n.startswith("c.OverwriteCells.add_missing_cells = False applies") for n in notes)
    assert any("c.LimitOutput.max_lines = 5" in n and "cell_output_chars" in n for n in notes)


def test_collect_keeps_to_the_upload_limit_of_the_course_file(
    course_dir: Path, tmp_path: Path
) -> None:
    from autograder.course_layout import open_course
    from autograder.intake.collect import collect

    (course_dir / "nbgrader_config.py").write_text(
        "c = get_config()\nc.GradingLimits.upload_file_mb = 1\n"
    )
    lms = tmp_path / "lms"
    lms.mkdir()
    (lms / "alice_problems.ipynb").write_bytes(b" " * (2 * 1024 * 1024))
    done = collect(open_course(course_dir), "ps1", lms)
    assert done.problems == [("alice_problems.ipynb", "is too large")]
