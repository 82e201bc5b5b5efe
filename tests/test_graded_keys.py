"""The graded value-stream questions' keys: instructor-only, checked by the loader,
absent from a student's copy, and sealed (never plain) in the self-paced edition."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.publish.secrets import GRADED_KEYS, key_lines
from autograder.publish.student_copy import leaks, secret_lines
from course import graded, scenarios
from course.errors import ContentError
from course.graded import SealError, seal_spec
from course.graded._verdict import score, self_check
from course.loader import CONTENT_DIR
from course.scenarios import KEYS_FILE, KeyNotInCopyError, load_scenarios, scenario
from course.widgets.builder import builder

REPO = Path(__file__).resolve().parents[1]
GRADED = [s for s in load_scenarios() if s.graded]
POINTS = 3


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    return folder


@pytest.fixture
def student_course(content: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The shipped scenarios read from a content folder without the key file."""
    (content / KEYS_FILE).unlink()
    scenarios._shipped.cache_clear()
    monkeypatch.setattr(scenarios, "CONTENT_DIR", content)
    yield content
    scenarios._shipped.cache_clear()


def test_the_four_graded_questions_have_their_keys_from_the_key_file_only() -> None:
    """scenarios.yaml holds no graded key; the kit merges them from graded_keys.yaml."""
    assert [s.id for s in GRADED] == [
        "recurring-incidents", "payroll-crash", "intranet-move", "feedback-portal",
    ]  # fmt: skip
    public = (CONTENT_DIR / "scenarios.yaml").read_text(encoding="utf-8")
    secrets = key_lines(CONTENT_DIR / KEYS_FILE)
    for item in GRADED:
        assert item.has_key
        assert item.rubric.constraints
        assert item.judged
        assert item.rubric.constraints[0].why in secrets
    assert len(secrets) >= 40
    assert [line for line in secrets if line in public] == []


