"""What a graded cell shows, and the number nbgrader reads from it.

nbgrader gives a test cell partial credit when its last value is a number:
it reads the ``text/plain`` form of the cell's result. The objects here show
a readable explanation in JupyterLab (``text/html``) while their
``text/plain`` form is just the points, so the same object explains the
grade to the student and tells nbgrader the score.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

__all__ = ["Problem", "Result", "format_points"]

_BOX = (
    "border-left:4px solid {colour};padding:6px 10px;margin:4px 0;"
    "background:var(--jp-layout-color1, #fff);color:var(--jp-content-font-color1, #111)"
)
_GOOD, _PART, _BAD = "#2e7d32", "#ef6c00", "#c62828"


def format_points(points: float) -> str:
    """``3`` for 3.0, ``1.5`` for 1.5: as a person writes points."""
    return format(round(points, 2), "g")


def _lines_html(lines: tuple[str, ...]) -> str:
    if not lines:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f'<ul style="margin:4px 0 0 0;padding-left:20px">{items}</ul>'


@dataclass(frozen=True, repr=False)
class Result:
    """The points an answer earned, out of ``max_points``, and why."""

    points: float
    max_points: float
    lines: tuple[str, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        return format_points(self.points)

    def __str__(self) -> str:
        head = f"{format_points(self.points)} of {format_points(self.max_points)} points"
        return "\n".join([head, *(f"- {line}" for line in self.lines)])

    def _repr_html_(self) -> str:
        colour = _GOOD if self.points >= self.max_points else _PART if self.points > 0 else _BAD
        head = f"<b>{format_points(self.points)} of {format_points(self.max_points)} points</b>"
        return f'<div style="{_BOX.format(colour=colour)}">{head}{_lines_html(self.lines)}</div>'


@dataclass(frozen=True, repr=False)
class Problem:
    """An answer that is missing or not in the expected form: it earns 0 points."""

    message: str

    def __repr__(self) -> str:
        return "0"

    def __str__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        body = html.escape(self.message)
        return f'<div style="{_BOX.format(colour=_PART)}"><b>Answer check:</b> {body}</div>'
