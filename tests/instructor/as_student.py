"""Run an ``nbgrader`` command as a JupyterHub student: ``as_student.py NAME nbgrader ...``.

On a JupyterHub every student's server commonly runs as the same Unix user, ``jovyan``,
and nbgrader then takes the student's name from ``JUPYTERHUB_USER``. The tests run as a
single Unix user, so this script makes nbgrader see ``jovyan`` and sets
``JUPYTERHUB_USER`` to NAME; the command line itself goes, unchanged, through nbgrader's
own entry point (the ``nbgrader`` console script). Nothing else is altered.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[2] != "nbgrader":
        sys.exit("usage: as_student.py NAME nbgrader SUBCOMMAND [ARGS...]")
    import nbgrader.utils
    from nbgrader.apps.nbgraderapp import main as nbgrader_main

    nbgrader.utils.get_osusername = lambda: "jovyan"
    os.environ["JUPYTERHUB_USER"] = sys.argv[1]
    sys.argv = sys.argv[2:]
    nbgrader_main()


if __name__ == "__main__":
    main()