def test_a_graded_scenario_without_a_key_is_refused_naming_it(content: Path) -> None:
    keys = (content / KEYS_FILE).read_text(encoding="utf-8")
    cut = keys.index("  - id: payroll-crash")
    end = keys.index("  - id: intranet-move")
    (content / KEYS_FILE).write_text(keys[:cut] + keys[end:], encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_scenarios(content)
    text = str(caught.value)
    assert "scenarios.yaml" in text
    assert "line" in text
    assert "'payroll-crash' has no key in graded_keys.yaml" in text
    assert "'- id: payroll-crash'" in text


def test_a_key_for_no_graded_scenario_is_refused_naming_it(content: Path) -> None:
    keys = (content / KEYS_FILE).read_text(encoding="utf-8")
    block = keys[keys.index("  - id: intranet-move") : keys.index("  - id: feedback-portal")]
    for stray, what in (
        ("intranet-moves", "no scenario"),
        ("new-starters", "a scenario that is not graded"),
    ):
        extra = block.replace("  - id: intranet-move", f"  - id: {stray}")
        (content / KEYS_FILE).write_text(keys + extra, encoding="utf-8")
        with pytest.raises(ContentError) as caught:
            load_scenarios(content)
        text = str(caught.value)
        assert "graded_keys.yaml" in text
        assert "line" in text
        assert f"{stray!r} names {what} of scenarios.yaml" in text


def test_a_key_left_in_scenarios_yaml_for_a_graded_scenario_is_refused(content: Path) -> None:
    public = (content / "scenarios.yaml").read_text(encoding="utf-8")
    moved = public.replace(
        "    title: The payroll application crashes\n",
        "    title: The payroll application crashes\n    rubric:\n      - start: engage\n"
        "        why: x\n",
    )
    (content / "scenarios.yaml").write_text(moved, encoding="utf-8")
    with pytest.raises(ContentError, match=r"a graded scenario.s key lives in graded_keys\.yaml"):
        load_scenarios(content)


def test_a_graded_key_the_self_paced_edition_cannot_seal_is_refused(content: Path) -> None:
    """Weights and step budgets of graded keys stay within what the sealed checker tries."""
    keys = (content / KEYS_FILE).read_text(encoding="utf-8")
    cases = (
        ("        weight: 3\n", "        weight: 2.75\n", "weight is one of 0.5, 1, 1.5"),
        (
            "at_most: {plan: 1, obtain-build: 1}",
            "at_most: {plan: 1, obtain-build: 12}",
            "at most 9",
        ),
    )
    for old, new, message in cases:
        assert old in keys
        (content / KEYS_FILE).write_text(keys.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(ContentError, match=message) as caught:
            load_scenarios(content)
        assert "graded_keys.yaml, line" in str(caught.value)


def test_a_stream_question_must_score_a_graded_scenario_to_be_sealed() -> None:
    with pytest.raises(SealError, match="'email-outage' is a self-check exercise"):
        seal_spec(
            "stream",
            None,
            {"scenario": "email-outage", "points": 1},
            {},
            question_id="q",
            title="Q",
            objective="value-streams",
        )


def test_without_the_key_file_graded_scenarios_have_no_key_and_the_scorer_says_so(
    student_course: Path,
) -> None:
    """A student's install: the builder still checks the form, the scorer refuses clearly."""
    item = scenario("payroll-crash")
    assert item.graded
    assert not item.has_key
    with pytest.raises(KeyNotInCopyError, match="not in this copy of the course"):
        graded.score_stream(["Engage", "Improve"], scenario="payroll-crash", points=3)
    with pytest.raises(KeyNotInCopyError):
        item.grade(["Engage"])
    made = builder("payroll-crash", question_id="q4-1")
    made.stream = ["Engage", "Obtain/Build", "Deliver & Support", "Improve"]
    made.check()
    assert "well formed" in made.feedback.value
    assert "%" not in made.feedback.value
    assert [s.id for s in load_scenarios()] == [s.id for s in load_scenarios(CONTENT_DIR)]
    assert scenario("incident-resolution").grade(["Engage"]).score < 1


def _spec(item_id: str) -> dict[str, object]:
    return seal_spec(
        "stream",
        None,
        {"scenario": item_id, "points": POINTS},
        {},
        question_id=f"test-{item_id}",
        title=item_id,
        objective="value-streams",
    )


@pytest.mark.parametrize("item", GRADED, ids=[s.id for s in GRADED])
def test_self_paced_verdict_equals_the_graded_score_on_every_judged_stream(
    item: scenarios.Scenario,
) -> None:
    """The sealed rubric, unsealed by enumeration, scores exactly as the grader does."""
    spec = _spec(item.id)
    assert len(item.judgements) >= 7
    for _, stream in item.judgements:
        names = list(stream.names)
        for answer in (names, names[::-1], names[:2], [*names, names[0]]):
            mine = score(answer, spec)
            theirs = graded.score_stream(answer, scenario=item.id, points=POINTS)
            assert mine.points == theirs.points, (answer, mine, theirs)


@pytest.mark.parametrize("item", GRADED, ids=[s.id for s in GRADED])
def test_a_sealed_spec_and_its_verdict_show_no_note_nor_reason_of_the_key(
    item: scenarios.Scenario,
) -> None:
    spec = _spec(item.id)
    secrets = key_lines(CONTENT_DIR / KEYS_FILE)
    whys = {c.why for c in item.rubric.constraints} | {item.rubric.budget.why}  # type: ignore[union-attr]
    sealed = json.dumps(spec)
    assert not [s for s in (*secrets, *whys) if s and s in sealed]
    wrong = [*item.model_answer.names, *item.model_answer.names]
    verdict = self_check(wrong, spec, record=False)
    shown = str(verdict)
    assert "✗" in shown
    assert not [s for s in (*secrets, *whys) if s and s in shown]


def test_the_key_file_and_each_of_its_notes_and_reasons_count_as_leaks(tmp_path: Path) -> None:
    """The one check of what may reach a student: the key file, or a line of it anywhere."""
    secrets = secret_lines(REPO / "source")
    assert set(key_lines(REPO / GRADED_KEYS)) <= set(secrets)
    note = scenario("intranet-move").model_answer.steps[0].action
    assert note in secrets
    copy = tmp_path / "copy"
    (copy / "course" / "content").mkdir(parents=True)
    (copy / "notes.md").write_text(f"Hint: {note}\n")
    shutil.copy(REPO / GRADED_KEYS, copy / GRADED_KEYS)
    found = leaks(copy, secrets)
    assert f"{GRADED_KEYS} must not be in a student copy" in found
    assert any(f.startswith("notes.md holds a line") and note in f for f in found)
    (copy / GRADED_KEYS).unlink()
    (copy / "notes.md").write_text("Nothing of the keys.\n")
    assert leaks(copy, secrets) == []
