"""Progress per objective is computed from the records, and survives restarts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course import mastery, records
from course.records import Record


def _record(kind: str, item: str, objective: str, score: float, t: float) -> Record:
    return Record(kind, item, objective, score, 1, t)  # type: ignore[arg-type]


def test_best_and_last_scores_and_attempts_per_item() -> None:
    """Three tries at one question: best 1.0, last 0.5, three attempts."""
    summary = mastery.summarise(
        [
            _record("quiz", "q1", "six-activities", 0.0, 1),
            _record("quiz", "q1", "six-activities", 1.0, 2),
            _record("quiz", "q1", "six-activities", 0.5, 3),
        ]
    )
    six = summary.objectives[1]
    assert six.id == "six-activities"
    assert six.quizzes == (mastery.ItemResult("quiz", "q1", 1.0, 0.5, 3),)
    assert six.revisit == ()


def test_status_revisit_and_coverage() -> None:
    """Weak items are listed weakest first; mastery needs score and coverage."""
    recs = [
        _record("quiz", "a", "value-streams", 1.0, 1),
        _record("quiz", "b", "value-streams", 0.25, 2),
        _record("stream", "incident-resolution", "value-streams", 0.5, 3),
        _record("quiz", "c", "what-is-svc", 1.0, 4),
        _record("quiz", "d", "what-is-svc", 1.0, 5),
    ]
    summary = mastery.summarise(recs, available={"value-streams": 8, "what-is-svc": 4})
    by_id = {o.id: o for o in summary.objectives}
    streams = by_id["value-streams"]
    assert [i.item for i in streams.revisit] == ["b", "incident-resolution"]
    assert streams.score == pytest.approx((1.0 + 0.25 + 0.5) / 3)
    assert streams.coverage == 0.25
    assert streams.status == "in progress"
    assert by_id["what-is-svc"].status == "mastered"
    assert by_id["activities-practices"].status == "not started"
    assert by_id["activities-practices"].score == 0.0
    assert summary.attempted == 5


def test_records_of_unknown_objectives_are_left_out() -> None:
    summary = mastery.summarise([_record("quiz", "x", "retired-objective", 1.0, 1)])
    assert summary.attempted == 0


def test_progress_survives_a_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Results recorded by one Python process are seen by the next one."""
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path))
    code = (
        "from course import records; "
        "records.record_result('stream', 'incident-resolution', 'value-streams', 0.75)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    after = mastery.current_progress()
    streams = {o.id: o for o in after.objectives}["value-streams"].streams
    assert streams == (mastery.ItemResult("stream", "incident-resolution", 0.75, 0.75, 1),)
    assert len(records.load_records()) == 1
