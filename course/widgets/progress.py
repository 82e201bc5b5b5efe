"""The progress view: per learning objective, what was tried and how it went.

``course.progress()`` draws :func:`course.mastery.current_progress` as a
table with a bar per objective and a list of what to revisit, each item named
as the learner saw it (:func:`course.mastery.item_title`). It reads the
records file each time it refreshes, so it is right after a kernel restart.
By default it counts each objective's questions in the quiz bank, so the
table says how many of them were tried.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import ipywidgets as w

from ..mastery import ItemResult, ObjectiveProgress, Progress, current_progress, item_title

__all__ = ["ProgressView", "progress", "render_progress"]

_STATUS_COLOUR = {"mastered": "#1b5e20", "in progress": "#8a4b00", "not started": "#555"}
_REVISIT_SHOWN = 4

Titler = Callable[[ItemResult], str]


def _bar(share: float, label: str) -> str:
    width = round(max(0.0, min(1.0, share)) * 100)
    return (
        f'<div role="img" aria-label="{html.escape(label)}" title="{html.escape(label)}" '
        'style="width:160px;height:14px;background:#eceff1;border-radius:7px;overflow:hidden">'
        f'<div style="width:{width}%;height:100%;background:#1976d2"></div></div>'
    )


def _default_title(item: ItemResult) -> str:
    return item.title or item_title(item.kind, item.item)


def _revisit(objective: ObjectiveProgress, title: Titler) -> str:
    shown = objective.revisit[:_REVISIT_SHOWN]
    if not shown:
        return "&mdash;"
    lines = "".join(f"<li>{html.escape(title(i))} ({round(i.best * 100)}%)</li>" for i in shown)
    return f'<ul style="margin:0;padding-left:1.2em">{lines}</ul>'


def _row(
    objective: ObjectiveProgress,
    lesson_link: Callable[[ObjectiveProgress], str],
    title: Titler,
) -> str:
    score = round(objective.score * 100)
    quizzes = f"{len(objective.quizzes)} question(s)"
    if objective.available:
        quizzes = f"{len(objective.quizzes)} of {objective.available} question(s)"
    tried = f"{quizzes}, {len(objective.streams)} value stream(s)"
    if objective.graded:
        tried += f", {len(objective.graded)} graded question(s)"
    colour = _STATUS_COLOUR[objective.status]
    return (
        "<tr>"
        f'<td style="padding:6px 10px">{objective.number}. {lesson_link(objective)}</td>'
        f'<td style="padding:6px 10px;color:{colour};font-weight:600">{objective.status}</td>'
        f'<td style="padding:6px 10px">{_bar(objective.score, f"{score}% on average")}'
        f"<small>{score}% &middot; {tried}</small></td>"
        f'<td style="padding:6px 10px">{_revisit(objective, title)}</td>'
        "</tr>"
    )


def render_progress(
    summary: Progress,
    lesson_link: Callable[[ObjectiveProgress], str] | None = None,
    title: Titler | None = None,
) -> str:
    """The progress table as HTML (text first: colours and bars only repeat it).

    ``title`` names an item to revisit (default: :func:`course.mastery.item_title`).
    """
    link = lesson_link or (lambda o: html.escape(o.title))
    name = title or _default_title
    header = "".join(
        f'<th style="text-align:left;padding:6px 10px">{h}</th>'
        for h in ("Learning objective", "Status", "Average best score", "Revisit")
    )
    rows = "".join(_row(o, link, name) for o in summary.objectives)
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
    """The table and a Refresh button.

    ``available`` counts the questions of each objective; by default the quiz
    bank's counts (:func:`course.mastery.question_counts`).
    """

    def __init__(self, available: Mapping[str, int] | None = None) -> None:
        self._available = None if available is None else dict(available)
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
