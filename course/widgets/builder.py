"""The value-stream builder: connect the six activities in a graph, then check.

``course.builder()`` opens free mode; ``course.builder("email-outage")`` (any
scenario id, or the id of a worked example in ``load_course().value_streams``)
opens an exercise with a rubric. Two ways to build, on one model:

- the graph: click an activity, then the activity it hands over to; each
  connection adds a numbered step (ipycytoscape has no drag-to-connect);
- the list (keyboard and screen reader): pick an activity, *Add step*; select
  a step, *Move up* / *Move down* / *Remove step*.

Both edit the same :class:`~course.valuestream.Stream`, and so does the Python
surface, with the same effect as clicking: :meth:`ValueStreamBuilder.connect`,
``add_step``, ``remove_step``, ``move_step``, ``undo``, ``reset``,
``stream`` (the activity names), :meth:`ValueStreamBuilder.check` and
:meth:`ValueStreamBuilder.show_model`.

A self-check exercise shows its model answer (the diagram, each step's note
and why) after a Check that earns full marks; after two Checks, a *Show a
model answer* button offers it anyway. A graded question's builder
(``scenario.graded``) never shows it: its Check says only whether the answer
is well formed (it needs no key: a student's copy has none), and the grader
scores it with the same rubric, from the instructor's key.

The synced traits ``question_id``, ``scenario_id`` and ``steps`` (activity
ids) are saved in the notebook's widget state (``metadata.widgets``); a grader
scores ``steps`` with ``course.scenarios.scenario(scenario_id).grade(steps)``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import ipywidgets as w
from traitlets import List, Unicode, observe, validate

from ..errors import UnknownActivityError
from ..graded import restored_answer
from ..loader import load_course
from ..records import record_result
from ..rubric import RubricResult
from ..scenarios import Scenario, free_rubric, scenario
from ..valuestream import Stream, StreamError, activity_id, activity_name
from . import _builder_view as view
from ._cytoscape import GraphView
from ._keyboard import keyboard_friendly

__all__ = ["ValueStreamBuilder", "builder"]

_EDIT_ERRORS = (StreamError, UnknownActivityError)


def builder(
    scenario_id: str | None = None, *, question_id: str | None = None
) -> ValueStreamBuilder:
    """A value-stream builder: free mode, or the exercise ``scenario_id``.

    ``question_id`` marks the graded question the builder answers; it is saved
    with the notebook, and after a kernel restart the builder starts from the
    stream saved in the notebook file, so re-running the cell loses nothing.
    An unknown ``scenario_id`` raises an error that lists the exercises.
    """
    keyboard_friendly()
    made = ValueStreamBuilder(scenario_id, question_id=question_id)
    saved = restored_answer(question_id) if question_id else None
    if isinstance(saved, list) and all(isinstance(step, str) for step in saved):
        with contextlib.suppress(*_EDIT_ERRORS):  # a saved stream the model no longer knows
            made.stream = saved
            made.forget_history()  # Undo must not empty the restored answer
    return made


class ValueStreamBuilder(w.VBox):
    """A graph of the six activities, a list editor and a Check button."""

    question_id = Unicode(
        "", help="The graded question this builder answers ('' when none); saved in the notebook."
    ).tag(sync=True)
    scenario_id = Unicode(
        "", help="The exercise's scenario id ('' in free mode); saved in the notebook."
    ).tag(sync=True)
    steps = List(
        Unicode(), help="The value stream as activity ids, step by step; saved in the notebook."
    ).tag(sync=True)

    def __init__(self, scenario_id: str | None = None, *, question_id: str | None = None) -> None:
        self.scenario: Scenario | None = scenario(scenario_id) if scenario_id else None
        self._activities = load_course().activities
        self._stream = Stream()
        self._history: list[Stream] = []
        self._pending: str | None = None
        self._syncing = False
        self.last_result: RubricResult | None = None
        self.attempts = 0

        self.graph = GraphView(
            view.node_specs(self._activities),
            view.graph_style(),
            height="400px",  # ipycytoscape's own CSS height: the first fit uses it
            on_node_click=self._node_clicked,
        )
        self.graph.widget.add_class("itil-stream-graph")
        self.status = w.HTML()
        self.summary = w.HTML()
        self.feedback = w.HTML()
        self.undo_button = self._button("Undo", "undo", "Undo the last change", self.undo)
        self.reset_button = self._button("Reset", "trash", "Remove every step", self.reset)
        self.check_button = self._button("Check", "check", "Check your value stream", self.check)
        self.check_button.button_style = "primary"
        self.model_button = self._button(
            "Show a model answer", "eye", "Show a model answer with the reason for each step",
            self.show_model,
        )  # fmt: skip
        self.model_button.layout.display = "none"
        self.model = w.HTML()

        options = [(a.name, a.id) for a in self._activities]
        self.activity_choice = w.Dropdown(
            options=options, description="Activity", layout=w.Layout(width="260px")
        )
        self.note = w.Text(
            placeholder="What happens in this step (optional)",
            description="Note",
            layout=w.Layout(width="340px"),
        )
        self.add_button = self._button("Add step", "plus", "Add the activity as the last step")
        self.add_button.on_click(lambda _: self._add_from_list())
        self.step_list = w.Select(
            options=[], rows=6, description="Steps", layout=w.Layout(width="420px")
        )
        self.up_button = self._button("Move up", "arrow-up", "Move the selected step earlier")
        self.down_button = self._button("Move down", "arrow-down", "Move the selected step later")
        self.remove_button = self._button("Remove step", "minus", "Remove the selected step")
        self.up_button.on_click(lambda _: self._move_selected(-1))
        self.down_button.on_click(lambda _: self._move_selected(1))
        self.remove_button.on_click(lambda _: self._remove_selected())

        list_editor = w.VBox(
            [
                w.HTML("<b>Build with the keyboard</b> (same value stream as the graph)"),
                w.HBox([self.activity_choice, self.note, self.add_button]),
                w.HBox(
                    [
                        self.step_list,
                        w.VBox([self.up_button, self.down_button, self.remove_button]),
                    ]
                ),
            ],
            layout=w.Layout(border="1px solid #e0e0e0", padding="6px 8px", margin="6px 0"),
        )
        actions = w.HBox(
            [self.check_button, self.undo_button, self.reset_button, self.model_button]
        )
        super().__init__(
            [
                w.HTML(view.header_html(self.scenario, question_id or "")),
                self.graph.widget,
                self.status,
                self.summary,
                actions,
                self.feedback,
                self.model,
                list_editor,
            ],
            question_id=question_id or "",
            scenario_id=self.scenario.id if self.scenario else "",
        )
        self.add_class("itil-stream-builder")
        self._refresh()
        self._say_next()

    @staticmethod
    def _button(
        label: str, icon: str, tooltip: str, action: Callable[[], object] | None = None
    ) -> w.Button:
        button = w.Button(description=label, icon=icon, tooltip=tooltip)
        button.layout.width = "auto"
        if action is not None:
            button.on_click(lambda _: action())
        return button

    # -- the Python surface (same effect as the clicks) --------------------

    @property
    def value_stream(self) -> Stream:
        """The current value stream (immutable; with notes)."""
        return self._stream

    @property
    def stream(self) -> list[str]:
        """The current value stream as activity names, step by step."""
        return list(self._stream.names)

    @stream.setter
    def stream(self, names: object) -> None:
        self._change(Stream.from_names(names))

    def connect(self, source: str, target: str) -> None:
        """Add the hand-over ``source`` → ``target`` (as clicking both nodes does)."""
        self._pending = None
        before = self._stream
        self._change(before.connect(source, target))
        if before and self._stream.names[1:] == before.names:  # joined in front of step 1
            self._say_next(f"Step 1 added: {activity_name(source)}.")
        else:
            self._say_next(f"Step {len(self._stream)} added: {activity_name(target)}.")

    def add_step(self, name: str, note: str = "") -> None:
        """Append ``name`` as the last step (as the list's *Add step* does)."""
        self._change(self._stream.add(name, note))
        self._say_next(f"Step {len(self._stream)} added: {activity_name(name)}.")

    def remove_step(self, index: int) -> None:
        """Remove the step at ``index`` (0-based, like ``stream``; -1 is the last)."""
        removed = (
            self._stream.names[index] if -len(self._stream) <= index < len(self._stream) else ""
        )
        self._change(self._stream.remove(index))
        self._say_next(f"Removed {removed}.")

    def move_step(self, index: int, offset: int) -> None:
        """Move the step at ``index`` by ``offset`` places (negative: earlier)."""
        self._change(self._stream.move(index, offset))
        self._say_next("Step moved.")

    def forget_history(self) -> None:
        """Start the undo history afresh from the current stream."""
        self._history.clear()
        self._refresh()

    def undo(self) -> bool:
        """Go back one change; ``False`` when there is nothing to undo."""
        self._pending = None
        if not self._history:
            self._say("Nothing to undo.", "warn")
            return False
        self._stream = self._history.pop()
        self._refresh()
        self._say_next("Undone.")
        return True

    def reset(self) -> None:
        """Remove every step (undo brings them back)."""
        self._pending = None
        if self._stream:
            self._change(Stream())
        self.feedback.value = ""
        self._say_next("Cleared.")

    @property
    def offers_model(self) -> bool:
        """Whether this builder may show a model answer: self-check exercises only."""
        return self.scenario is not None and not self.scenario.graded

    def show_model(self) -> bool:
        """Show the model answer below the feedback; ``False`` where there is none to show."""
        if self.scenario is None or self.scenario.graded:
            self._say("This builder has no model answer to show.", "warn")
            return False
        self.model.value = view.model_html(self.scenario)
        self.model_button.layout.display = "none"
        return True

    def check(self) -> RubricResult:
        """Score the stream, show the feedback and record the result of an exercise."""
        if self.scenario is not None and self.scenario.graded:
            # Only the form is shown, so a student's copy, which has no key, needs none.
            graded = self.scenario.rubric if self.scenario.has_key else free_rubric()
            result = graded.grade(self._stream)
            self.last_result = result
            self.feedback.value = view.graded_html(result)
            self._say("Checked: see below. Your answer is marked when your work is graded.")
            return result
        rubric = self.scenario.rubric if self.scenario else free_rubric()
        result = rubric.grade(self._stream)
        recorded = ""
        if self.scenario is not None and result.steps:  # an empty stream is no attempt
            self.attempts += 1
            detail: dict[str, Any] = {
                "steps": list(result.steps),
                "missed": [c.description for c in result.missed],
            }
            if self.question_id:
                detail["question"] = self.question_id
            try:
                entry = record_result(
                    "stream", self.scenario.id, self.scenario.objective, result.score, detail
                )
                recorded = f"Saved to your progress (attempt {entry.attempt})."
            except OSError as exc:
                recorded = f"Your progress could not be saved ({exc.strerror or exc})."
        self.last_result = result
        self.feedback.value = view.feedback_html(
            result, scored=self.scenario is not None, recorded=recorded
        )
        if result.correct:
            self._say("Checked: every check is met. Well done!", "done")
            if self.offers_model:
                self.show_model()
        else:
            self._say("Checked: read the feedback below the graph, then improve your stream.")
            if self.offers_model and self.attempts >= 2 and not self.model.value:
                self.model_button.layout.display = ""
        return result

    def click(self, name: str) -> None:
        """Click the node of activity ``name``, exactly as in the graph."""
        self._node_clicked(activity_id(name))

    # -- events -----------------------------------------------------------

    def _node_clicked(self, node_id: str) -> None:
        pending, self._pending = self._pending, None
        try:
            if pending is None:
                self._pending = node_id
                self._refresh()
                self._say_pending(node_id)
            elif pending == node_id:
                self._refresh()
                self._say_next(f"{activity_name(node_id)} is no longer selected.")
            else:
                self.connect(pending, node_id)
        except _EDIT_ERRORS as exc:
            self._refresh()
            self._say(str(exc), "warn")

    def _add_from_list(self) -> None:
        try:
            self.add_step(str(self.activity_choice.value), self.note.value)
            self.note.value = ""
            self.step_list.value = len(self._stream) - 1
        except _EDIT_ERRORS as exc:
            self._say(str(exc), "warn")

    def _selected(self) -> int | None:
        value = self.step_list.value
        if value is None:
            self._say("Select a step in the list first.", "warn")
            return None
        return int(value)

    def _move_selected(self, offset: int) -> None:
        index = self._selected()
        if index is None:
            return
        try:
            self.move_step(index, offset)
            self.step_list.value = index + offset
        except _EDIT_ERRORS as exc:
            self._say(str(exc), "warn")

    def _remove_selected(self) -> None:
        index = self._selected()
        if index is None:
            return
        self.remove_step(index)
        if self._stream:
            self.step_list.value = min(index, len(self._stream) - 1)

    @validate("steps")
    def _valid_steps(self, proposal: dict[str, Any]) -> list[str]:
        """Steps set from Python must name activities; they are kept as ids."""
        if self._syncing:
            return list(proposal["value"])
        return list(Stream.from_names(list(proposal["value"])).activities)

    @observe("steps")
    def _steps_set(self, change: dict[str, Any]) -> None:
        """Setting ``steps`` from Python loads that stream (undo brings the old one back)."""
        if self._syncing or list(change["new"]) == list(self._stream.activities):
            return
        self._change(Stream.from_names(list(change["new"])))
        self._say_next("Steps loaded.")

    # -- drawing ----------------------------------------------------------

    def _change(self, new: Stream) -> None:
        if new != self._stream:
            self._history.append(self._stream)
            self._stream = new
        self._refresh()

    def _refresh(self) -> None:
        ids = self._stream.activities
        for activity in self._activities:
            self.graph.set_node(
                activity.id, classes=view.node_classes(activity.id, ids, self._pending)
            )
        self.graph.set_edges(view.edge_specs(ids))
        self.summary.value = view.stream_html(
            self._stream.names, [s.action for s in self._stream.steps]
        )
        labels = view.step_labels(self._stream.names, [s.action for s in self._stream.steps])
        if list(self.step_list.options) != labels:  # each re-assignment costs messages
            chosen = self.step_list.value
            self.step_list.options = labels
            if isinstance(chosen, int) and chosen < len(labels):
                self.step_list.value = chosen
        self.undo_button.disabled = not self._history
        self.reset_button.disabled = not self._stream
        self._syncing = True
        try:
            self.steps = list(ids)
        finally:
            self._syncing = False

    def _say(self, text: str, tone: str = "info") -> None:
        self.status.value = view.status_html(text, tone)

    def _say_pending(self, node_id: str) -> None:
        self._say(*view.pending_text(node_id, self._stream.activities))

    def _say_next(self, done: str = "") -> None:
        self._say(view.next_text(self._stream.activities, done))
