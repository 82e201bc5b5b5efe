"""Graded multiple-choice keys are spread over the letters, so no letter is a safe guess.

The keys are read from the hidden tests of ``source/`` (where each is written
once), by parsing the ``graded.score_choice(...)`` calls.
"""

from __future__ import annotations

import ast
from collections import Counter

from .notebook_support import cells, hidden_tests, notebooks


def _choice_keys() -> list[tuple[str, str, bool]]:
    """(where, key, multiple) for every graded choice question of the course."""
    found = []
    for path in notebooks():
        for cell in cells(path.parent.name):
            text = "".join(cell["source"])
            if "### BEGIN HIDDEN TESTS" not in text:
                continue
            for node in ast.walk(ast.parse(hidden_tests(text))):
                if isinstance(node, ast.Call) and ast.unparse(node.func) == "graded.score_choice":
                    key = ast.literal_eval(node.args[1])
                    options = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
                    where = f"{path.parent.name}:{cell['metadata']['nbgrader']['grade_id']}"
                    found.append((where, key, bool(options.get("multiple"))))
    return found


def test_the_course_has_graded_choice_questions_of_both_kinds() -> None:
    kinds = Counter(multiple for _, _, multiple in _choice_keys())
    assert kinds[True] >= 3, kinds
    assert kinds[False] >= 4, kinds


def test_no_letter_is_the_key_of_two_single_choice_questions() -> None:
    keys = [(where, key) for where, key, multiple in _choice_keys() if not multiple]
    letters = Counter(key for _, key in keys)
    assert max(letters.values()) == 1, keys


def test_no_two_multiple_choice_questions_share_a_key() -> None:
    keys = [(where, key) for where, key, multiple in _choice_keys() if multiple]
    assert len({key for _, key in keys}) == len(keys), keys


def test_no_letter_is_right_in_every_multiple_choice_question() -> None:
    keys = [set(key) for _, key, multiple in _choice_keys() if multiple]
    assert not set.intersection(*keys), keys
