"""A legitimate local adaptation of the content: Service Desk also supports Engage.

The issue's example: the edit must fail the fidelity test only (it is a departure from
the reference material), pass ``check``, and flow into the graded key, so a student who
answers from the adapted content gets the point.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import course.loader
from autograder.cli import main
from course import load_content, load_course
from course.loader import CONTENT_DIR, CONTENT_ENV

from .content_support import break_file
from .notebook_support import score_hidden
from .test_fidelity_to_reference import differences

REPO = Path(__file__).resolve().parents[1]
SERVICE_DESK = "  - id: service-desk\n    name: Service Desk\n    supports: [deliver-support]"
#: Answers Q6.4 (b) as the adapted content teaches it: Service Desk supports Engage.
FOLLOWS_NEW_CONTENT = {
    "Service Desk": "Engage",
    "Risk Management": "Plan",
    "Release Management": "Design & Transition",
    "Measurement and Reporting": "Improve",
    "Relationship Management": "Engage",
    "Development and Management": "Obtain/Build",
}
#: The test modules that read the content (the issue's edit broke six of them).
CONTENT_TESTS = [
    "tests/test_content.py",
    "tests/test_content_fixes.py",
    "tests/test_diagram.py",
    "tests/test_quiz_answerable.py",
    "tests/test_quiz_bank.py",
    "tests/test_content_keys.py",
    "tests/widgets/test_practice_graph.py",
    "tests/test_fidelity_to_reference.py",
]


@pytest.fixture
def adapted(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    break_file(
        folder,
        "practices.yaml",
        SERVICE_DESK,
        SERVICE_DESK.replace("[deliver-support]", "[engage, deliver-support]"),
    )
    return folder


@pytest.fixture
def running_on(adapted: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The course (and so every hidden-test helper) reads the adapted content."""
    monkeypatch.setattr(course.loader, "CONTENT_DIR", adapted)
    load_course.cache_clear()
    yield adapted
    monkeypatch.undo()
    load_course.cache_clear()


def test_the_adapted_content_passes_check(
    adapted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(adapted)]) == 0
    out = capsys.readouterr().out
    assert "content: ok" in out
    assert "graded keys: ok" in out


def test_only_the_fidelity_comparison_names_the_change(adapted: Path) -> None:
    engage = list(load_content(adapted).activity_by_id("engage").practices)
    assert engage[-1] == "Service Desk"
    assert differences(load_content(adapted)) == [
        "activity Engage: practices: the reference has ['Relationship Management', "
        f"'Service Level Management', 'Supplier Management'], the course has {engage!r}"
    ]


def test_a_student_who_follows_the_new_content_gets_the_point(running_on: Path) -> None:
    """Q6.4 (b)'s hidden test derives its key from the content it runs on."""
    result = score_hidden("06-practice", "pq4-pairs", supported_by=FOLLOWS_NEW_CONTENT)
    assert (result.points, result.max_points) == (3, 3), result
    # the answer the reference gives still counts: Service Desk supports both
    reference = {**FOLLOWS_NEW_CONTENT, "Service Desk": "Deliver & Support"}
    result = score_hidden("06-practice", "pq4-pairs", supported_by=reference)
    assert result.points == 3, result


def test_on_the_shipped_content_the_same_answer_loses_the_pair() -> None:
    """The control: without the edit, Engage is not Service Desk's activity."""
    result = score_hidden("06-practice", "pq4-pairs", supported_by=FOLLOWS_NEW_CONTENT)
    assert result.points == 2.5, result
    assert "Not right: 'Service Desk': 'Engage'." in result.lines


@pytest.mark.slow
def test_the_content_tests_fail_only_in_the_fidelity_module(adapted: Path) -> None:
    """Run the tests that read the content on the adapted copy: only fidelity fails."""
    env = {**os.environ, CONTENT_ENV: str(adapted)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", *CONTENT_TESTS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    failed = sorted(
        line.split()[1] for line in done.stdout.splitlines() if line.startswith("FAILED")
    )
    assert failed == [
        "tests/test_fidelity_to_reference.py::test_the_content_holds_the_reference_facts[practices]"
    ], done.stdout[-3000:]
