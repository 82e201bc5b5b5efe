"""The progress view and the start-page widgets."""

from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import course
from course import records


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def test_progress_table_shows_status_score_and_what_to_revisit() -> None:
    records.record_result("quiz", "vs-order-1", "value-streams", 0.5)
    records.record_result("stream", "incident-resolution", "value-streams", 1.0)
    view = course.progress(available={"value-streams": 8})
    table = view.table.value
    assert "4. How to create value streams" in table
    assert "in progress" in table
    assert "75%" in table
    assert "1 of 8 question(s), 1 value stream(s)" in table
    assert "vs-order-1 (50%)" in table
    assert table.count("not started") == 4


def test_refresh_picks_up_new_results() -> None:
    view = course.progress()
    assert "Nothing recorded yet" in view.table.value
    records.record_result("quiz", "q", "what-is-svc", 1.0)
    view.refresh_button.click()
    assert "Nothing recorded yet" not in view.table.value
    assert "mastered" in view.table.value


@pytest.mark.slow
def test_progress_survives_a_kernel_restart(data: Path) -> None:
    """A result recorded in one kernel shows in the progress view of the next."""
    first = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "from course import records\n"
                "records.record_result('stream', 'new-service-request', 'value-streams', 0.5)"
            )
        ]
    )
    second = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import course\nprint(course.progress().table.value)")]
    )
    NotebookClient(first, timeout=60, kernel_name="python3").execute()
    NotebookClient(second, timeout=60, kernel_name="python3").execute()
    shown = second.cells[0].outputs[0]["text"]
    assert "new-service-request (50%)" in shown
    assert "in progress" in shown


def test_download_button_zips_the_folder_and_links_the_zip(tmp_path: Path) -> None:
    folder = tmp_path / "03-activities-together"
    folder.mkdir()
    (folder / "03-activities-together.ipynb").write_text("{}")
    button = course.download_work(folder)
    button.button.click()
    target = folder / "my-work-03-activities-together.zip"
    assert 'href="my-work-03-activities-together.zip"' in button.link.value
    assert "1 file(s)" in button.link.value
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == ["03-activities-together/03-activities-together.ipynb"]
