"""nbgrader's configuration for this course, read where nbgrader runs.

This is the course's one configuration file. nbgrader looks for it in the
folder it is started in: plain ``nbgrader ...`` commands, JupyterLab's
formgrader and Assignments panel started in this folder (``make lab`` does),
and the kit's own ``python -m autograder`` all read it. It applies the kit's
settings once (:mod:`autograder.nbgrader_settings`), with this folder as the
course root, then yours below. It also puts this environment's ``bin/`` on
``PATH``, where nbgrader looks for ``alembic`` when it creates the gradebook.

Add your own settings below, for example::

    c.PerDayPenalty.percent_per_day = 5   # the late penalty (default 10 % a day)
    c.CourseDirectory.course_id = "itil-svc-spring"  # a course of its own on a shared hub
    c.GradingLimits.memory_mb = 2048       # the kit's grader: every limit, with help, in
    c.GradingLimits.workers = 4            # autograder/config.py (python -m autograder grade
                                           # --help lists the per-run overrides)
"""

import sys
from pathlib import Path

_here = Path(__file__).resolve().parent
try:
    from autograder.course_layout import tools_on_path
    from autograder.nbgrader_settings import apply
except ImportError:  # the kit is not installed in this environment: use it from here
    sys.path.insert(0, str(_here))
    from autograder.course_layout import tools_on_path
    from autograder.nbgrader_settings import apply

c = get_config()  # noqa: F821 (nbgrader provides get_config to its config files)
apply(c, root=_here)
tools_on_path()
