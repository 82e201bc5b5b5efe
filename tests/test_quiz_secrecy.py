"""No plain answer key in what the learner receives: the quiz files or the widget state.

The key of every question is first recovered the only way it can be, by
checking candidate answers (``solve``); then it is searched for:

- in every rendered question's widget state (``get_state()`` of every model
  in its tree, as JupyterLab would save it): no digest, no pre-selected
  answer, no explanation or per-option note before a check, no key-shaped
  value (the right order, the right pairs, the typed answer);
- in the quiz files: every ``mark`` and ``key`` is a sealed digest, and no
  answer appears in any field that is not teaching prose. Prose (``prompt``,
  option ``text``, ``why`` and ``explanation``) is the course material shown
  to the learner, which the issue lets stay plain, with one limit: no prose
  opens with a verdict ("True. ...", "Wrong: ..."), and no true/false question
  opens any prose with its key word, so reading the file or the rendered
  explanation first gives nothing away. The verdict reaches the learner from
  the sealed key, once they check.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from course import load_course
from course.lookup import normalise
from course.quizbank import Question, assemble, load_bank
from course.quizbank.bank import QUIZ_DIR
from course.quizbank.keys import is_seal
from course.widgets.quiz import QuestionWidget, question_widget, quiz

from .quiz_support import solve, widget_states

OBJECTIVES = [o.id for o in load_course().objectives]
PROSE = {"prompt", "explanation", "why", "text", "feedback"}
NOTES = {"explanation", "why", "feedback"}  # the justifications shown after a check
VERDICTS = {"true", "false", "correct", "right", "wrong"}
CHOOSE = "Choose…"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield re.sub(r"<style>.*?</style>", "", value, flags=re.S)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _mentions(haystack: str, needle: str) -> bool:
    """``needle`` appears as whole words in ``haystack`` (any case)."""
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack, flags=re.I) is not None


def _rendered() -> Iterator[tuple[Question, QuestionWidget]]:
    for objective in OBJECTIVES:
        for shuffle in (False, True):
            built = quiz(objective, shuffle=shuffle, seed=5)
            for widget in built.questions:
                yield widget.question, widget


RENDERED = list(_rendered())


@pytest.fixture(autouse=True)
def _no_records_outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path / "data"))


@pytest.mark.parametrize(
    ("question", "widget"), RENDERED, ids=[f"{q.id}-{i % 2}" for i, (q, _) in enumerate(RENDERED)]
)
def test_a_rendered_question_carries_no_key_in_its_widget_state(
    question: Question, widget: QuestionWidget
) -> None:
    states = list(widget_states(widget))
    dumped = json.dumps(states, default=str)
    texts = "\n".join(_strings(states))
    key = solve(question)

    # the synced marker and answer, and nothing chosen yet
    assert widget.get_state()["question_id"] == question.id
    assert widget.get_state()["response"] is None
    for state in states:
        assert not {"answer", "correct", "key", "solution"} & set(state), state.keys()
        if state.get("_model_name") in ("RadioButtonsModel",):
            assert state["index"] is None
        if state.get("_model_name") == "CheckboxModel":
            assert state["value"] is False
        if state.get("_model_name") == "DropdownModel":
            assert state["_options_labels"][state["index"]] == CHOOSE
        if state.get("_model_name") == "TextModel":
            assert state["value"] == ""

    # no digest, no explanation, no note on an option before a check
    for digest in question.key.digests():
        assert digest not in dumped
    assert question.explanation not in texts
    for option in question.options:
        if option.why:
            assert option.why not in texts, option.why

    # no key-shaped value
    if question.kind in ("ordering", "multiple"):
        assert json.dumps(key) not in dumped
        assert json.dumps(key, ensure_ascii=False) not in dumped
    if question.kind == "ordering":
        for state in states:
            if state.get("_model_name") == "DropdownModel":
                assert state["_options_labels"][1:] != key
    if question.kind == "matching":
        lists = {
            tuple(s["_options_labels"]) for s in states if s.get("_model_name") == "DropdownModel"
        }
        assert len(lists) == 1  # every row offers the same choices in the same order
        pairs = {item: choices[0] for item, choices in key.items()}
        assert json.dumps(pairs) not in dumped
    if question.kind == "short_text":
        for accepted in key:
            assert not _mentions(texts, accepted), accepted


def test_checking_puts_feedback_but_never_a_digest_in_the_state() -> None:
    """After a wrong check the state holds the feedback, still without a key digest."""
    for question, widget in RENDERED[:20]:
        widget.check()
        dumped = json.dumps(list(widget_states(widget)), default=str)
        for digest in question.key.digests():
            assert digest not in dumped


def _entries() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(QUIZ_DIR.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text())["questions"]:
            yield path.name, entry


def _without_prose(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_prose(v) for k, v in value.items() if k not in PROSE}
    if isinstance(value, list):
        return [_without_prose(v) for v in value]
    return value


def _fields(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from _fields(v)
    elif isinstance(value, list):
        for v in value:
            yield from _fields(v)


def _answers(question: Question, key: Any) -> list[str]:
    """Every text that is (part of) the right answer."""
    if question.kind == "single":
        return [key]
    if question.kind == "matching":
        return [c for choices in key.values() for c in choices]
    if question.kind in ("multiple", "short_text"):
        return list(key)
    return []  # true/false: checked as booleans; ordering: the items are shown, the order is key


ENTRIES = list(_entries())


@pytest.mark.parametrize(("file", "entry"), ENTRIES, ids=[e["id"] for _, e in ENTRIES])
def test_a_quiz_file_holds_only_sealed_keys(file: str, entry: dict[str, Any]) -> None:
    question = load_bank().question(entry["id"])
    key = solve(question)
    rest = _without_prose(entry)
    for name, value in _fields(rest):
        assert name not in {"answer", "answers", "correct", "right", "solution"}, (file, name)
        if name in ("mark", "key"):
            values = value if isinstance(value, list) else [value]
            assert all(isinstance(v, str) and is_seal(v) for v in values), (file, name, value)
    leftovers = [v for _, v in _fields(rest) if not isinstance(v, (dict, list))]
    leftovers += [v for v in rest.values() if not isinstance(v, (dict, list))]
    assert not any(isinstance(v, bool) for v in leftovers)  # a plain true/false key
    plain = "\n".join(str(v) for v in _strings(rest))
    plain += "\n" + "\n".join(str(v) for v in leftovers)
    for answer in _answers(question, key):
        assert normalise(answer) not in {normalise(str(v)) for v in leftovers}, answer
        if question.kind != "matching":  # a matching item may name its activity ("Plan ...")
            assert not _mentions(plain, answer), (entry["id"], answer)
    if question.kind == "ordering":
        assert not any(isinstance(v, list) and v == key for _, v in _fields(rest))


def _first_word(text: str) -> str:
    """The first word of ``text``, lower-cased, past any opening quote or punctuation."""
    found = re.match(r"[\W_]*(\w+)", text)
    return found.group(1).lower() if found else ""


def _verdict_sentences(text: str) -> list[str]:
    """Verdict words standing as a sentence of their own ("... needs. False. The ...")."""
    pattern = r"(?:^|[.!?]\s+)(true|false|correct|right|wrong)\s*[.!:;,\u2014-]"
    return re.findall(pattern, text.strip(), flags=re.I)


@pytest.mark.parametrize(("file", "entry"), ENTRIES, ids=[e["id"] for _, e in ENTRIES])
def test_no_justification_in_a_quiz_file_opens_with_a_verdict(
    file: str, entry: dict[str, Any]
) -> None:
    """An explanation, a ``why`` or a feedback text never starts "True.", "Wrong: "...

    Such an opening would give the key to anyone who reads the file, or the
    rendered justification, before answering.
    """
    notes = [(name, v) for name, v in _fields(entry) if name in NOTES and isinstance(v, str)]
    for name, text in notes:
        assert _first_word(text) not in VERDICTS, (file, entry["id"], name, text)
        assert not _verdict_sentences(text), (file, entry["id"], name, text)


def test_no_justification_in_the_bank_opens_with_a_verdict() -> None:
    """The same holds for every question the bank serves, derived ones included."""
    questions = list(load_bank().questions)
    assert questions
    for question in questions:
        notes = [question.explanation] + [o.why for o in (*question.options, *question.items)]
        for text in filter(None, notes):
            assert _first_word(text) not in VERDICTS, (question.id, text)
            assert not _verdict_sentences(text), (question.id, text)


TRUE_FALSE = [(f, e) for f, e in ENTRIES if e["type"] == "true_false"]


@pytest.mark.parametrize(("file", "entry"), TRUE_FALSE, ids=[e["id"] for _, e in TRUE_FALSE])
def test_a_true_false_question_opens_no_prose_with_its_key_word(
    file: str, entry: dict[str, Any]
) -> None:
    """Neither the file's prose nor the question served opens with "true"/"false" as keyed."""
    question = load_bank().question(entry["id"])
    word = str(solve(question)).lower()
    prose = [v for name, v in _fields(entry) if name in PROSE and isinstance(v, str)]
    prose += [question.prompt, question.explanation]
    assert len(prose) >= 4  # prompt and explanation, from the file and from the bank
    for text in prose:
        assert _first_word(text) != word, (file, entry["id"], text)


def test_a_checked_true_false_question_still_tells_the_verdict() -> None:
    """With the verdict gone from the explanation, the feedback names it from the sealed key."""
    assert TRUE_FALSE
    for _, entry in TRUE_FALSE:
        widget = question_widget(entry["id"])
        truth = solve(widget.question)
        said = str(truth).lower()
        assert widget.answer(not truth)
        assert not widget.check().correct
        assert f"Not right: the statement is {said}." in widget.feedback.value
        assert html.escape(widget.question.explanation) in widget.feedback.value
        widget.retry()
        assert widget.answer(truth)
        assert widget.check().correct
        assert f"Right: the statement is {said}." in widget.feedback.value


def test_no_plain_key_in_the_questions_of_a_quiz_run_through_assemble() -> None:
    """The objects handed to the widgets hold digests only (a Key), never answer texts."""
    for objective in OBJECTIVES:
        for question in assemble(objective):
            for _, digests in question.key.entries:
                assert all(is_seal(d) for d in digests)
