"""Helpers for the quiz tests: read a sealed key back by trying every answer.

A sealed key can only be read by checking candidate answers against it, as a
learner would; the tests do exactly that, so no plain key is kept anywhere in
the repository, not even here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from course import load_course
from course.quizbank import Question, check_answer
from course.quizbank.keys import RIGHT

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
#: What a learner might type to a short text question that does not expect an activity.
TEXT_CANDIDATES = [str(n) for n in range(0, 50)] + NUMBER_WORDS


def solve(question: Question) -> Any:
    """The plain key of ``question``, found by trying every answer it offers.

    single: the right option's text; multiple: the right options' texts;
    true_false: a bool; matching: ``{item: [accepted choices]}``; ordering: the
    items in order; short_text: the accepted candidates.
    """
    key = question.key
    if question.kind == "single":
        (right,) = [o.text for o in question.options if key.accepts(o.text, RIGHT)]
        return right
    if question.kind == "multiple":
        return [o.text for o in question.options if key.accepts(o.text, RIGHT)]
    if question.kind == "true_false":
        (truth,) = [v for v in (True, False) if check_answer(question, v).correct]
        return truth
    if question.kind == "matching":
        return {
            i.text: [c.text for c in question.options if key.accepts(i.text, c.text)]
            for i in question.items
        }
    if question.kind == "ordering":
        size = len(question.options)
        return [
            next(o.text for o in question.options if key.accepts(f"step {n}", o.text))
            for n in range(1, size + 1)
        ]
    if question.expects == "activity":
        candidates = [a.name for a in load_course().activities]
    else:
        candidates = TEXT_CANDIDATES
    return [c for c in candidates if check_answer(question, c).correct]


def one_right_answer(question: Question) -> Any:
    """An answer that ``check_answer`` marks right, in the form ``.answer()`` takes."""
    plain = solve(question)
    if question.kind == "matching":
        return {item: choices[0] for item, choices in plain.items()}
    if question.kind == "short_text":
        return plain[0]
    return plain


def widget_states(widget: Any) -> Iterator[dict[str, Any]]:
    """``get_state()`` of ``widget`` and of every widget it refers to (children, layout...)."""
    import ipywidgets

    seen: set[str] = set()
    todo = [widget]
    while todo:
        current = todo.pop()
        if current.model_id in seen:
            continue
        seen.add(current.model_id)
        state = current.get_state()
        yield state
        for name in current.keys:
            value = getattr(current, name)
            values = value if isinstance(value, (list, tuple)) else [value]
            todo.extend(v for v in values if isinstance(v, ipywidgets.Widget))


def one_wrong_answer(question: Question) -> Any:
    """A complete answer that ``check_answer`` marks wrong (or partly right)."""
    key = solve(question)
    if question.kind == "single":
        return next(o.text for o in question.options if o.text != key)
    if question.kind == "multiple":
        wrong = [o.text for o in question.options if o.text not in key]
        return wrong[:1] or key[:1]
    if question.kind == "true_false":
        return not key
    if question.kind == "matching":
        texts = [o.text for o in question.options]
        return {i: next(t for t in texts if t not in choices) for i, choices in key.items()}
    if question.kind == "ordering":
        return list(reversed(key))
    return "Plan" if question.expects == "activity" and "Plan" not in key else "34"
