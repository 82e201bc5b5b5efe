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
    assert done.problems == [
        (
            "alice_problems.ipynb",
            "is too large (2.0 MB; collect takes files up to 1.0 MB, "
            "c.GradingLimits.upload_file_mb)",
        )
    ]


def test_the_sandbox_limits_are_configurable_and_reach_the_sandbox(tmp_path: Path) -> None:
    """The limits issue 14 added (processes, /dev/shm, address-space headroom, message
    size, notebook wall time, scratch disk) are GradingLimits too: set in the course file,
    they reach the sandbox's process limits and the notebook's wall-time budget."""
    from autograder.engine.sandbox import Limits, boot_command

    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.GradingLimits.processes = 33\n"
        "c.GradingLimits.shm_mb = 17\n"
        "c.GradingLimits.address_space_headroom_mb = 100\n"
        "c.GradingLimits.notebook_time_factor = 3\n"
        "c.GradingLimits.notebook_extra_seconds = 5\n"
        "c.GradingLimits.work_files = 99\n"
        "c.GradingLimits.message_mb = 4\n"
    )
    limits = limits_from(load_nbgrader_config(tmp_path), memory_mb=200)
    process = Limits.of(limits)
    assert (process.processes, process.shm_mb, process.headroom_mb) == (33, 17, 100)
    code = boot_command("m", [], process)[2]
    assert f"RLIMIT_NPROC, ({33}, {33})" in code
    space = (200 + 100) * 1024 * 1024
    assert f"RLIMIT_AS, ({space}, {space})" in code
    assert limits.notebook_seconds(10) == 35
    assert (limits.work_files, limits.bytes("message_mb")) == (99, 4 * 1024 * 1024)


def test_any_limit_can_be_overridden_on_the_command_line() -> None:
    """`grade --limit NAME=VALUE` names a GradingLimits limit; a wrong name or value is a
    usage error naming the choices."""
    from autograder.cli import build_parser

    args = build_parser().parse_args(["grade", "ps1", "--limit", "work_mb=512"])
    assert args.limits == [("work_mb", 512)]
    for bad in ("nonsense=3", "work_mb", "work_mb=0"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["grade", "ps1", "--limit", bad])
