"""Results of quizzes, value-stream exercises and (in the self-paced edition)
graded questions, kept for the progress view.

Each result is one JSON line appended to ``records.jsonl`` in the learner's
data folder: ``$ITIL_COURSE_DATA`` when set, otherwise
``~/.itil-svc-course``. Appending one line at a time means a crash or a
kernel restart loses at most the result being written; a damaged line is
skipped with a warning and never rewritten, so nothing already recorded is
lost.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .where import BROWSER_DRIVE, in_browser

__all__ = ["Record", "data_dir", "load_records", "record_result"]

Kind = Literal["quiz", "stream", "graded"]
KINDS: tuple[Kind, ...] = ("quiz", "stream", "graded")


@dataclass(frozen=True)
class Record:
    """One checked answer."""

    kind: Kind
    item: str
    objective: str
    score: float
    attempt: int
    time: float
    detail: dict[str, Any] = field(default_factory=dict)


def data_dir() -> Path:
    """The folder that holds the learner's records.

    In the browser (the JupyterLite site) it is ``course-progress`` at the root
    of the site's files, which the browser keeps across reloads.
    """
    configured = os.environ.get("ITIL_COURSE_DATA")
    if configured:
        return Path(configured)
    if in_browser():
        # The home folder of the browser's kernel is lost on reload; the drive is kept.
        return BROWSER_DRIVE / "course-progress"
    return Path.home() / ".itil-svc-course"


def _records_file() -> Path:
    return data_dir() / "records.jsonl"


def load_records() -> list[Record]:
    """Every record so far, oldest first; damaged lines are skipped with a warning."""
    path = _records_file()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            out.append(
                Record(
                    kind=raw["kind"],
                    item=str(raw["item"]),
                    objective=str(raw["objective"]),
                    score=float(raw["score"]),
                    attempt=int(raw["attempt"]),
                    time=float(raw["time"]),
                    detail=dict(raw.get("detail", {})),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            warnings.warn(f"{path}, line {number}: skipped a damaged record ({exc})", stacklevel=2)
    return out


def record_result(
    kind: Kind,
    item: str,
    objective: str,
    score: float,
    detail: dict[str, Any] | None = None,
) -> Record:
    """Append one result; the attempt number counts earlier results for ``item``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score must be between 0 and 1, not {score!r}")
    previous = sum(1 for r in load_records() if r.kind == kind and r.item == item)
    entry = Record(kind, item, objective, float(score), previous + 1, time.time(), detail or {})
    path = _records_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(entry), sort_keys=True) + "\n")
    return entry
