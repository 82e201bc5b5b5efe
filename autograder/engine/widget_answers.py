"""Hand the answers a student gave through widgets to the grading kernel.

A student may answer a graded question with a quiz question or the
value-stream builder instead of typing it. JupyterLab (with the kit's
``overrides.json``) saves every widget's state into the notebook file, at
``metadata.widgets["application/vnd.jupyter.widget-state+json"].state``; a
graded widget's state carries its ``question_id`` and its answer (``response``
for quiz questions, ``steps`` for the builder). nbgrader re-runs the notebook
in a fresh kernel with no browser, where those widgets start empty, so the
answers must be read from the file before execution.

Interface (three names):

- :func:`notebook_widget_answers` ``(nb) -> {question_id: answer}``: the answers in a
  notebook's saved widget state, as plain JSON values. When several widgets
  answer one question, the newest (last saved) non-empty one wins.
- :func:`write_answers` ``(folder, answers) -> Path``: writes them as JSON to
  ``folder/.widget_answers.json``, where :func:`course.graded.widget_answer`
  looks in the kernel's working directory. (Set ``ITIL_WIDGET_ANSWERS`` in the
  kernel's environment to use another path.)
- :class:`WidgetAnswers`: an nbconvert preprocessor doing both for the
  notebook being converted, into its folder (``resources["metadata"]["path"]``,
  which is the kernel's working directory), and leaving the answers in
  ``resources["widget_answers"]``, for nbgrader's own ``autograde``: put it
  right before ``Execute`` in ``Autograde.autograde_preprocessors``
  (:mod:`autograder.nbgrader_settings` does). The kit's grader does not use it:
  it reads the answers once with the submission
  (:mod:`autograder.intake.submission`) and writes them with
  :func:`write_answers`. It always writes the file, even empty, so a file the student
  submitted never stands in for their answers.

Nothing here trusts the file: a malformed or hostile widget state yields no
answer for that widget, never an exception.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from course.graded import ANSWERS_FILE, JSON, STATE_MIME, notebook_widget_answers

__all__ = ["STATE_MIME", "WidgetAnswers", "notebook_widget_answers", "write_answers"]


def write_answers(folder: str | Path, answers: Mapping[str, JSON]) -> Path:
    """Write ``answers`` where the grading kernel (working in ``folder``) reads them."""
    path = Path(folder) / ANSWERS_FILE
    path.write_text(json.dumps(dict(answers), sort_keys=True, indent=1), encoding="utf-8")
    return path


class WidgetAnswers(Preprocessor):
    """Read graded widget answers from the notebook and leave them for the kernel."""

    # nbconvert runs a registered preprocessor only when it is enabled.
    enabled = Bool(True, help="Whether to hand widget answers to the kernel.").tag(config=True)

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        answers = notebook_widget_answers(nb)
        resources["widget_answers"] = answers
        folder = (resources.get("metadata") or {}).get("path") or "."
        path = write_answers(folder, answers)
        self.log.debug("widget answers for %s written to %s", sorted(answers), path)
        return nb, resources
