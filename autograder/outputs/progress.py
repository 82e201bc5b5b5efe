"""A progress line for the terminal, and a plain log line per submission elsewhere."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from autograder.engine.results import SubmissionResult
from autograder.outputs.terminal import clean

__all__ = ["ProgressBar", "format_points"]

_WIDTH = 28


def format_points(value: float | None) -> str:
    """``3`` for 3.0, ``1.5`` for 1.5, ``-`` for an unknown score."""
    return "-" if value is None else format(round(value, 2), "g")


class ProgressBar:
    """Redraws one line on a terminal; prints one line per submission otherwise."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = max(total, 0)
        self.label = label
        self.stream = stream or sys.stderr
        self.done = 0
        self.review = 0
        self.started = time.monotonic()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, result: SubmissionResult) -> None:
        self.done += 1
        self.review += bool(result.reasons)
        if self.tty:
            self._draw()
        else:
            status = "needs review" if result.reasons else "ok"
            score = f"{format_points(result.total)}/{format_points(result.max_score)}"
            print(
                f"  [{self.done}/{self.total}] {clean(result.student)}: {score} {status}",
                file=self.stream,
                flush=True,
            )

    def _draw(self) -> None:
        filled = int(_WIDTH * self.done / self.total) if self.total else _WIDTH
        bar = "#" * filled + "." * (_WIDTH - filled)
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        text = (
            f"\r{self.label} [{bar}] {self.done}/{self.total}"
            f"  {self.review} to review  ~{left:.0f} s left "
        )
        self.stream.write(text)
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()
