"""Fixtures: see ``tests/autograder/fixtures/pytest_fixtures.py``."""

from __future__ import annotations

from tests.autograder.fixtures.pytest_fixtures import course_dir, sandbox, template

__all__ = ["course_dir", "sandbox", "template"]
