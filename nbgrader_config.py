"""nbgrader's configuration for this course, read where nbgrader runs.

nbgrader looks for ``nbgrader_config.py`` in the folder it is started in: plain
``nbgrader ...`` commands and JupyterLab's formgrader and Assignments panel,
started in this folder (``make lab`` does), use the course's settings from
``autograder/nbgrader_config.py``, with this folder as the course root. It also
puts this environment's ``bin/`` on ``PATH``, where nbgrader looks for
``alembic`` when it creates the gradebook.

Add your own settings below, for example::

    c.PerDayPenalty.percent_per_day = 5   # the late penalty (default 10 % a day)
    c.ExchangeCollect.check_owner = False  # JupyterHub: every student's files are jovyan's
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
