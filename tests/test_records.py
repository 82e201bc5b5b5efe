"""Results are kept for the progress view, one line each, and never lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from course import records


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def test_results_are_appended_and_attempts_counted(data: Path) -> None:
    """Each check adds one record; attempts count per item and kind."""
    first = records.record_result("quiz", "q1", "six-activities", 0.5)
    second = records.record_result("quiz", "q1", "six-activities", 1.0, {"choice": "B"})
    other = records.record_result("stream", "q1", "value-streams", 0.25)
    assert (first.attempt, second.attempt, other.attempt) == (1, 2, 1)
    loaded = records.load_records()
    assert loaded == [first, second, other]
    assert loaded[1].detail == {"choice": "B"}
    assert len((data / "records.jsonl").read_text().splitlines()) == 3


def test_no_records_yet_is_an_empty_list() -> None:
    assert records.load_records() == []


def test_a_damaged_line_is_skipped_with_a_warning_and_kept(data: Path) -> None:
    """A torn write does not hide the other records, and the file is not rewritten."""
    records.record_result("quiz", "q1", "six-activities", 1.0)
    with (data / "records.jsonl").open("a") as handle:
        handle.write('{"kind": "quiz", "item": \n')
    with pytest.warns(UserWarning, match="skipped a damaged record"):
        records.record_result("quiz", "q2", "six-activities", 0.0)
    with pytest.warns(UserWarning, match=r"records.jsonl, line 2: skipped a damaged record"):
        loaded = records.load_records()
    assert [r.item for r in loaded] == ["q1", "q2"]
    assert '{"kind": "quiz", "item": ' in (data / "records.jsonl").read_text()


@pytest.mark.parametrize(
    ("kind", "score", "message"),
    [("essay", 1.0, "kind must be one of quiz, stream, graded"), ("quiz", 1.5, "between 0 and 1")],
)
def test_bad_results_are_refused(kind: str, score: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        records.record_result(kind, "q1", "six-activities", score)  # type: ignore[arg-type]
