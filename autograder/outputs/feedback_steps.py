"""The kit's feedback steps and exporter, for ``feedback`` and the formgrader alike.

nbgrader's formgrader writes feedback with its own ``GenerateFeedback``
converter (the **Generate Feedback** button calls ``NbGraderAPI.generate_feedback``),
configured from the course's ``nbgrader_config.py``. The kit's settings
(:mod:`autograder.nbgrader_settings`) give that converter these steps and this
exporter, so the button and ``python -m autograder feedback`` write the same page:

- :class:`FeedbackGrades` reads the scores from the gradebook as nbgrader's
  ``GetGrades`` does, and adds what the page names: each question's id and
  title, whether the instructor set its score by hand or is still to review it,
  and how late the submission was;
- nbgrader's ``ClearHiddenTests`` removes the hidden tests;
- :class:`FeedbackCleanup` drops the widgets' saved state and views (a student
  sees a note instead of ``ValueStreamBuilder(children=(HTML(...``), and turns
  the autograder's review banner into "reviewed by hand" once the instructor has;
- :class:`FeedbackExporter` renders the kit's template (``templates/kit_feedback``:
  nothing loaded from the network) and refuses a page that holds a line of a
  hidden test (:mod:`autograder.publish.secrets`): nbgrader then writes no page
  and logs the reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import GetGrades
from traitlets import Bool

from autograder import notebook_io as nbio
from autograder.course_layout import RESULTS_DIRNAME
from autograder.engine.gradebook import BANNER_ID
from autograder.engine.results import load_notes
from autograder.publish.secrets import HIDDEN, notebook_secrets

__all__ = [
    "FeedbackCleanup",
    "FeedbackExporter",
    "FeedbackGrades",
    "FeedbackRefused",
    "late_text",
]

TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE = "kit_feedback"
#: What replaces a widget's view in the feedback.
WIDGET_NOTE = "[an interactive widget: open the notebook in JupyterLab to use it]"
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: ipywidgets' repr of a container (``ValueStreamBuilder(children=(HTML(...``), and
#: IPython's repr of a display object that only a browser can show.
_WIDGET_REPR = re.compile(r"[A-Za-z_]\w*\(children=\(")
_DISPLAY_REPR = re.compile(r"<IPython\.core\.display\.\w+ object>")
_TITLE_LENGTH = 90


class FeedbackRefused(Exception):
    """A feedback page held a line of a hidden test and was not written."""


def _converter(step: Any) -> Any:
    """The nbgrader converter that runs ``step`` (a step's parent is the exporter, the
    exporter's the converter)."""
    owner = step
    while owner is not None and getattr(owner, "coursedir", None) is None:
        owner = getattr(owner, "parent", None)
    if owner is None:
        raise FeedbackRefused(
            "the feedback steps run outside an nbgrader converter: the hidden tests to "
            "leave out cannot be found; run 'python -m autograder feedback' instead"
        )
    return owner


def _source_folder(step: Any, assignment: str) -> Path:
    """The assignment's folder in ``source/``."""
    coursedir = _converter(step).coursedir
    return Path(coursedir.format_path(coursedir.source_directory, ".", assignment))


def late_text(seconds: float) -> str:
    """``seconds`` late, as a person says it: ``2 days 3 h``, ``5 h 20 min``, ``12 min``."""
    minutes = max(1, round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days > 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if minutes and not days:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def _plain_title(markdown: str) -> str:
    """The first line of ``markdown`` as plain text, shortened."""
    for line in markdown.splitlines():
        text = re.sub(r"[*_`#>]+", "", line).strip()
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        if text:
            return text if len(text) <= _TITLE_LENGTH else text[: _TITLE_LENGTH - 1] + "…"
    return ""


def question_titles(source: Path) -> dict[str, str]:
    """Grade id -> the title of its question, from the source notebook (never a
    student's text): the last heading before it, and the first line of the last
    markdown cell before it when that is short (``Question 6.3 (b) · 3 points``)."""
    if not source.is_file():
        return {}
    titles: dict[str, str] = {}
    heading = last = ""
    for cell in nbio.read(source).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and not (
            meta.get("grade") or meta.get("solution") or meta.get("task")
        ):
            last = _plain_title(cell.source)
            if re.match(r"#{1,2}\s", cell.source.lstrip()):
                heading = last
        elif meta.get("grade") or meta.get("task"):
            title = heading or last
            if last and last != title and len(last) <= _TITLE_LENGTH // 2:
                title = f"{title} ({last})"
            titles[meta.get("grade_id", "")] = title
    return titles


class FeedbackGrades(GetGrades):
    """nbgrader's ``GetGrades``, plus each question's name, hand scores and lateness."""

    def _get_score(self, cell: NotebookNode, resources: dict[str, Any]) -> None:
        super()._get_score(cell, resources)
        grade = self.gradebook.find_grade(
            cell.metadata["nbgrader"]["grade_id"],
            self.notebook_id,
            self.assignment_id,
            self.student_id,
        )
        cell.metadata.nbgrader["by_hand"] = grade.manual_score is not None
        cell.metadata.nbgrader["pending"] = bool(grade.needs_manual_grade)

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any]
    ) -> tuple[NotebookNode, dict[str, Any]]:
        nb, resources = super().preprocess(nb, resources)
        info = resources["nbgrader"]
        with Gradebook(self.db_url) as gb:
            try:
                seconds = gb.find_submission(self.assignment_id, self.student_id).total_seconds_late
            except MissingEntry:
                seconds = 0.0
        info["seconds_late"] = seconds
        info["late_text"] = late_text(seconds) if seconds > 0 else ""
        titles = question_titles(self._source_notebook(resources))
        questions = []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if not (utils.is_grade(cell) or utils.is_task(cell)):
                continue
            grade_id = meta["grade_id"]
            questions.append(
                {
                    "id": grade_id,
                    "title": titles.get(grade_id, ""),
                    "score": meta.get("score") or 0.0,
                    "points": meta.get("points") or 0.0,
                    "by_hand": meta.get("by_hand", False),
                    "pending": meta.get("pending", False),
                    "comment": bool(meta.get("comment")),
                }
            )
        info["questions"] = questions
        info["pending"] = any(q["pending"] for q in questions)
        info["answers"] = self._answers(info)
        return nb, resources

    def _answers(self, info: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """The answers each question's test read, as the autograder noted them."""
        owner = _converter(self)
        coursedir = owner.coursedir
        folder = Path(coursedir.root) / coursedir.autograded_directory / RESULTS_DIRNAME
        notes = load_notes(folder / info["assignment"] / f"{info['student']}.json")
        return dict(notes.answers) if notes is not None else {}

    def _source_notebook(self, resources: dict[str, Any]) -> Path:
        info = resources["nbgrader"]
        return _source_folder(self, info["assignment"]) / f"{info['notebook']}.ipynb"


class FeedbackCleanup(Preprocessor):
    """No widget state, no widget view, and a review banner that says where review stands."""

    enabled = Bool(True, help="Whether the step runs (nbgrader registers steps as they are)")

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any]
    ) -> tuple[NotebookNode, dict[str, Any]]:
        nb.metadata.pop("widgets", None)
        answers = resources["nbgrader"].get("answers", {})
        for number, cell in enumerate(nb.cells):
            kept = []
            for output in cell.get("outputs", []):
                data = output.get("data")
                if data is None:
                    kept.append(output)
                    continue
                plain = _text(data.get("text/plain", ""))
                if _DISPLAY_REPR.fullmatch(plain.strip()) and len(data) == 1:
                    continue  # "<IPython.core.display.Javascript object>": nothing to read
                if _WIDGET_VIEW in data or (_WIDGET_REPR.match(plain) and len(data) == 1):
                    question = _next_question(nb.cells, number)
                    output["data"] = {"text/plain": _widget_text(question, answers)}
                kept.append(output)
            if cell.cell_type == "code":
                cell.outputs = kept
            if cell.metadata.get("autograder", {}).get("banner") == BANNER_ID:
                cell.source = _banner(cell.source, resources["nbgrader"].get("pending", True))
        return nb, resources


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _next_question(cells: list[NotebookNode], number: int) -> str:
    """The grade id of the first graded cell after cell ``number`` ('' if none)."""
    for cell in cells[number + 1 :]:
        if utils.is_grade(cell):
            return str(cell.metadata["nbgrader"]["grade_id"])
    return ""


