"""Keys that cannot be guessed from their form: statistics over the hand-written bank.

A test-wise learner picks the longest option, or avoids options with absolute
words ("always", "only", "must"...), without knowing the subject. Over the
hand-written single choice questions of the bank, neither habit may pay off
more than chance does.
"""

from __future__ import annotations

import re

from course.quizbank import Question, load_bank

from .quiz_support import solve

#: Words that make a statement absolute; test-wise readers take them for a wrong option.
ABSOLUTE = re.compile(
    r"\b(always|never|must|only|fixed|all|every|exactly|none|any)\b", re.IGNORECASE
)
#: How far apart the share of right and of wrong options with an absolute word may be.
ABSOLUTE_TOLERANCE = 0.1


def _authored_single() -> list[Question]:
    return [q for q in load_bank().questions if q.kind == "single" and q.source == "authored"]


def _key_is_strictly_longest(question: Question) -> bool:
    right = solve(question)
    longest = max(len(o.text) for o in question.options)
    return len(right) == longest and sum(len(o.text) == longest for o in question.options) == 1


def test_the_key_is_the_longest_option_no_more_often_than_chance() -> None:
    """Picking the longest option must not beat guessing at random."""
    questions = _authored_single()
    assert len(questions) >= 10, "the statistics need a real sample"
    longest = [q.id for q in questions if _key_is_strictly_longest(q)]
    chance = sum(1 / len(q.options) for q in questions)
    assert len(longest) <= chance, (
        f"the right option is the longest in {len(longest)} of {len(questions)} questions "
        f"(chance: {chance:.1f}): {longest}"
    )


def test_absolute_words_appear_in_right_options_as_often_as_in_wrong_ones() -> None:
    """Avoiding "always", "only", "must"... must not point to the right option."""
    right: list[bool] = []
    wrong: list[bool] = []
    for question in _authored_single():
        key = solve(question)
        for option in question.options:
            (right if option.text == key else wrong).append(bool(ABSOLUTE.search(option.text)))
    right_share = sum(right) / len(right)
    wrong_share = sum(wrong) / len(wrong)
    assert abs(right_share - wrong_share) <= ABSOLUTE_TOLERANCE, (
        f"absolute words in {sum(right)} of {len(right)} right options ({right_share:.0%}) "
        f"but in {sum(wrong)} of {len(wrong)} wrong ones ({wrong_share:.0%})"
    )


def test_the_absolute_word_pattern_finds_the_words_it_names() -> None:
    """The statistics above only mean something if the pattern catches these words."""
    for sentence in ("It must start with Plan", "Only Improve", "a fixed order", "ALWAYS"):
        assert ABSOLUTE.search(sentence), sentence
    assert not ABSOLUTE.search("Practices support the activities"), "a false alarm"
    assert not ABSOLUTE.search("Allocate resources; the fixture"), "a word inside a word"
