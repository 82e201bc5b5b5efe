"""Answers cross from the student's kernel as plain values only."""

from __future__ import annotations

import math
from typing import Any

import pytest

import course
from autograder.engine.snapshot import (
    MAX_SNAPSHOT_CHARS,
    SnapshotError,
    decode,
    parse_snapshot,
    snapshot_expression,
)


def _snap(namespace: dict[str, Any], *names: str) -> Any:
    text = eval(snapshot_expression(list(names)), namespace)  # as the kernel would
    return parse_snapshot({"status": "ok", "data": {"text/plain": repr(text)}}, list(names))


def _activity(activity_id: str) -> course.Activity:
    return course.load_course().activity_by_id(activity_id)


def test_plain_values_round_trip_exactly() -> None:
    value = [1, 2.5, "x", None, True, (1, 2), {3}, frozenset({4}), {"k": (1,), 2: [3]}, ...]
    snap = _snap({"v": value, "nan": math.nan}, "v", "nan")
    assert snap.problems == {}
    assert decode(snap.values["v"]) == value
    assert type(decode(snap.values["v"])[5]) is tuple
    assert math.isnan(decode(snap.values["nan"]))


def test_an_activity_crosses_as_its_id_and_comes_back_as_the_real_one() -> None:
    snap = _snap({"a": course.activity("plan")}, "a")
    assert snap.values["a"] == {"t": "activity", "v": "plan"}
    assert decode(snap.values["a"], _activity) is _activity("plan")


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (type("Yes", (list,), {"__eq__": lambda s, o: True})(), "Yes"),
        (type("S", (str,), {"__hash__": lambda s: 1})("C"), "S"),
        ({"k": type("R", (), {})()}, "R"),
        (print, "builtin_function_or_method"),
    ],
)
def test_anything_else_stays_behind_with_its_type_name(value: object, kind: str) -> None:
    snap = _snap({"v": value}, "v")
    assert snap.values == {}
    assert snap.problems == {"v": f"unplain:{kind}"}


def test_missing_and_oversized_answers_are_reported() -> None:
    snap = _snap({"big": "x" * (MAX_SNAPSHOT_CHARS + 1)}, "big", "absent")
    assert snap.problems == {"big": "error:the answer is too large", "absent": "missing"}
    deep: list[Any] = []
    for _ in range(100):
        deep = [deep]
    assert _snap({"deep": deep}, "deep").problems["deep"].startswith("error:")


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ({}, "the kernel returned no answers"),
        ({"status": "error", "ename": "NameError", "evalue": "x"}, "(NameError: x)"),
        ({"status": "ok", "data": {"text/plain": "not a literal"}}, "not readable"),
    ],
)
def test_an_unreadable_reply_is_an_error_not_a_value(reply: Any, message: str) -> None:
    with pytest.raises(SnapshotError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_snapshot(reply, ["v"])


def test_decode_rejects_malformed_tags() -> None:
    with pytest.raises(ValueError, match="unknown tag"):
        decode({"t": "pickle", "v": []})
    with pytest.raises(ValueError, match="unhashable"):
        decode({"t": "set", "v": [[1]]})
