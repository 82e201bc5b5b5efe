"""Answer keys are salted digests, and the authoring tool seals plain answers in place."""

from __future__ import annotations

from pathlib import Path

from course.quizbank import authoring
from course.quizbank.keys import is_seal, seal


def test_a_seal_is_32_hex_digits_and_the_same_every_time() -> None:
    digest = seal("q1", "statement", "true")
    assert is_seal(digest)
    assert digest == seal("q1", "statement", "true")


def test_the_question_id_salts_the_digest() -> None:
    """The same answer to two questions seals differently, so digests cannot be compared
    across questions (or looked up in a table made for another question)."""
    assert seal("q1", "answer", "Engage") != seal("q2", "answer", "Engage")
    assert seal("q1", "step 1", "Engage") != seal("q1", "step 2", "Engage")


def test_spelling_case_and_punctuation_do_not_change_the_seal() -> None:
    """Sealing normalises as course.activity() does: '&', 'and', case, slashes."""
    base = seal("q", "Step 1", "Design & Transition")
    assert seal("q", "step 1", "design and transition") == base
    assert seal("q", "STEP 1", "Design-Transition") == base
    assert seal("q", "step 1", "Obtain/Build") == seal("q", "step 1", "obtain build")
    assert seal("q", "step 1", "Plan") != base


PLAIN = """\
# a comment that must survive
objective: six-activities
questions:
  - id: demo-single
    type: single
    prompt: Which one?
    options:
      - text: Plan       # keep me
        mark: wrong
      - text: Engage
        why: Works with stakeholders.
        mark: right
    explanation: Because.
  - id: demo-tf
    type: true_false
    prompt: True?
    key: false
    explanation: No.
  - id: demo-order
    type: ordering
    prompt: Order them.
    items: [Engage, Plan]
    key:
      - Engage
      - Plan
    explanation: First engage.
  - id: demo-match
    type: matching
    prompt: Match.
    choices: [{text: Plan}, {text: Engage}]
    items:
      - text: Stakeholder requirements
        mark: Engage
    explanation: Engage.
  - id: demo-typed
    type: short_text
    prompt: Name it.
    key: [six, "6"]
    explanation: Six.
  - id: demo-derived
    type: single
    prompt: Left alone.
    from: purpose-of
    activity: engage
"""


def test_sealing_replaces_every_plain_answer_and_keeps_the_rest() -> None:
    sealed = authoring.seal_text(PLAIN)
    assert "# a comment that must survive" in sealed
    assert "- text: Plan       # keep me" in sealed
    assert f"mark: {seal('demo-single', 'Plan', 'wrong')}" in sealed
    assert f"mark: {seal('demo-single', 'Engage', 'right')}" in sealed
    assert f"key: {seal('demo-tf', 'statement', 'false')}" in sealed
    order = [seal("demo-order", "step 1", "Engage"), seal("demo-order", "step 2", "Plan")]
    assert f"[{order[0]}, {order[1]}]" in sealed
    assert f"mark: {seal('demo-match', 'Stakeholder requirements', 'Engage')}" in sealed
    typed = [seal("demo-typed", "answer", "six"), seal("demo-typed", "answer", "6")]
    assert f"key: [{typed[0]}, {typed[1]}]" in sealed
    assert "activity: engage" in sealed  # a `from:` question has no key to seal
    assert authoring.seal_text(sealed) == sealed  # sealing twice changes nothing


def test_seal_file_rewrites_in_place_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "six-activities.yaml"
    path.write_text(PLAIN)
    assert authoring.seal_file(path) == 6
    assert authoring.seal_file(path) == 0
    assert "mark: right" not in path.read_text()


def test_an_all_digit_digest_is_quoted_so_it_stays_text() -> None:
    digits = "1234567890" * 3 + "12"
    assert authoring._quoted(digits) == f'"{digits}"'
    assert authoring._quoted("ab" * 16) == "ab" * 16
