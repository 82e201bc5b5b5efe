"""A private, stable id for the learner on this machine, which lays out self-check options.

The id is a random token written once to ``learner-id`` in the learner's data
folder (:func:`course.records.data_dir`: ``$ITIL_COURSE_DATA`` or
``~/.itil-svc-course``). Seeding the option order with it gives every learner
their own order, the same in every session, and says nothing about who they
are. A ``seed`` given by the caller wins, so a layout can always be reproduced
(tests, or an instructor looking at what a learner saw).

The file is never rewritten: a damaged one still gives a stable id (derived from
its content), and a folder that cannot be written gives one derived from the
user and the folder's path.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import secrets
from pathlib import Path

from .records import data_dir

__all__ = ["ID_FILE", "layout_seed", "learner_id"]

#: The file in the learner's data folder that holds the id.
ID_FILE = "learner-id"
_VALID = re.compile(r"[0-9a-f]{32}")


def _derived(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _fallback(folder: Path) -> str:
    """A stable id when none can be stored: the same user and folder give the same id."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        user = ""
    return _derived(f"{user}\x1f{folder}")


def _read(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    if _VALID.fullmatch(text):
        return text
    return _derived(text) if text else None


def _create(path: Path) -> None:
    """Write a new id to ``path`` unless one is there already (another kernel may race us)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    if not hasattr(os, "link"):  # Pyodide (the course site) has no hard links
        try:
            with path.open("x", encoding="utf-8") as created:  # refuses an existing id
                created.write(token + "\n")
        except FileExistsError:
            pass
        return
    staged = path.with_name(f".{ID_FILE}.{token}")
    staged.write_text(token + "\n", encoding="utf-8")
    try:
        os.link(staged, path)  # atomic, and refuses to replace an existing id
    except FileExistsError:
        pass
    finally:
        staged.unlink(missing_ok=True)


def learner_id() -> str:
    """This learner's id (32 hex digits), created on first use."""
    folder = data_dir()
    path = folder / ID_FILE
    found = _read(path)
    if found is not None:
        return found
    try:
        _create(path)
    except OSError:
        return _fallback(folder)
    return _read(path) or _fallback(folder)


def layout_seed(seed: int | str | None = None) -> str:
    """The seed for laying out a self-check quiz: ``seed`` when given, else the learner's id."""
    return f"seed:{seed}" if seed is not None else f"learner:{learner_id()}"
