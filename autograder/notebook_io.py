"""Typed wrappers around the few nbformat calls the autograder makes (nbformat's own
functions carry no annotations)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell

__all__ = ["code_cell", "from_dict", "markdown_cell", "node", "read", "reads", "write"]


def read(path: Path) -> NotebookNode:
    nb: NotebookNode = nbformat.read(str(path), as_version=4)  # type: ignore[no-untyped-call]
    return nb


def reads(text: str) -> NotebookNode:
    nb: NotebookNode = nbformat.reads(  # type: ignore[no-untyped-call]
        text, as_version=4, capture_validation_error={}
    )
    return nb


def from_dict(data: Any) -> NotebookNode:
    nb: NotebookNode = nbformat.from_dict(data)  # type: ignore[no-untyped-call]
    return nb


def write(nb: NotebookNode, path: Path) -> None:
    nbformat.write(nb, str(path))  # type: ignore[no-untyped-call]


def node(**fields: Any) -> NotebookNode:
    return NotebookNode(**fields)  # type: ignore[no-untyped-call]


def code_cell(source: str, **fields: Any) -> NotebookNode:
    cell: NotebookNode = new_code_cell(source, **fields)  # type: ignore[no-untyped-call]
    return cell


def markdown_cell(source: str, **fields: Any) -> NotebookNode:
    cell: NotebookNode = new_markdown_cell(source, **fields)  # type: ignore[no-untyped-call]
    return cell
