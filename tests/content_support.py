"""Helpers for the tests that break a copy of a content file on purpose."""

from __future__ import annotations

from pathlib import Path


def break_file(folder: Path, file: str, old: str, new: str) -> None:
    """Replace the first ``old`` in ``folder/file`` with ``new`` (it must be there)."""
    path = folder / file
    text = path.read_text()
    assert old in text, f"test set-up: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))
