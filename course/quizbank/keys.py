"""Answer keys as salted hashes, so that no key can be read off a file or a widget.

A key is stored as :func:`seal` ``(question id, slot, answer)``: a BLAKE2b
digest of the question id (the salt, unique per question), the slot the answer
fills and the answer, each normalised as :func:`course.lookup.normalise` does
(case, punctuation and the word "and" do not count). Checking an answer seals
it the same way and compares digests.

Slots, by question type:

- single and multiple choice: the option's text, answer ``right`` or ``wrong``
  (every option carries a mark, so the number of right options is not given away);
- true/false: slot ``statement``, answer ``true`` or ``false``;
- matching: the item's text, answer the text of the choice that fits it;
- ordering: ``step 1``, ``step 2``... answer the item that belongs there;
- short text: slot ``answer``, answer each accepted spelling.

This keeps keys out of sight of a learner who reads the files; it is not a
defence against someone who runs the checker on every option (a self-check
quiz needs none). Graded keys live with the graded assignments, not here.

Authors write the plain answers in the quiz file and seal them all with
``python -m autograder seal QUIZ_FILE.yaml`` (:mod:`course.quizbank.authoring`);
``python -m autograder seal --key QUESTION_ID SLOT ANSWER`` prints one seal, with the
slot as listed above (for an option, its text)::

    python -m autograder seal --key six-procure-scenario "Obtain/Build" right
"""

from __future__ import annotations

import hashlib

from ..lookup import normalise

__all__ = ["RIGHT", "WRONG", "is_seal", "seal"]

RIGHT = "right"
WRONG = "wrong"
_PERSON = b"itil-svc-quiz-1"  # domain separation: change it and every key changes
_SEP = "\x1f"
_HEX_LEN = 32


def seal(question_id: str, slot: str, answer: str) -> str:
    """The stored form of ``answer`` filling ``slot`` of question ``question_id``."""
    data = _SEP.join((question_id.strip(), normalise(slot), normalise(answer)))
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16, person=_PERSON).hexdigest()


def is_seal(text: str) -> bool:
    """Whether ``text`` has the shape of a sealed key (32 lower-case hex digits)."""
    return len(text) == _HEX_LEN and all(c in "0123456789abcdef" for c in text)
