"""The authoring commands of the one command line: `check` reports every problem of the
content, quiz bank and scenarios; `seal` seals quiz keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.cli import main
from course.loader import CONTENT_DIR
from course.quizbank.keys import seal


def test_check_passes_the_shipped_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    for part in ("content: ok", "quiz bank: ok", "scenarios: ok", "graded keys: ok"):
        assert part in out


def test_check_reports_each_broken_part_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken scenario file does not hide a broken quiz file: both are named."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    quiz = next(iter(sorted((content / "quizzes").glob("*.yaml"))))
    quiz.write_text(quiz.read_text().replace("objective:", "objectiv:", 1))
    (content / "scenarios.yaml").write_text("scenarios: 3\n")
    assert main(["check", str(content)]) == 2
    out, err = capsys.readouterr()
    assert "content: ok" in out
    assert f"quiz bank: 1 problem\n  - quizzes/{quiz.name}" in out
    assert "scenarios: 1 problem\n  - scenarios.yaml" in out
    assert "error: 2 problem(s) found" in err


def test_seal_prints_one_key_and_seals_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seal", "--key", "six-x", "Obtain/Build", "right"]) == 0
    assert capsys.readouterr().out.strip() == seal("six-x", "Obtain/Build", "right")
    quiz = tmp_path / "q.yaml"
    quiz.write_text("questions:\n- id: tf-1\n  type: true_false\n  statement: S\n  key: true\n")
    assert main(["seal", str(quiz)]) == 0
    assert seal("tf-1", "statement", "true") in quiz.read_text()
    assert main(["seal", str(tmp_path / "none.yaml")]) == 2
    assert "none.yaml: no such quiz file" in capsys.readouterr().err
