"""Carry a student's answers out of their kernel as plain values, and back in.

The snapshot expression runs in the student's kernel (through an execute
request's ``user_expressions``, which no input transformer or cell hook sees)
and turns the named variables into tagged JSON. Only exact built-in types
cross (``type(v) is list``, never a subclass), plus ``...`` (an unanswered
cell) and the course's own ``Activity`` objects, which cross as their id and
are rebuilt from the course model on the other side. Anything else is
reported by its type name and never reaches the tests: a rigged ``__eq__``
or ``__hash__`` stays behind in the student's kernel.

Whatever the student's code does to its own kernel, the worst it can make the
snapshot say is some plain value: exactly what an honest answer could be.
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograder.intake.safety import json_problem

__all__ = [
    "MAX_SNAPSHOT_CHARS",
    "Snapshot",
    "SnapshotError",
    "decode",
    "parse_snapshot",
    "snapshot_expression",
]

MAX_SNAPSHOT_CHARS = 2_000_000
_MAX_DEPTH = 40
_MAX_NODES = 200_000
#: Deepest nesting of a snapshot's JSON read back from a kernel (values are encoded at
#: most ``_MAX_DEPTH`` deep, plus their tags); deeper is refused, never walked.
MAX_SNAPSHOT_DEPTH = 100

# Runs inside the student's kernel: self-contained, standard library only.
_ENCODER = r"""
def __itil_encode(ns, names, max_depth, max_nodes, max_chars):
    import json, math, sys
    model = sys.modules.get("course.model")
    activity = getattr(model, "Activity", None)
    count = [0]

    class Unplain(Exception):
        pass

    def enc(v, depth):
        count[0] += 1
        if count[0] > max_nodes or depth > max_depth:
            raise OverflowError("too large or too deeply nested")
        t = type(v)
        if v is None or t is bool or t is str:
            return v
        if t is int:
            if v.bit_length() > 2048:
                raise OverflowError("a number with too many digits")
            return v
        if t is float:
            return v if math.isfinite(v) else {"t": "float", "v": repr(v)}
        if t is list:
            return [enc(x, depth + 1) for x in v]
        if t is tuple or t is set or t is frozenset:
            return {"t": t.__name__, "v": [enc(x, depth + 1) for x in v]}
        if t is dict:
            pairs = [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]
            return {"t": "dict", "v": pairs}
        if v is Ellipsis:
            return {"t": "ellipsis"}
        if activity is not None and t is activity:
            return {"t": "activity", "v": object.__getattribute__(v, "id")}
        raise Unplain(t.__name__)

    out = {}
    budget = max_chars
    for name in names:
        if name not in ns:
            out[name] = {"missing": True}
            continue
        count[0] = 0
        try:
            entry = {"ok": enc(ns[name], 0)}
        except Unplain as exc:
            entry = {"unplain": str(exc.args[0])[:100]}
        except (OverflowError, RecursionError, ValueError) as exc:
            entry = {"error": str(exc)[:200]}
        size = len(json.dumps(entry, allow_nan=False))
        if size > budget:
            entry = {"error": "the answer is too large"}
        else:
            budget -= size
        out[name] = entry
    return json.dumps(out, allow_nan=False)
"""


class SnapshotError(ValueError):
    """The kernel's reply did not hold a readable snapshot."""


def snapshot_expression(names: list[str] | tuple[str, ...]) -> str:
    """A Python expression that, evaluated in the user namespace, returns the snapshot text."""
    args = f"{list(names)!r}, {_MAX_DEPTH}, {_MAX_NODES}, {MAX_SNAPSHOT_CHARS}"
    return f"(lambda g: (exec({_ENCODER!r}, g), g['__itil_encode'](globals(), {args}))[1])({{}})"


@dataclass(frozen=True)
class Snapshot:
    """What the student's kernel said about each name: a value (tagged JSON) or why not."""

    values: dict[str, Any]  # name -> tagged JSON value
    problems: dict[str, str]  # name -> "missing" | "unplain:<type>" | "error:<why>"


def parse_snapshot(reply: dict[str, Any], names: list[str] | tuple[str, ...]) -> Snapshot:
    """Read a ``user_expressions`` entry (``{"status", "data": {"text/plain": ...}}``)."""
    if not isinstance(reply, dict) or not reply:
        raise SnapshotError("the kernel returned no answers")
    if reply.get("status") != "ok":
        raise SnapshotError(f"the kernel could not evaluate the snapshot ({_ename(reply)})")
    text = reply.get("data", {}).get("text/plain") if isinstance(reply.get("data"), dict) else None
    if not isinstance(text, str) or len(text) > 2 * MAX_SNAPSHOT_CHARS + 16:
        raise SnapshotError("the kernel's snapshot reply holds no text")
    try:
        raw = json.loads(ast.literal_eval(text))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise SnapshotError(f"the kernel's snapshot reply is not readable ({exc})") from None
    if not isinstance(raw, dict):
        raise SnapshotError("the kernel's snapshot reply is not a mapping")
    unsafe = json_problem(raw, MAX_SNAPSHOT_DEPTH)
    if unsafe is not None:
        raise SnapshotError(f"the kernel's snapshot reply {unsafe}")
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name in names:
        entry = raw.get(name)
        if not isinstance(entry, dict):
            problems[name] = "error:no entry for this name"
        elif "ok" in entry:
            values[name] = entry["ok"]
        elif entry.get("missing") is True:
            problems[name] = "missing"
        elif isinstance(entry.get("unplain"), str):
            problems[name] = f"unplain:{entry['unplain']}"
        else:
            problems[name] = f"error:{str(entry.get('error', 'unreadable'))[:200]}"
    return Snapshot(values, problems)


def _ename(reply: dict[str, Any]) -> str:
    return f"{reply.get('ename', 'error')}: {str(reply.get('evalue', ''))[:200]}"


def decode(value: Any, activity: Callable[[str], Any] | None = None, depth: int = 0) -> Any:
    """The Python value a tagged JSON value stands for (raises ``ValueError`` if malformed)."""
    if depth > _MAX_DEPTH + 2:
        raise ValueError("nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is list:
        return [decode(v, activity, depth + 1) for v in value]
    if type(value) is not dict:
        raise ValueError(f"not a tagged value: {type(value).__name__}")
    tag, inner = value.get("t"), value.get("v")
    if tag == "ellipsis":
        return ...
    if tag == "float" and inner in ("nan", "inf", "-inf"):
        return math.nan if inner == "nan" else float(inner)
    if tag == "activity" and type(inner) is str:
        return activity(inner) if activity is not None else inner
    if type(inner) is not list:
        raise ValueError(f"malformed tagged value {tag!r}")
    items = [decode(v, activity, depth + 1) for v in inner]
    if tag == "tuple":
        return tuple(items)
    if tag in ("set", "frozenset"):
        try:
            return set(items) if tag == "set" else frozenset(items)
        except TypeError as exc:
            raise ValueError(f"unhashable set item: {exc}") from None
    if tag == "dict":
        try:
            return {k: v for k, v in (_pair(item) for item in items)}
        except TypeError as exc:
            raise ValueError(f"unhashable dict key: {exc}") from None
    raise ValueError(f"unknown tag {tag!r}")


def _pair(item: Any) -> tuple[Any, Any]:
    if type(item) is not list or len(item) != 2:
        raise ValueError("a dict entry must be a [key, value] pair")
    return item[0], item[1]
