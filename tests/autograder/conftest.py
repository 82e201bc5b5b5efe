"""Fixtures: see ``tests/autograder/fixtures/pytest_fixtures.py``."""

from __future__ import annotations

from tests.autograder.fixtures.pytest_fixtures import course_dir, graded_class, sandbox, template

__all__ = ["course_dir", "graded_class", "sandbox", "template"]