def _readable(value: Any) -> str:
    """A student's answer as a line of text: a stream as ``A → B → C``."""
    if isinstance(value, list) and all(isinstance(step, str) for step in value):
        return " → ".join(value) if value else "(empty)"
    if isinstance(value, dict) and value.get("t") == "dict" and isinstance(value.get("v"), list):
        return "; ".join(f"{_readable(k)}: {_readable(v)}" for k, v in value["v"])
    return str(value)


def _widget_text(question: str, answers: dict[str, dict[str, Any]]) -> str:
    """What a student reads in place of a widget: the answer it gave, as graded."""
    given = answers.get(question, {})
    if not given:
        return WIDGET_NOTE
    lines = [WIDGET_NOTE, f"Your answer to {question}, as graded:"]
    lines += [f"  {name} = {_readable(value)}" for name, value in sorted(given.items())]
    return "\n".join(lines)


def _banner(source: str, pending: bool) -> str:
    """The review banner as a student reads it."""
    reasons = source.split("\n\n", 1)[1] if "\n\n" in source else ""
    if pending:
        head = "**Autograder: needs review.** Your instructor will look at this submission."
    else:
        head = "**Reviewed by hand.** Your instructor has reviewed what the autograder flagged:"
    return f"{head}\n\n{reasons}".strip()


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter with the kit's template and a last guard: a page that
    holds a line of a hidden test is refused (nothing is written)."""

    def __init__(self, **kwargs: Any) -> None:
        # fixed, whatever HTMLExporter settings the caller has (the formgrader sets
        # template_name = 'feedback', nbgrader's own); arguments win over settings
        kwargs.update(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)])
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self.refused: list[str] = []

    def from_notebook_node(  # type: ignore[override]
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        output, resources = super().from_notebook_node(nb, resources, **kw)
        info = (resources or {}).get("nbgrader", {})
        secrets = self._hidden(info.get("assignment"))
        shown = sorted({line for line in secrets if line in output})
        if shown:
            where = f"{info.get('student')}/{info.get('assignment')}/{info.get('notebook')}"
            self.refused.append(where)
            raise FeedbackRefused(
                f"the feedback of {where} would show {len(shown)} line(s) of a hidden test "
                f"(first: {shown[0][:60]!r}); no page was written. Grade the submission again "
                "with 'python -m autograder grade', then write the feedback with "
                "'python -m autograder feedback'"
            )
        return output, resources

    def _hidden(self, assignment: str | None) -> list[str]:
        if not assignment:
            raise FeedbackRefused("a feedback page was asked for without its assignment")
        folder = _source_folder(self, assignment)
        return list(notebook_secrets(folder.glob("*.ipynb"), HIDDEN))
