"""Seal the plain answers an author writes into a quiz file, in place.

While writing a question, an author may put the plain answer where the key
goes; ``python -m autograder seal FILE...`` replaces each one with its
sealed digest (:func:`course.quizbank.keys.seal`) and leaves every other byte of
the file (comments, layout) as it was:

=============  ==============================  ===========================================
type           where                           plain value
=============  ==============================  ===========================================
single         ``mark`` of each option         ``right`` or ``wrong``
multiple       ``mark`` of each option         ``right`` or ``wrong``
true_false     ``key``                         ``true`` or ``false``
matching       ``mark`` of each item           the text of the choice that fits it
ordering       ``key``                         the items, first step first
short_text     ``key``                         the accepted answers
=============  ==============================  ===========================================

Run it before committing: the bank refuses to load a key that is not sealed,
so a plain answer can never ship.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from .keys import is_seal, seal

__all__ = ["seal_file", "seal_text"]

Edit = tuple[int, int, str]  # start index, end index, replacement


def _text(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _fields(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _entries(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _quoted(digest: str) -> str:
    """``digest`` as YAML text that reads back as a string (all-digit hex would not)."""
    return digest if isinstance(yaml.safe_load(digest), str) else f'"{digest}"'


def _marks(qid: str, entries: list[yaml.Node]) -> Iterator[Edit]:
    """Seal the plain ``mark`` of each option or item (slot: its ``text``)."""
    for entry in entries:
        fields = _fields(entry)
        mark, text = fields.get("mark"), _text(fields.get("text"))
        plain = _text(mark)
        if mark is not None and text is not None and plain and not is_seal(plain):
            yield mark.start_mark.index, mark.end_mark.index, _quoted(seal(qid, text, plain))


def _key(qid: str, kind: str, key: yaml.Node) -> Iterator[Edit]:
    """Seal the plain ``key`` of a true/false, ordering or short text question."""
    plain = [_text(key)] if isinstance(key, yaml.ScalarNode) else [_text(v) for v in _entries(key)]
    if not plain or any(v is None for v in plain) or all(is_seal(str(v)) for v in plain):
        return
    if kind == "true_false":
        sealed = _quoted(seal(qid, "statement", str(plain[0])))
    elif kind == "ordering":
        steps = [_quoted(seal(qid, f"step {n}", str(v))) for n, v in enumerate(plain, 1)]
        sealed = "[" + ", ".join(steps) + "]"
    else:
        sealed = "[" + ", ".join(_quoted(seal(qid, "answer", str(v))) for v in plain) + "]"
    # A block list ends where the next field starts: stop after its last item instead.
    block = isinstance(key, yaml.SequenceNode) and not key.flow_style
    end = key.value[-1].end_mark if block else key.end_mark
    yield key.start_mark.index, end.index, sealed


def _edits(question: yaml.Node) -> Iterator[Edit]:
    fields = _fields(question)
    qid, kind = _text(fields.get("id")), _text(fields.get("type"))
    if qid is None or kind is None or "from" in fields:
        return
    if kind in ("single", "multiple"):
        yield from _marks(qid, _entries(fields.get("options")))
    elif kind == "matching":
        yield from _marks(qid, _entries(fields.get("items")))
    elif kind in ("true_false", "ordering", "short_text") and "key" in fields:
        yield from _key(qid, kind, fields["key"])


def _all_edits(text: str) -> list[Edit]:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    return [e for q in _entries(_fields(root).get("questions")) for e in _edits(q)]


def seal_text(text: str) -> str:
    """``text`` (a quiz file) with every plain answer replaced by its seal."""
    for start, end, replacement in sorted(_all_edits(text), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def seal_file(path: Path) -> int:
    """Seal ``path`` in place; returns how many keys were sealed."""
    text = path.read_text(encoding="utf-8")
    count = len(_all_edits(text))
    if count:
        path.write_text(seal_text(text), encoding="utf-8")
    return count
