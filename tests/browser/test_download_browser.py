"""'Download my work' in real JupyterLab and Chromium: a click gives the student
a zip of their assignment folder, saved by the browser."""

from __future__ import annotations

import zipfile
from typing import Any

from .conftest import Lab

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def test_the_download_button_saves_a_zip_of_the_folder(lab: Lab, page: Any) -> None:
    path = lab.notebook(
        "dl-02-six-activities/work.ipynb", ["import course\ncourse.download_work()"]
    )
    (lab.root / "dl-02-six-activities" / "notes.txt").write_text("my notes")
    lab.open(page, path)
    lab.run_all(page)
    lab.save(page)
    page.get_by_role("button", name="Download my work").click()
    link = page.locator(f"{PANEL} a[download]")
    link.wait_for(timeout=20_000)
    assert "/files/" in str(link.evaluate("a => a.href"))
    with page.expect_download(timeout=20_000) as info:
        link.click()
    saved = info.value.path()
    with zipfile.ZipFile(saved) as archive:
        names = sorted(archive.namelist())
        assert names == ["dl-02-six-activities/notes.txt", "dl-02-six-activities/work.ipynb"]
        assert archive.read("dl-02-six-activities/notes.txt") == b"my notes"
