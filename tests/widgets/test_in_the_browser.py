"""In the browser (the JupyterLite site, ``sys.platform == "emscripten"``), the kit keeps
progress where the browser persists files, checks what matters there, and "Download my
work" hands over the zip itself. The browser is simulated here by patching
:func:`course.where.in_browser`; ``tests/browser/test_lite_site.py`` runs the real one."""

from __future__ import annotations

import base64
import io
import re
import sys
import zipfile
from pathlib import Path

import pytest

import course
from course import records, setup_check, where
from course.widgets import start


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Pretend to be Pyodide, with JupyterLite's drive at ``tmp_path / 'drive'``."""
    drive = tmp_path / "drive"
    drive.mkdir()
    for module in (records, setup_check, start):
        monkeypatch.setattr(module, "in_browser", lambda: True)
    monkeypatch.setattr(records, "BROWSER_DRIVE", drive)
    monkeypatch.setattr(setup_check, "BROWSER_DRIVE", drive)
    monkeypatch.delenv("ITIL_COURSE_DATA", raising=False)
    return drive


def test_in_browser_is_true_only_under_pyodide(monkeypatch: pytest.MonkeyPatch) -> None:
    assert where.in_browser() is False
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert where.in_browser() is True


def test_progress_is_kept_in_the_drive_not_the_home_folder(browser: Path) -> None:
    """The kernel's home folder is in memory and lost on reload; the drive is kept."""
    assert records.data_dir() == browser / "course-progress"
    records.record_result("quiz", "q-1", "obj-1", 1.0)
    assert (browser / "course-progress" / "records.jsonl").is_file()
    assert [r.item for r in records.load_records()] == ["q-1"]


def test_an_explicit_data_folder_still_wins_in_the_browser(
    browser: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path / "mine"))
    assert records.data_dir() == tmp_path / "mine"


def test_the_set_up_check_skips_the_lab_tools_and_checks_the_storage(browser: Path) -> None:
    checks = {c.name: c for c in setup_check.run_checks()}
    assert not setup_check.LAB_ONLY & set(checks)
    assert not any("JupyterLab extension" in name for name in checks)
    assert checks["ipywidgets"].ok
    assert checks["ipycytoscape"].ok
    assert checks["Browser storage"].ok
    assert all(c.ok for c in checks.values())


def test_a_browser_without_storage_is_reported_with_a_fix(browser: Path) -> None:
    browser.rmdir()
    storage = {c.name: c for c in setup_check.run_checks()}["Browser storage"]
    assert not storage.ok
    assert "will not be kept" in storage.detail
    assert "private browsing" in storage.fix


def test_a_missing_package_in_the_browser_says_to_reload(
    browser: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(setup_check.REQUIREMENTS, "ipycytoscape", ("99", None))
    check = {c.name: c for c in setup_check.run_checks()}["ipycytoscape"]
    assert not check.ok
    assert check.fix == setup_check.BROWSER_FIX


def test_download_in_the_browser_links_the_zip_itself(browser: Path) -> None:
    """No server holds the browser's files: the link is a data: URL of the zip."""
    folder = browser / "01-what-is-svc"
    folder.mkdir()
    (folder / "01-what-is-svc.ipynb").write_text("{}")
    button = course.download_work(folder)
    button.button.click()
    shown = button.link.outputs[0]["data"]["text/html"]
    found = re.search(r'href="data:application/zip;base64,([A-Za-z0-9+/=]+)"', shown)
    assert found is not None, shown
    assert 'download="my-work-01-what-is-svc.zip"' in shown
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(found.group(1)))) as archive:
        assert archive.namelist() == ["01-what-is-svc/01-what-is-svc.ipynb"]
