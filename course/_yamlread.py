"""Read YAML while remembering where each value came from.

The loader walks PyYAML's node tree through :class:`Node`, whose accessors
raise :class:`~course.errors.ContentError` naming the file, the line, the
column and the path of the offending value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NoReturn

import yaml

from .errors import ContentError

# The C loader is several times faster when PyYAML was built with libyaml.
_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)

_STR = "tag:yaml.org,2002:str"


def read_document(path: Path, root: Path | None = None) -> Node:
    """Parse ``path`` and return its root mapping as a :class:`Node`.

    Errors name the file by its path relative to ``root`` (the content folder,
    e.g. ``quizzes/value-streams.yaml``); by default, by its bare name.
    """
    name = path.relative_to(root).as_posix() if root is not None else path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(name, "the content file is missing") from None
    except UnicodeDecodeError as exc:
        raise ContentError(name, f"not UTF-8 text ({exc.reason})") from None
    try:
        tree = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        reason = f"not valid YAML: {exc.problem or exc}"
        if mark is None:
            raise ContentError(name, reason) from None
        raise ContentError(name, reason, line=mark.line + 1, column=mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise ContentError(name, f"not valid YAML: {exc}") from None
    if tree is None:
        raise ContentError(name, "the file is empty")
    node = Node(name, tree, "")
    node.mapping()
    return node


class Node:
    """One YAML node, its file and its path inside the document."""

    def __init__(self, file: str, node: yaml.Node, path: str) -> None:
        self.file = file
        self.node = node
        self.path = path

    def fail(self, reason: str) -> NoReturn:
        mark = self.node.start_mark
        raise ContentError(
            self.file, reason, where=self.path, line=mark.line + 1, column=mark.column + 1
        )

    def _child_path(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def mapping(self) -> dict[str, Node]:
        if not isinstance(self.node, yaml.MappingNode):
            self.fail(f"expected a mapping (key: value pairs), found {_kind(self.node)}")
        out: dict[str, Node] = {}
        for key_node, value_node in self.node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                Node(self.file, key_node, self.path).fail("keys must be plain names")
            key = str(key_node.value)
            if key in out:
                Node(self.file, key_node, self._child_path(key)).fail(f"duplicate key {key!r}")
            out[key] = Node(self.file, value_node, self._child_path(key))
        return out

    def field(self, key: str) -> Node:
        """The required field ``key`` of this mapping."""
        fields = self.mapping()
        if key not in fields:
            self.fail(f"missing required field {key!r}")
        return fields[key]

    def only(self, *allowed: str, hints: Mapping[str, str] | None = None) -> dict[str, Node]:
        """This mapping's fields, failing on a key not in ``allowed`` (most likely a typo).

        ``hints`` gives a better reason for a key someone is likely to try,
        such as a field that lives in another file.
        """
        fields = self.mapping()
        for key_node, _ in self.node.value:
            key = str(key_node.value)
            if key not in allowed:
                hint = (hints or {}).get(key, f"the fields here are: {', '.join(allowed)}")
                Node(self.file, key_node, self._child_path(key)).fail(
                    f"unknown field {key!r}; {hint}"
                )
        return fields

    def has(self, key: str) -> bool:
        return key in self.mapping()

    def items(self) -> Iterator[Node]:
        """The elements of this sequence (it must be one, and not empty)."""
        if not isinstance(self.node, yaml.SequenceNode):
            self.fail(f"expected a list, found {_kind(self.node)}")
        if not self.node.value:
            self.fail("the list is empty")
        for index, child in enumerate(self.node.value):
            yield Node(self.file, child, self._child_path(index))

    def text(self) -> str:
        """A non-empty string (numbers and booleans are refused)."""
        if not isinstance(self.node, yaml.ScalarNode) or self.node.tag != _STR:
            self.fail(f"expected text, found {_kind(self.node)}")
        value = str(self.node.value).strip()
        if not value:
            self.fail("expected text, found an empty string")
        return value

    def texts(self) -> tuple[str, ...]:
        return tuple(item.text() for item in self.items())

    def str_field(self, key: str) -> str:
        return self.field(key).text()

    def texts_field(self, key: str) -> tuple[str, ...]:
        return self.field(key).texts()


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _STR:
        return f"the text {node.value!r}" if node.value else "an empty value"
    if node.tag.endswith(":null"):
        return "an empty value"
    return f"the value {node.value!r}"
