"""Questions written out in a quiz file, with sealed keys checked on load.

A sealed key that fits nothing (an option whose text changed after sealing, a
step that names no item...) fails here with the file and line, so every
authored question in a bank that loads is answerable.
"""

from __future__ import annotations

from .._yamlread import Node
from ..errors import Problems
from ..model import Course
from ._spec import COMMON, check_fields, distinct, optional_text, sealed, sealed_list
from .keys import RIGHT, WRONG, seal
from .model import Expects, Key, Kind, Option, Question

__all__ = ["authored_question"]

_FIELDS: dict[Kind, tuple[str, ...]] = {
    "single": ("options",),
    "multiple": ("options",),
    "true_false": ("key",),
    "matching": ("items", "choices"),
    "ordering": ("items", "key"),
    "short_text": ("expects", "key"),
}


def authored_question(node: Node, qid: str, objective: str, kind: Kind, course: Course) -> Question:
    check_fields(node, COMMON + _FIELDS[kind])
    options: tuple[Option, ...] = ()
    items: tuple[Option, ...] = ()
    expects: Expects = "text"
    if kind in ("single", "multiple"):
        options, key = _choices(node, qid, kind)
    elif kind == "true_false":
        digest = sealed(node.field("key"))
        if digest not in (seal(qid, "statement", "true"), seal(qid, "statement", "false")):
            node.field("key").fail(_stale("the statement is neither sealed true nor false"))
        key = Key.build(qid, [("statement", {digest})])
    elif kind == "matching":
        items, options, key = _matching(node, qid)
    elif kind == "ordering":
        options, key = _ordering(node, qid)
    else:
        expects, key = _short_text(node, qid, course)
    return Question(
        id=qid,
        objective=objective,
        kind=kind,
        prompt=node.str_field("prompt"),
        explanation=node.str_field("explanation"),
        key=key,
        options=options,
        items=items,
        expects=expects,
    )


def _stale(what: str) -> str:
    return (
        f"{what}: the key does not fit this question (was a text edited after sealing?); "
        "write the plain answer back in its place (a mark: right or wrong; a match: the "
        "choice's text; a true/false key: true or false; an ordering key: the items in "
        "order) and run `python -m autograder seal` on this file"
    )


def _choices(node: Node, qid: str, kind: Kind) -> tuple[tuple[Option, ...], Key]:
    parsed = []
    marks = []
    rights = 0
    problems = Problems()  # every option's mark is checked, not only the first bad one
    for item in node.field("options").items():
        with problems.guard():
            check_fields(item, ("text", "why", "mark"))
            option = Option(item.str_field("text"), optional_text(item, "why"))
            digest = sealed(item.field("mark"))
            if digest == seal(qid, option.text, RIGHT):
                rights += 1
            elif digest != seal(qid, option.text, WRONG):
                item.field("mark").fail(
                    _stale(f"the mark of {option.text!r} is neither right nor wrong")
                )
            parsed.append((item, option))
            marks.append((option.text, {digest}))
    problems.raise_any()
    options = distinct(parsed)
    if len(options) < 2:
        node.field("options").fail("a choice question needs at least two options")
    if kind == "single" and rights != 1:
        node.field("options").fail(
            f"a single choice question needs exactly one right option, not {rights}"
        )
    if kind == "multiple" and rights == 0:
        node.field("options").fail("a multiple choice question needs at least one right option")
    return options, Key.build(qid, marks)


def _matching(node: Node, qid: str) -> tuple[tuple[Option, ...], tuple[Option, ...], Key]:
    read = []
    for entry in node.field("choices").items():
        check_fields(entry, ("text", "why"))
        read.append((entry, Option(entry.str_field("text"), optional_text(entry, "why"))))
    choices = distinct(read)
    items = []
    marks = []
    problems = Problems()
    for entry in node.field("items").items():
        with problems.guard():
            check_fields(entry, ("text", "mark"))
            item = Option(entry.str_field("text"))
            digest = sealed(entry.field("mark"))
            if not any(digest == seal(qid, item.text, c.text) for c in choices):
                entry.field("mark").fail(
                    _stale(f"the match of {item.text!r} is none of the choices")
                )
            items.append((entry, item))
            marks.append((item.text, {digest}))
    problems.raise_any()
    return distinct(items), choices, Key.build(qid, marks)


def _ordering(node: Node, qid: str) -> tuple[tuple[Option, ...], Key]:
    steps = distinct([(i, Option(i.text())) for i in node.field("items").items()])
    digests = sealed_list(node.field("key"))
    if len(digests) != len(steps):
        node.field("key").fail(f"the key needs one sealed step per item ({len(steps)})")
    used: set[str] = set()
    for number, digest in enumerate(digests, start=1):
        fits = [s.text for s in steps if digest == seal(qid, f"step {number}", s.text)]
        if not fits or fits[0] in used:
            node.field("key").fail(_stale(f"step {number} does not name a new item"))
        used.add(fits[0])
    return steps, Key.build(qid, [(f"step {n}", {d}) for n, d in enumerate(digests, start=1)])


def _short_text(node: Node, qid: str, course: Course) -> tuple[Expects, Key]:
    expects = optional_text(node, "expects", "text")
    if expects not in ("text", "activity"):
        node.field("expects").fail(f"expects is 'text' or 'activity', not {expects!r}")
    digests = sealed_list(node.field("key"))
    if expects == "activity":
        names = [a.name for a in course.activities]
        for digest in digests:
            if not any(digest == seal(qid, "answer", name) for name in names):
                node.field("key").fail(_stale("an accepted answer is none of the six activities"))
    return ("activity" if expects == "activity" else "text"), Key.build(qid, [("answer", digests)])
