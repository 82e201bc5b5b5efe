"""Progress per objective is computed from the records, and survives restarts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course import load_course, mastery, records
from course.quizbank import load_bank, question_ids
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


def test_a_known_question_is_named_by_its_prompt_shortened() -> None:
    """The learner sees the question they answered, cut to about 60 characters, not its id."""
    prompt = load_bank().question("six-dt-procures").prompt
    title = mastery.item_title("quiz", "six-dt-procures")
    assert len(prompt) > mastery.TITLE_LENGTH  # so the title has to be cut
    assert title == "Design & Transition is the activity that procures hardware…"
    assert len(title) <= mastery.TITLE_LENGTH
    assert "six-dt-procures" not in title


def test_a_short_prompt_is_the_whole_title() -> None:
    prompt = load_bank().question("prac-many").prompt
    assert len(prompt) <= mastery.TITLE_LENGTH
    assert mastery.item_title("quiz", "prac-many") == prompt


def test_a_value_stream_exercise_is_named_by_its_scenario_title() -> None:
    assert mastery.item_title("stream", "incident-resolution") == "Incident Resolution"
    assert mastery.item_title("stream", "email-outage") == "Email is down for the sales team"


def test_an_unknown_item_keeps_its_id() -> None:
    """A retired question, a renamed exercise or an unknown kind falls back to the id."""
    assert mastery.item_title("quiz", "retired-question") == "retired-question"
    assert mastery.item_title("stream", "retired-exercise") == "retired-exercise"
    assert mastery.item_title("quiz", "incident-resolution") == "incident-resolution"
    assert mastery.item_title("essay", "six-dt-procures") == "six-dt-procures"


def test_shorten_cuts_after_a_whole_word() -> None:
    assert mastery.shorten("Plan  the\nwork", 60) == "Plan the work"
    assert mastery.shorten("one two three four", 12) == "one two…"
    assert mastery.shorten("one two, three", 10) == "one two…"  # no comma left before "…"
    assert mastery.shorten("one two three", 9) == "one two…"  # the cut falls on a space
    assert mastery.shorten("x" * 30, 10) == "x" * 9 + "…"  # one long word is cut inside


def test_question_counts_are_the_bank_counts_of_every_objective() -> None:
    counts = mastery.question_counts()
    objectives = [o.id for o in load_course().objectives]
    assert sorted(counts) == sorted(objectives)
    for objective in objectives:
        assert counts[objective] == len(question_ids(objective)) > 0


def test_current_progress_counts_the_bank_questions_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ``available``, coverage is measured against the quiz bank."""
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path))
    records.record_result("quiz", "vs-all-six", "value-streams", 1.0)
    streams = {o.id: o for o in mastery.current_progress().objectives}["value-streams"]
    assert streams.available == len(question_ids("value-streams"))
    assert streams.coverage == pytest.approx(1 / len(question_ids("value-streams")))
    given = {o.id: o for o in mastery.current_progress({}).objectives}["value-streams"]
    assert given.available is None
    assert given.coverage is None
