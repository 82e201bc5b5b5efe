"""The set-up check finds what is wrong and says how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from course import setup_check


def test_this_environment_passes_every_check() -> None:
    """The kit's own environment has the right versions and the front ends."""
    failures = [c for c in setup_check.run_checks() if not c.ok]
    assert failures == []


def test_a_missing_front_end_is_reported_with_a_fix(tmp_path: Path) -> None:
    """Looking in an empty prefix: both JupyterLab extensions are missing."""
    checks = {c.name: c for c in setup_check.run_checks(prefixes=[tmp_path])}
    cyto = checks["jupyter-cytoscape (JupyterLab extension)"]
    assert not cyto.ok
    assert "cannot draw the value-stream graphs" in cyto.detail
    assert "make lab" in cyto.fix


def test_a_wrong_version_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(setup_check.REQUIREMENTS, "ipywidgets", ("9.0", None))
    check = {c.name: c for c in setup_check.run_checks()}["ipywidgets"]
    assert not check.ok
    assert "the course needs >=9.0" in check.detail


def test_a_missing_package_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(setup_check.REQUIREMENTS, "no-such-package-xyz", ("1", None))
    check = {c.name: c for c in setup_check.run_checks()}["no-such-package-xyz"]
    assert (check.ok, check.detail) == (False, "not installed")
