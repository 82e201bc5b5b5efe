"""'Download my work' zips exactly the assignment folder's files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from course.workzip import zip_name, zip_work


def test_the_zip_holds_exactly_the_folders_files(tmp_path: Path) -> None:
    """Notebooks and data, nested too; no caches, no earlier zips, no links."""
    folder = tmp_path / "02-six-activities"
    (folder / "data").mkdir(parents=True)
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / "02-six-activities.ipynb").write_text("{}")
    (folder / "data" / "notes.txt").write_text("mine")
    (folder / ".ipynb_checkpoints" / "02-six-activities-checkpoint.ipynb").write_text("{}")
    (folder / "my-work-02-six-activities.zip").write_bytes(b"old")
    (folder / "link.txt").symlink_to(tmp_path / "outside.txt")
    (tmp_path / "outside.txt").write_text("not the student's")

    target, members = zip_work(folder)

    assert target == folder / zip_name(folder) == folder / "my-work-02-six-activities.zip"
    assert members == ["02-six-activities.ipynb", "data/notes.txt"]
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [
            "02-six-activities/02-six-activities.ipynb",
            "02-six-activities/data/notes.txt",
        ]
        assert archive.read("02-six-activities/data/notes.txt") == b"mine"
    assert not list(folder.glob("*.partial"))


def test_zipping_twice_does_not_nest_the_first_zip(tmp_path: Path) -> None:
    (tmp_path / "a.ipynb").write_text("{}")
    zip_work(tmp_path)
    _, members = zip_work(tmp_path)
    assert members == ["a.ipynb"]


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError, match="it is not a folder"):
        zip_work(tmp_path / "nowhere")
