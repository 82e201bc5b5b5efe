"""Shared readers for the fields of a question in a quiz file."""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml

from .._yamlread import Node
from ..lookup import normalise
from .keys import is_seal
from .model import Option

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
COMMON = ("id", "type", "prompt", "explanation")


def identifier(node: Node) -> str:
    value = node.text()
    if not _ID.match(value):
        node.fail(f"{value!r} is not a valid id (lower-case words joined by '-')")
    return value


def check_fields(node: Node, allowed: Iterable[str]) -> None:
    """Fail on a field the question does not use (most likely a typo)."""
    node.only(*allowed)


def sealed(node: Node) -> str:
    value = node.text()
    if not is_seal(value):
        node.fail(
            f"{value!r} is not a sealed key (32 hex digits): if it is the plain answer, run "
            "`python -m autograder seal` on this file to seal it"
        )
    return value


def sealed_list(node: Node) -> tuple[str, ...]:
    if isinstance(node.node, yaml.ScalarNode):
        return (sealed(node),)
    return tuple(sealed(item) for item in node.items())


def optional_text(node: Node, key: str, default: str = "") -> str:
    return node.str_field(key) if node.has(key) else default


def distinct(options: list[tuple[Node, Option]]) -> tuple[Option, ...]:
    """The options, failing when two read the same once normalised."""
    seen: dict[str, str] = {}
    for node, option in options:
        key = normalise(option.text)
        if not key:
            node.fail(f"{option.text!r} has no letters or digits to tell it apart")
        if key in seen:
            node.fail(f"{option.text!r} reads the same as {seen[key]!r}; options must differ")
        seen[key] = option.text
    return tuple(option for _, option in options)
