"""The question widgets, one small class per question type on a shared base.

Each widget is a ``VBox`` that carries two synced traits, so the notebook's
saved widget state records which question it is and what the learner chose:
``question_id`` (the bank id) and ``response`` (the current answer as plain
JSON, see :mod:`course.quizbank.answers`). The answer key never reaches the
widget state: marking happens in the kernel against sealed digests.

A *graded* widget (``graded=True``) answers a graded question of a lesson: it
has no *Check* and never says whether an answer is right; it records the
answer and says that it is graded after submission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import ipywidgets as w
from traitlets import Any as AnyTrait
from traitlets import Unicode

from course.quizbank import AnswerProblem, Question, Result, check_answer, parse_answer
from course.quizbank.answers import Response
from course.records import record_result

from ._quiz_view import KIND_NAMES, feedback_html, graded_html, header_html, message_html

__all__ = [
    "GRADED_NOTE",
    "SAVED_NOTE",
    "AnswerStatus",
    "GradedQuestionError",
    "MatchingQuestion",
    "MultipleChoiceQuestion",
    "OrderingQuestion",
    "QuestionWidget",
    "ShortTextQuestion",
    "SingleChoiceQuestion",
    "TrueFalseQuestion",
]

_CHOOSE = "Choose…"
#: What a graded widget says instead of a verdict.
GRADED_NOTE = (
    "Graded question: there is no Check here. Your answer is recorded, saved with the "
    "notebook (Ctrl+S) and graded after you submit."
)
SAVED_NOTE = "Answer recorded: it is saved with the notebook and graded after you submit."
_FULL = {"width": "auto"}


@dataclass(frozen=True)
class AnswerStatus:
    """What :meth:`QuestionWidget.answer` did: ``accepted`` and a message to read."""

    accepted: bool
    message: str

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.accepted


Listener = Callable[["QuestionWidget", Result], None]


class GradedQuestionError(RuntimeError):
    """Raised by ``check()`` on a graded widget: its answer is marked after submission."""


class QuestionWidget(w.VBox):
    """One question: prompt, controls, *Check* and *Try again*, and feedback.

    Drive it from code exactly as a click would: ``answer(value)`` sets the
    controls, ``check()`` marks the current answer and returns the
    :class:`~course.quiz.Result` that the feedback box shows. A ``graded``
    widget has no *Check* button, and its ``check()`` refuses to mark.
    """

    question_id = Unicode(
        "", help="Id of the bank question this widget asks; saved with the notebook."
    ).tag(sync=True)
    response = AnyTrait(
        None,
        allow_none=True,
        help="The learner's current answer as plain JSON (option texts, True/False, ...).",
    ).tag(sync=True)

    kind: ClassVar[str] = ""

    def __init__(
        self,
        question: Question,
        *,
        number: int = 1,
        total: int = 1,
        css: bool = True,
        graded: bool = False,
    ) -> None:
        super().__init__()
        self.graded = graded
        if question.kind != self.kind:
            raise TypeError(
                f"{type(self).__name__} asks {self.kind} questions, not {question.kind}"
            )
        self.question = question
        self.question_id = question.id
        self.number = number
        self.attempts = 0
        self.result: Result | None = None
        self._listeners: list[Listener] = []
        self._quiet = False
        header = w.HTML(header_html(number, total, question.kind, question.prompt, css=css))
        self.controls: list[w.Widget] = self._make_controls()
        for control in self.controls:
            control.observe(self._changed, names="value")
        self.check_button = w.Button(
            description="Check",
            icon="check",
            button_style="primary",
            tooltip=f"Check your answer to question {number}",
        )
        self.retry_button = w.Button(
            description="Try again",
            icon="undo",
            tooltip=f"Clear your answer to question {number} and answer again",
        )
        self.check_button.on_click(lambda _: self.check())
        self.retry_button.on_click(lambda _: self.retry())
        self.feedback = w.HTML("")
        if graded:  # no way to learn whether the answer is right before submission
            self.retry_button.description = "Clear"
            self.retry_button.tooltip = f"Clear your answer to question {number}"
            self.feedback.value = graded_html(GRADED_NOTE)
            buttons = w.HBox([self.retry_button])
            self.add_class("itil-graded")
        else:
            buttons = w.HBox([self.check_button, self.retry_button])
        self.children = [header, *self._layout(), buttons, self.feedback]
        self.add_class("itil-q")

    # -- what subclasses provide ----------------------------------------------------------
    def _make_controls(self) -> list[w.Widget]:
        raise NotImplementedError

    def _layout(self) -> list[w.Widget]:
        return list(self.controls)

    def _read(self) -> Response:
        """The current answer in the controls, as plain JSON."""
        raise NotImplementedError

    def _show(self, response: Response) -> None:
        """Put a canonical response into the controls (``None`` clears them)."""
        raise NotImplementedError

    # -- the public surface ----------------------------------------------------------------
    def answer(self, value: object) -> AnswerStatus:
        """Set the answer as if the learner had chosen it (any form parse_answer takes)."""
        try:
            response = parse_answer(self.question, value)
        except AnswerProblem as problem:
            self.feedback.value = message_html(str(problem))
            return AnswerStatus(False, str(problem))
        self._quiet = True
        try:
            self._show(response)
        finally:
            self._quiet = False
        self.response = self._read()
        if self.graded:
            self.feedback.value = graded_html(SAVED_NOTE)
            return AnswerStatus(True, f"Answer recorded for question {self.number}. {SAVED_NOTE}")
        self.feedback.value = ""
        return AnswerStatus(True, f"Answer set for question {self.number}; now call .check().")

    def check(self) -> Result:
        """Mark the current answer, show the feedback and record the result."""
        if self.graded:
            raise GradedQuestionError(
                f"Question {self.question_id!r} is graded: it is marked after you submit, "
                "not here. Your answer is recorded as it is."
            )
        self.response = self._read()
        result = check_answer(self.question, self.response, attempt=self.attempts + 1)
        note = ""
        if result.valid:
            self.attempts += 1
            self.result = result
            note = self._record(result)
            for listener in list(self._listeners):
                listener(self, result)
        self.feedback.value = feedback_html(result, note)
        return result

    def retry(self) -> None:
        """Clear the answer and the feedback (the attempts so far still count)."""
        self._quiet = True
        try:
            self._show(None)
        finally:
            self._quiet = False
        self.response = self._read()
        self.feedback.value = graded_html(GRADED_NOTE) if self.graded else ""

    def on_result(self, listener: Listener) -> None:
        """Call ``listener(widget, result)`` after every marked check."""
        self._listeners.append(listener)

    @property
    def score(self) -> float:
        """The score of the last marked check (0 before any)."""
        return self.result.score if self.result is not None else 0.0

    def __repr__(self) -> str:
        return f"<{KIND_NAMES[self.question.kind]} question {self.question_id!r}>"

    # -- internals -------------------------------------------------------------------------
    def _changed(self, _change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self.response = self._read()
        if self.graded:
            self.feedback.value = graded_html(SAVED_NOTE)
        elif self.feedback.value:
            self.feedback.value = message_html("Answer changed: press Check to mark it.")

    def _record(self, result: Result) -> str:
        detail = {"kind": self.question.kind, "correct": result.correct, "response": self.response}
        try:
            record_result("quiz", self.question.id, self.question.objective, result.score, detail)
        except (OSError, ValueError) as exc:
            return f"Your result could not be saved for the progress page ({exc})."
        return ""


class SingleChoiceQuestion(QuestionWidget):
    kind = "single"

    def _make_controls(self) -> list[w.Widget]:
        self.choice = w.RadioButtons(
            options=[o.text for o in self.question.options],
            index=None,
            description="Answer:",
            tooltip="Choose one answer",
            layout=_FULL,
        )
        return [self.choice]

    def _read(self) -> Response:
        value: str | None = self.choice.value
        return value

    def _show(self, response: Response) -> None:
        self.choice.value = response


class TrueFalseQuestion(SingleChoiceQuestion):
    kind = "true_false"

    def _make_controls(self) -> list[w.Widget]:
        self.choice = w.RadioButtons(
            options=["True", "False"],
            index=None,
            description="Answer:",
            tooltip="Is the statement true or false?",
            layout=_FULL,
        )
        return [self.choice]

    def _read(self) -> Response:
        return None if self.choice.value is None else self.choice.value == "True"

    def _show(self, response: Response) -> None:
        self.choice.value = None if response is None else ("True" if response else "False")


class MultipleChoiceQuestion(QuestionWidget):
    kind = "multiple"

    def _make_controls(self) -> list[w.Widget]:
        return [
            w.Checkbox(value=False, description=o.text, indent=False, layout=_FULL)
            for o in self.question.options
        ]

    def _read(self) -> Response:
        return [c.description for c in self.controls if c.value]

    def _show(self, response: Response) -> None:
        chosen = set(response or [])
        for control in self.controls:
            control.value = control.description in chosen


class _DropdownRows(QuestionWidget):
    """Shared by matching and ordering: one labelled dropdown per row."""

    def _rows(self, labels: list[str], choices: list[str], width: str) -> list[w.Widget]:
        return [
            w.Dropdown(
                options=[_CHOOSE, *choices],
                value=_CHOOSE,
                description=label,
                tooltip=label,
                style={"description_width": width},
                layout={"width": "100%"},
            )
            for label in labels
        ]

    @staticmethod
    def _value(control: w.Dropdown) -> str | None:
        return None if control.value == _CHOOSE else str(control.value)


class MatchingQuestion(_DropdownRows):
    kind = "matching"

    def _make_controls(self) -> list[w.Widget]:
        labels = [i.text for i in self.question.items]
        width = "55%" if max(len(t) for t in labels) > 40 else "260px"
        return self._rows(labels, [o.text for o in self.question.options], width)

    def _read(self) -> Response:
        return {
            item.text: value
            for item, control in zip(self.question.items, self.controls, strict=True)
            if (value := self._value(control)) is not None
        }

    def _show(self, response: Response) -> None:
        chosen = response or {}
        for item, control in zip(self.question.items, self.controls, strict=True):
            control.value = chosen.get(item.text, _CHOOSE)


class OrderingQuestion(_DropdownRows):
    kind = "ordering"

    def _make_controls(self) -> list[w.Widget]:
        size = len(self.question.options)
        labels = [f"Step {n}" for n in range(1, size + 1)]
        return self._rows(labels, [o.text for o in self.question.options], "80px")

    def _read(self) -> Response:
        return [self._value(c) for c in self.controls]

    def _show(self, response: Response) -> None:
        steps = response or [None] * len(self.controls)
        for control, step in zip(self.controls, steps, strict=True):
            control.value = _CHOOSE if step is None else step


class ShortTextQuestion(QuestionWidget):
    kind = "short_text"

    def _make_controls(self) -> list[w.Widget]:
        hint = "an activity name" if self.question.expects == "activity" else "your answer"
        self.text = w.Text(
            value="",
            description="Answer:",
            placeholder=f"Type {hint}, then press Check",
            tooltip=f"Type {hint}",
            layout={"width": "420px"},
        )
        return [self.text]

    def _read(self) -> Response:
        value = str(self.text.value).strip()
        return value or None

    def _show(self, response: Response) -> None:
        self.text.value = response or ""
