"""Every question of the bank can be answered, and its key agrees with the course.

Generated questions (``from:`` in a quiz file) are checked against the content
model, looked up here independently of the generators: the key the bank holds
must be the fact the content gives, so an edit of the content changes those keys
with it (they are not kept in a second list). Whether the content says what the
reference material says is ``tests/test_fidelity_to_reference.py``'s job alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from course import load_content, load_course
from course.loader import CONTENT_DIR
from course.lookup import normalise
from course.quizbank import Question, check_answer, load_bank, read_bank
from course.quizbank.bank import QUIZ_DIR

from .quiz_support import one_right_answer, one_wrong_answer, solve

QUESTIONS = load_bank().questions
SPECS: dict[str, dict[str, Any]] = {
    q["id"]: q
    for path in QUIZ_DIR.glob("*.yaml")
    for q in yaml.safe_load(path.read_text())["questions"]
}
COURSE = load_course()
BY_NAME = {a.name: a for a in COURSE.activities}


def _n(texts: Any) -> Any:
    """Normalise texts (in lists and dict values too) so spellings compare equal."""
    if isinstance(texts, str):
        return normalise(texts)
    if isinstance(texts, dict):
        return {normalise(k): sorted(_n(v)) for k, v in texts.items()}
    return [_n(t) for t in texts]


def _owners(field: str, text: str) -> list[str]:
    return [name for name, a in BY_NAME.items() if normalise(text) in _n(getattr(a, field))]


def _stream(stream_id: str) -> list[tuple[str, str]]:
    steps = COURSE.value_stream(stream_id).steps
    return [(COURSE.activity_by_id(s.activity).name, s.action) for s in steps]


def _characteristics() -> list[str]:
    return [c.name for c in COURSE.characteristics]


def _expected(question: Question, spec: dict[str, Any]) -> Any:
    """The key the course material gives for a generated question."""
    source = spec["from"]
    if source == "activity-purpose":
        return {a.purpose: [a.name] for a in COURSE.activities}
    if source in ("output-activity", "key-activity-activity", "practice-activity"):
        field = {"output": "outputs", "key": "key_activities", "practice": "practices"}[
            source.split("-")[0]
        ]
        return {item: _owners(field, item) for item in spec["items"]}
    if source == "characteristic-meaning":
        return {c.text: [c.name] for c in COURSE.characteristics}
    if source == "stream-step-activity":
        return {action: [activity] for activity, action in _stream(spec["stream"])}
    if source == "value-stream":
        index = 1 if spec.get("show") == "action" else 0
        return [step[index] for step in _stream(spec["stream"])]
    if source == "activity-example":
        return list(COURSE.activity_by_id(spec["activity"]).example.steps)
    if source == "pattern":
        found = next(p for p in COURSE.patterns if p.id == spec["pattern"])
        return [COURSE.activity_by_id(s).name for s in found.steps]
    if source == "activity-of":
        (owner,) = _owners(spec["field"], spec["item"])
        return [owner] if question.kind == "short_text" else owner
    if source == "purpose-of":
        return COURSE.activity_by_id(spec["activity"]).purpose
    if source == "stream-step":
        names = [activity for activity, _ in _stream(spec["stream"])]
        if "after" not in spec:
            return names[0]
        return names[names.index(COURSE.activity_by_id(spec["after"]).name) + 1]
    if source == "stream-action":
        name = COURSE.activity_by_id(spec["activity"]).name
        return next(action for activity, action in _stream(spec["stream"]) if activity == name)
    if source == "activities":
        return list(BY_NAME)
    if source == "characteristics":
        return _characteristics()
    if source == "activities-of-practice":
        return _owners("practices", spec["practice"])
    if source == "practices-of":
        return list(COURSE.activity_by_id(spec["activity"]).practices)
    if source == "stream-omits":
        used = {activity for activity, _ in _stream(spec["stream"])}
        return [name for name in BY_NAME if name not in used]
    raise AssertionError(f"no expectation written for generator {source!r}")


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_every_question_has_exactly_one_full_answer_that_checks_right(question: Question) -> None:
    """solve() finds the key by trying answers; that answer scores 1, nothing else does."""
    answer = one_right_answer(question)
    result = check_answer(question, answer)
    assert (result.valid, result.correct, result.score) == (True, True, 1.0), result.feedback
    if question.kind == "single":
        others = [o.text for o in question.options if o.text != answer]
        assert not any(check_answer(question, o).correct for o in others)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_a_wrong_answer_is_marked_wrong(question: Question) -> None:
    """A key that accepted anything would pass the test above; this one would fail."""
    result = check_answer(question, one_wrong_answer(question))
    assert result.valid, result.feedback
    assert not result.correct
    assert result.score < 1.0


GENERATED = [q for q in QUESTIONS if q.source != "authored"]


@pytest.mark.parametrize("question", GENERATED, ids=lambda q: q.id)
def test_generated_keys_are_the_contents_facts(question: Question) -> None:
    expected = _expected(question, SPECS[question.id])
    got = solve(question)
    if isinstance(expected, list) and question.kind in ("multiple", "short_text"):
        assert sorted(_n(got)) == sorted(_n(expected))
    else:
        assert _n(got) == _n(expected)


def test_the_bank_uses_every_generator_it_offers() -> None:
    from course.quizbank.derive import GENERATORS

    used = {(q.kind, q.source) for q in GENERATED}
    assert used == set(GENERATORS)


def test_generated_keys_follow_the_content_model(tmp_path: Path) -> None:
    """Move a practice and reorder a value stream in a copy of the content: the keys move too."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("quizzes"))
    practices = content / "practices.yaml"
    text = practices.read_text()
    old = "  - id: risk-management\n    name: Risk Management\n    supports: [plan]"
    assert old in text
    practices.write_text(text.replace(old, old.replace("[plan]", "[improve]")))
    streams = content / "value_streams.yaml"
    text = streams.read_text()
    first = "      - activity: engage\n        action: Communicate with user\n"
    second = "      - activity: obtain-build\n        action: Get information/resources\n"
    assert first + second in text
    streams.write_text(text.replace(first + second, second + first))

    bank = read_bank(QUIZ_DIR, load_content(content))
    assert solve(bank.question("prac-match-one"))["Risk Management"] == ["Improve"]
    assert solve(bank.question("vs-incident-order"))[:2] == ["Obtain/Build", "Engage"]
    assert solve(bank.question("tog-incident-next")) == "Deliver & Support"
