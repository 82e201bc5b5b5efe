"""The command line: its commands, clear errors (never a traceback), the sandbox rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autograder.cli import build_parser, main
from autograder.engine import sandbox as sandbox_module
from autograder.engine.sandbox import Sandbox
from tests.autograder.fixtures.course_fixture import CORRECT, submit_answers


def test_help_lists_every_command_an_instructor_or_author_runs() -> None:
    """One command line: `--help` names each command with its one-line help."""
    out = subprocess.run(
        [sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for name in (
        "collect", "grade", "feedback", "export", "report",
        "release", "student-copy", "check", "seal",
    ):  # fmt: skip
        assert f"    {name} " in out, name


def test_a_command_added_to_the_registry_is_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Adding a command is one module with a COMMAND and one line in REGISTRY."""
    import types

    from autograder import commands

    module = types.ModuleType("autograder.commands.hello")
    module.COMMAND = commands.Command(  # type: ignore[attr-defined]
        "hello",
        "say hello",
        "Say hello to a name.",
        lambda parser: parser.add_argument("name"),
        lambda args: print(f"hello {args.name}") or 0,
        course=False,
    )
    monkeypatch.setitem(sys.modules, "autograder.commands.hello", module)
    monkeypatch.setattr(commands, "REGISTRY", (*commands.REGISTRY, "hello"))
    assert main(["hello", "world"]) == 0
    assert capsys.readouterr().out == "hello world\n"


def test_limits_are_not_fixed_by_the_command_line_unless_given() -> None:
    """Without --workers/--timeout/--memory the course's c.GradingLimits decide."""
    args = build_parser().parse_args(["grade", "ps1"])
    assert (args.workers, args.timeout, args.memory) == (None, None, None)
    args = build_parser().parse_args(["grade", "ps1", "--workers", "3", "--memory", "512"])
    assert (args.workers, args.memory) == (3, 512)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["grade", "ps1", "--workers", "0"], "must be at least 1, not 0"),
        (["grade", "ps1", "--timeout", "soon"], "expected a whole number, not 'soon'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_arguments_are_explained(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_an_unknown_assignment_is_a_clear_error(
    course_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--course-dir", str(course_dir), "grade", "ps9"]) == 2
    err = capsys.readouterr().err
    assert "error: no assignment 'ps9'" in err
    assert "(assignments in source/: ps1)" in err
    assert "Traceback" not in err


def test_a_missing_course_directory_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--course-dir", str(tmp_path / "nowhere"), "report", "ps1"]) == 2
    assert "course directory" in capsys.readouterr().err


def test_a_broken_course_configuration_names_the_file(
    course_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (course_dir / "nbgrader_config.py").write_text("c = get_config()\nc.Nonsense = (\n")
    assert main(["--course-dir", str(course_dir), "export", "ps1"]) == 2
    err = capsys.readouterr().err
    assert f"{course_dir / 'nbgrader_config.py'}: cannot load nbgrader configuration" in err


def test_grading_refuses_to_run_without_a_sandbox(
    course_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    submit_answers(course_dir, "alice", CORRECT)
    monkeypatch.setattr(sandbox_module, "BWRAP", "no-such-bwrap")
    monkeypatch.setattr(sandbox_module, "_FALLBACK", Path("/nonexistent/bwrap"))
    assert main(["--course-dir", str(course_dir), "grade", "ps1"]) == 2
    err = capsys.readouterr().err
    assert "bubblewrap (bwrap) is not installed" in err
    assert "--no-sandbox" in err
    assert not (course_dir / "gradebook.db").exists()


@pytest.mark.slow
def test_no_sandbox_grades_with_a_loud_warning(
    course_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    submit_answers(course_dir, "alice", CORRECT)
    monkeypatch.setattr(sandbox_module, "BWRAP", "no-such-bwrap")
    monkeypatch.setattr(sandbox_module, "_FALLBACK", Path("/nonexistent/bwrap"))
    code = main(["--course-dir", str(course_dir), "grade", "ps1", "--no-sandbox", "--timeout", "5"])
    assert code == 0
    out, err = capsys.readouterr()
    assert "WARNING: grading WITHOUT a sandbox (--no-sandbox)" in err
    assert "Graded 1 submission of ps1" in out


@pytest.mark.slow
def test_grade_shows_progress_and_a_summary(
    course_dir: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    submit_answers(course_dir, "alice", CORRECT)
    submit_answers(course_dir, "bob", {**CORRECT, "q2-answer": "while True:\n    pass"})
    args = ["--course-dir", str(course_dir), "grade", "ps1", "--workers", "2", "--timeout", "4"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "  [1/2]" in err
    assert "  [2/2]" in err
    assert "Graded 2 submissions of ps1 in" in out
    assert "2 workers, 4 s per cell" in out
    assert "1 ok, 1 need review." in out
    assert (
        "    - problems.ipynb: q2-answer (In [3]) ran longer than the time limit and was stopped"
        in out
    )
    assert "Scores out of 9: lowest 8, mean 8.5, highest 9." in out


def test_the_module_and_the_console_script_run() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True, check=True
    )
    assert "collect" in result.stdout
    assert "report" in result.stdout
    script = Path(sys.executable).with_name("itil-autograder")  # pyproject's console script
    out = subprocess.run([str(script), "grade", "--help"], capture_output=True, text=True)
    assert "--no-sandbox" in out.stdout


def test_nothing_to_grade_is_said_plainly(
    course_dir: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--course-dir", str(course_dir), "grade", "ps1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Nothing to grade: no submission of ps1 in ")


def test_a_limit_given_with_limit_reaches_the_sandbox(
    course_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`grade --limit processes=33 --memory 300` sets the sandbox's process limits for
    that run, on top of the course's nbgrader_config.py."""
    from autograder.engine.sandbox import Limits
    from autograder.errors import AutograderError

    (course_dir / "nbgrader_config.py").write_text(
        "c = get_config()\nc.GradingLimits.shm_mb = 17\n"
    )
    seen: list[Limits] = []

    def spy(*, no_sandbox: bool, limits: Limits, secrets: object) -> Sandbox:
        seen.append(limits)
        raise AutograderError("stopped by the test")

    monkeypatch.setattr(sandbox_module, "find_sandbox", spy)
    argv = ["--course-dir", str(course_dir), "grade", "ps1", "--limit", "processes=33"]
    assert main([*argv, "--memory", "300"]) == 2
    assert "stopped by the test" in capsys.readouterr().err
    assert (seen[0].processes, seen[0].memory_mb, seen[0].shm_mb) == (33, 300, 17)
