"""The student copy's top-level files are made from the kit's; a kit file that lacks what
they are made from is a clear error naming the file and what is missing."""

from __future__ import annotations

import pytest

from autograder.publish.student_files import (
    StudentFileError,
    student_makefile,
    student_pyproject,
    student_readme,
)
from tests.instructor.kit import REPO


def test_the_readme_keeps_the_kits_trade_mark_text_word_for_word() -> None:
    kit = (REPO / "README.md").read_text()
    trade_mark = kit[kit.index("## Trade mark") :].split("\n## ")[0].rstrip()
    student = student_readme(kit)
    assert trade_mark in student
    assert "## For instructors" not in student
    assert "source/" not in student
    assert "autograder" not in student


def test_a_readme_without_a_trade_mark_section_is_refused() -> None:
    with pytest.raises(StudentFileError, match=r"README\.md needs .*'## Trade mark'"):
        student_readme("# A course\n\nSome text.\n")


def test_a_makefile_without_a_lab_rule_is_refused() -> None:
    kit = (REPO / "Makefile").read_text()
    broken = kit.replace("\nlab: ", "\nopen: ")
    with pytest.raises(StudentFileError, match="Makefile has no rule for lab"):
        student_makefile(broken)


def test_the_makefile_installs_without_the_development_tools() -> None:
    student = student_makefile((REPO / "Makefile").read_text())
    assert "-e '.[lab]'\n" in student
    assert "[dev]" not in student
    assert "pytest" not in student
    assert "autograder" not in student


def test_a_pyproject_without_package_data_is_refused() -> None:
    kit = (REPO / "pyproject.toml").read_text()
    broken = kit.replace("[tool.setuptools.package-data]", "[tool.setuptools.data]")
    with pytest.raises(StudentFileError, match=r"pyproject.toml has no \[tool.setuptools"):
        student_pyproject(broken)


def test_the_student_pyproject_keeps_the_lab_extra_and_no_other() -> None:
    """The student's `make lab` needs JupyterLab, which sits in the `lab` extra."""
    student = student_pyproject((REPO / "pyproject.toml").read_text())
    assert "lab = [" in student
    assert "jupyterlab" in student
    assert "instructor" not in student
    assert "pytest" not in student


def test_a_pyproject_without_the_lab_extra_is_refused() -> None:
    kit = (REPO / "pyproject.toml").read_text()
    broken = kit.replace("\nlab = [", "\nlocal = [")
    with pytest.raises(StudentFileError, match="has no 'lab' extra"):
        student_pyproject(broken)
