"""The course kit's nbgrader settings: one function, applied once per configuration.

The course root is the repository root: ``source/`` holds the assignments
with solutions and hidden tests, ``release/`` the student versions, and the
gradebook and student folders (``submitted/``, ``autograded/``, ...) sit
beside them (git-ignored).

There is one configuration file, the course root's ``nbgrader_config.py``: it
calls :func:`apply` and then holds the instructor's own settings, so plain
``nbgrader ...`` commands, JupyterLab's formgrader and the kit's own grader
(:func:`autograder.course_layout.load_nbgrader_config`) all read the same
settings, applied once. From Python, :func:`course_config` returns a fresh
``Config`` with these settings (``release`` uses it).

What it sets, and why:

- a short cell timeout: a lesson cell finishes in well under a second, so an
  infinite loop costs seconds, not nbgrader's default 30 (the kit's grader
  reads it too, unless ``c.GradingLimits.cell_timeout`` is set);
- ``OverwriteCells.add_missing_cells``: a test cell the student deleted is put
  back (and graded) rather than silently lost; altered test and locked cells
  are restored from the gradebook by nbgrader itself;
- the answer stub: a solution region becomes an empty line, so the release's
  answer cells keep their placeholder (``activities = ...``) and run without
  error instead of raising ``NotImplementedError``;
- :class:`~autograder.engine.widget_answers.WidgetAnswers` right before
  ``Execute``: answers given through widgets reach nbgrader's own grading
  kernel (the kit's grader reads them from the submitted file itself);
- an in-memory IPython history, and bounded output, for nbgrader's grading
  kernels (the kit's grader bounds output with ``c.GradingLimits``);
- feedback: nbgrader's ``GenerateFeedback`` (the formgrader's **Generate
  Feedback** button and ``nbgrader generate_feedback``) runs the kit's steps and
  exporter (:mod:`autograder.outputs.feedback_steps`), so every route writes the
  kit's page: no hidden test, the questions by name, hand scores and the late
  penalty named, nothing loaded from the network; and ``release_feedback`` (the
  command and the formgrader's **Release Feedback** button) writes each page
  again from the gradebook before releasing it
  (:mod:`autograder.outputs.feedback_release`), so a review by hand is never
  left out;
- late submissions: :class:`~autograder.engine.late_penalty.PerDayPenalty` as
  nbgrader's late-penalty plugin, taking 10 % of a late notebook's points per
  day (or part of a day) late after 15 minutes' grace. Nothing is late until
  the assignment has a due date in the gradebook.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

from traitlets.config import Config

__all__ = [
    "CELL_TIMEOUT",
    "COURSE_ID",
    "FEEDBACK_EXPORTER",
    "FEEDBACK_STEPS",
    "REPO_ROOT",
    "applied",
    "apply",
    "course_config",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
COURSE_ID = "itil-svc"
#: Seconds a single cell may run while grading or validating.
CELL_TIMEOUT = 10

#: nbgrader's feedback converter's steps and exporter (autograder/outputs/feedback_steps.py).
FEEDBACK_STEPS = (
    "autograder.outputs.feedback_steps.FeedbackGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "autograder.outputs.feedback_steps.FeedbackCleanup",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
)
FEEDBACK_EXPORTER = "autograder.outputs.feedback_steps.FeedbackExporter"

#: The configurations :func:`apply` has set up (by identity: a Config is a dict).
_APPLIED: list[weakref.ref[Config]] = []


def _autograde_steps() -> list[Any]:
    """nbgrader's autograde steps with WidgetAnswers inserted before Execute."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    from autograder.engine.widget_answers import WidgetAnswers

    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    position = steps.index(Execute)
    return [*steps[:position], WidgetAnswers, *steps[position:]]


def apply(c: Any, root: Path = REPO_ROOT) -> Any:
    """Apply the course's settings to config ``c`` (a traitlets Config) and return it."""
    _APPLIED[:] = [r for r in _APPLIED if r() is not None]
    _APPLIED.append(weakref.ref(c))
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.source_directory = "source"
    c.CourseDirectory.release_directory = "release"
    c.CourseDirectory.ignore = [
        ".ipynb_checkpoints",
        "*.pyc",
        "__pycache__",
        "feedback",
        ".widget_answers.json",
        "my-work-*.zip",  # the "Download my work" zips: a copy, not the work
    ]

    # collect copies no link and takes the time from the exchange, not timestamp.txt
    c.ExchangeFactory.collect = "autograder.intake.exchange.SafeCollect"
    # release_feedback writes each page again from the gradebook first (after a review)
    c.ExchangeFactory.release_feedback = "autograder.outputs.feedback_release.FreshReleaseFeedback"

    c.ClearSolutions.code_stub = {"python": ""}
    c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

    c.Execute.timeout = CELL_TIMEOUT
    c.Execute.interrupt_on_timeout = True
    c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:"]

    c.OverwriteCells.add_missing_cells = True
    c.LimitOutput.max_lines = 200
    c.LimitOutput.max_traceback = 40

    c.Autograde.autograde_preprocessors = _autograde_steps()

    # by import path: the feedback steps load only when feedback is written
    c.GenerateFeedback.preprocessors = list(FEEDBACK_STEPS)
    c.GenerateFeedback.exporter_class = FEEDBACK_EXPORTER

    from autograder.engine.late_penalty import (
        DEFAULT_GRACE_MINUTES,
        DEFAULT_PERCENT_PER_DAY,
        PerDayPenalty,
    )

    c.AssignLatePenalties.plugin_class = PerDayPenalty
    c.PerDayPenalty.percent_per_day = DEFAULT_PERCENT_PER_DAY
    c.PerDayPenalty.grace_minutes = DEFAULT_GRACE_MINUTES
    return c


def course_config(root: Path = REPO_ROOT) -> Config:
    """A fresh ``Config`` holding the course's nbgrader settings."""
    config: Config = apply(Config(), root)
    return config


def applied(config: Config) -> bool:
    """Whether :func:`apply` has set up ``config`` (a course file that calls it has)."""
    return any(r() is config for r in _APPLIED)
