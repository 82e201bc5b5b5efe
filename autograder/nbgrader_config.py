"""nbgrader configuration for this repository's course.

The course root is the repository root: ``source/`` holds the assignments
with solutions and hidden tests, ``release/`` the student versions, and the
gradebook and student folders (``submitted/``, ``autograded/``, ...) sit
beside them (git-ignored).

Two ways to use it:

- from Python: ``course_config()`` returns a fresh traitlets ``Config``
  (``autograder.release`` and the grading pipeline use it);
- from nbgrader's command line, run in the repository root:
  ``nbgrader autograde 01-what-is-svc --config autograder/nbgrader_config.py``.
  Loaded as a config file, this module applies the same settings to the
  ``c`` that nbgrader passes in.

What it sets, and why:

- a short cell timeout: a lesson cell finishes in well under a second, so an
  infinite loop costs seconds, not nbgrader's default 30;
- ``OverwriteCells.add_missing_cells``: a test cell the student deleted is put
  back (and graded) rather than silently lost; altered test and locked cells
  are restored from the gradebook by nbgrader itself;
- the answer stub: a solution region becomes an empty line, so the release's
  answer cells keep their placeholder (``activities = ...``) and run without
  error instead of raising ``NotImplementedError``;
- :class:`~autograder.widget_answers.WidgetAnswers` right before ``Execute``:
  answers given through widgets reach the grading kernel;
- an in-memory IPython history, and bounded output, for every grading kernel;
- late submissions: :class:`~autograder.late.PerDayPenalty` as nbgrader's
  late-penalty plugin, taking 10 % of a late notebook's points per day (or
  part of a day) late after 15 minutes' grace. Nothing is late until the
  assignment has a due date in the gradebook.

The repository root's ``nbgrader_config.py`` applies these settings, so plain
``nbgrader ...`` commands and JupyterLab's formgrader and Assignments panel
started there use them too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from traitlets.config import Config

__all__ = ["CELL_TIMEOUT", "COURSE_ID", "REPO_ROOT", "apply", "course_config"]

REPO_ROOT = Path(__file__).resolve().parent.parent
COURSE_ID = "itil-svc"
#: Seconds a single cell may run while grading or validating.
CELL_TIMEOUT = 10


def _autograde_steps() -> list[Any]:
    """nbgrader's autograde steps with WidgetAnswers inserted before Execute."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    from autograder.widget_answers import WidgetAnswers

    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    position = steps.index(Execute)
    return [*steps[:position], WidgetAnswers, *steps[position:]]


def apply(c: Any, root: Path = REPO_ROOT) -> Any:
    """Apply the course's settings to config ``c`` (a traitlets Config) and return it."""
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

    c.ClearSolutions.code_stub = {"python": ""}
    c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

    c.Execute.timeout = CELL_TIMEOUT
    c.Execute.interrupt_on_timeout = True
    c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:"]

    c.OverwriteCells.add_missing_cells = True
    c.LimitOutput.max_lines = 200
    c.LimitOutput.max_traceback = 40

    c.Autograde.autograde_preprocessors = _autograde_steps()

    from autograder.late import DEFAULT_GRACE_MINUTES, DEFAULT_PERCENT_PER_DAY, PerDayPenalty

    c.AssignLatePenalties.plugin_class = PerDayPenalty
    c.PerDayPenalty.percent_per_day = DEFAULT_PERCENT_PER_DAY
    c.PerDayPenalty.grace_minutes = DEFAULT_GRACE_MINUTES
    return c


def course_config(root: Path = REPO_ROOT) -> Config:
    """A fresh ``Config`` holding the course's nbgrader settings."""
    config: Config = apply(Config(), root)
    return config


# Loaded by nbgrader as a config file, ``get_config`` is in this module's namespace.
_get_config = globals().get("get_config")
if callable(_get_config):
    apply(_get_config())
