"""'Download my work': one click zips the assignment folder and offers the zip."""

from __future__ import annotations

import zipfile
from pathlib import Path

import course


def test_download_button_zips_the_folder_and_links_the_zip(tmp_path: Path) -> None:
    folder = tmp_path / "03-activities-together"
    folder.mkdir()
    (folder / "03-activities-together.ipynb").write_text("{}")
    button = course.download_work(folder)
    button.button.click()
    shown = button.link.outputs[0]["data"]["text/html"]
    assert 'href="my-work-03-activities-together.zip"' in shown
    assert "1 file(s) from 03-activities-together/" in shown
    with zipfile.ZipFile(folder / "my-work-03-activities-together.zip") as archive:
        assert archive.namelist() == ["03-activities-together/03-activities-together.ipynb"]
    button.button.click()  # a second click replaces the link, it does not add one
    assert len(button.link.outputs) == 1
