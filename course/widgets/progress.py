"""The progress view: per learning objective, what was tried and how it went.

``course.progress()`` draws :func:`course.mastery.current_progress` as a
table with a bar per objective and a list of what to revisit. It reads the
records file each time it refreshes, so it is right after a kernel restart.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import ipywidgets as w

from ..mastery import ObjectiveProgress, Progress, current_progress

__all__ = ["ProgressView", "progress", "render_progress"]

_STATUS_COLOUR = {"mastered": "#1b5e20", "in progress": "#8a4b00", "not started": "#555"}


def _bar(share: float, label: str) -> str:
    width = round(max(0.0, min(1.0, share)) * 100)
    return (
        f'<div role="img" aria-label="{html.escape(label)}" title="{html.escape(label)}" '
        'style="width:160px;height:14px;background:#eceff1;border-radius:7px;overflow:hidden">'
        f'<div style="width:{width}%;height:100%;background:#1976d2"></div></div>'
    )


def _row(objective: ObjectiveProgress, lesson_link: Callable[[ObjectiveProgress], str]) -> str:
    score = round(objective.score * 100)
    tried = f"{len(objective.quizzes)} question(s), {len(objective.streams)} value stream(s)"
    if objective.available:
        tried = (
            f"{len(objective.quizzes)} of {objective.available} question(s), "
            + tried.split(", ", 1)[1]
        )
    revisit = ", ".join(
        f"{html.escape(i.item)} ({round(i.best * 100)}%)" for i in objective.revisit[:4]
    )
    colour = _STATUS_COLOUR[objective.status]
    return (
        "<tr>"
        f'<td style="padding:6px 10px">{objective.number}. {lesson_link(objective)}</td>'
        f'<td style="padding:6px 10px;color:{colour};font-weight:600">{objective.status}</td>'
        f'<td style="padding:6px 10px">{_bar(objective.score, f"{score}% on average")}'
        f"<small>{score}% &middot; {tried}</small></td>"
        f'<td style="padding:6px 10px">{revisit or "&mdash;"}</td>'
        "</tr>"
    )


def render_progress(
    summary: Progress, lesson_link: Callable[[ObjectiveProgress], str] | None = None
) -> str:
    """The progress table as HTML (text first: colours and bars only repeat it)."""
    link = lesson_link or (lambda o: html.escape(o.title))
    header = "".join(
        f'<th style="text-align:left;padding:6px 10px">{h}</th>'
        for h in ("Learning objective", "Status", "Average best score", "Revisit")
    )
    rows = "".join(_row(o, link) for o in summary.objectives)
    note = (
        "<p>Nothing recorded yet: answer a quiz or check a value stream, then refresh.</p>"
        if summary.attempted == 0
        else ""
    )
    return (
        f'<table style="border-collapse:collapse"><thead><tr>{header}</tr></thead>'
        f"<tbody>{rows}</tbody></table>{note}"
    )


class ProgressView(w.VBox):
    """The table and a Refresh button."""

    def __init__(self, available: Mapping[str, int] | None = None) -> None:
        self._available = dict(available or {})
        self.table = w.HTML()
        self.refresh_button = w.Button(
            description="Refresh",
            icon="refresh",
            tooltip="Read the latest results again",
        )
        self.refresh_button.on_click(lambda _: self.refresh())
        super().__init__([w.HTML("<h3>Your progress</h3>"), self.table, self.refresh_button])
        self.refresh()

    def refresh(self) -> Progress:
        summary = current_progress(self._available)
        self.table.value = render_progress(summary)
        return summary


def progress(available: Mapping[str, int] | None = None) -> ProgressView:
    """Show the learner's progress per learning objective."""
    return ProgressView(available)
