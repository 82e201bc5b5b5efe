"""The "more practice" chooser: every value-stream exercise with its status, opened in place.

``more_practice()`` shows a table of the self-check exercises (see
:mod:`course.practice`) with how far the learner has got with each, a list to
choose one and an *Open* button that draws its builder underneath. Opening
an exercise refreshes the statuses, so checks made since show up.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..practice import ExerciseStatus, exercise_status
from .builder import ValueStreamBuilder, builder

__all__ = ["MorePractice", "more_practice"]

_CELL = "padding:3px 10px;border-bottom:1px solid #e0e0e0;text-align:left"


def _table(items: tuple[ExerciseStatus, ...]) -> str:
    rows = []
    for item in items:
        colour = "#1e7b34" if item.done else "#8a4b00" if item.attempts else "#555"
        rows.append(
            f"<tr><td style='{_CELL}'>{html.escape(item.title)}</td>"
            f"<td style='{_CELL};color:{colour}'>{html.escape(item.status)}</td></tr>"
        )
    done = sum(item.done for item in items)
    return (
        f"<p style='margin:4px 0'><b>{done} of {len(items)} exercises done</b></p>"
        "<table style='border-collapse:collapse;margin:4px 0'>"
        f"<tr><th style='{_CELL}'>Exercise</th><th style='{_CELL}'>Status</th></tr>"
        f"{''.join(rows)}</table>"
    )


class MorePractice(w.VBox):
    """A table of exercises with their status, a chooser and the chosen exercise's builder."""

    def __init__(self) -> None:
        self.table = w.HTML()
        self.choice = w.Dropdown(description="Exercise", layout=w.Layout(width="520px"))
        self.open_button = w.Button(description="Open", icon="folder-open", button_style="primary")
        self.open_button.on_click(lambda _: self.open_exercise())
        self.area = w.VBox()
        self.current: ValueStreamBuilder | None = None
        super().__init__([self.table, w.HBox([self.choice, self.open_button]), self.area])
        self.add_class("itil-more-practice")
        self.refresh()

    def refresh(self) -> None:
        """Read the learner's records again and redraw the statuses."""
        items = exercise_status()
        self.table.value = _table(items)
        chosen = self.choice.value
        self.choice.options = [(f"{item.title} ({item.status})", item.id) for item in items]
        if chosen in {item.id for item in items}:
            self.choice.value = chosen

    def open_exercise(self, scenario_id: str | None = None) -> ValueStreamBuilder:
        """Open the chosen exercise (or ``scenario_id``) below the chooser."""
        if scenario_id is not None:
            self.choice.value = scenario_id
        self.refresh()
        self.current = builder(str(self.choice.value))
        self.area.children = (self.current,)
        return self.current


def more_practice() -> MorePractice:
    """Every value-stream exercise of the course with its status; choose one and open it."""
    return MorePractice()
