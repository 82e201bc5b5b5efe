"""What the instructor does in the browser on the hub: collect, grade, write and release
the feedback, from a notebook in their own JupyterLab.

The notebook is saved into the instructor's home through their own server (JupyterLab's
contents client, with the browser's session), opened in JupyterLab and run; each cell runs
one of the README's commands in the course folder, from the kit environment the hub gives
every server, and ends with the command's exit status. The outputs are read from the page.
"""

from __future__ import annotations

import shlex
from typing import Any

from .student import PANEL, Session

__all__ = ["EXIT", "grading_cells", "run_grading_notebook"]

#: What each cell prints last: the exit status of its command.
EXIT = "exit status: "


def grading_cells(course: str, commands: list[list[str]]) -> list[str]:
    """One bash cell per command, run in the folder ``course`` (relative to the home);
    stderr joins stdout, so the page shows the command's whole log."""
    folder = shlex.quote(course)
    return [f'%%bash\ncd {folder} && {shlex.join(argv)} 2>&1\necho "{EXIT}$?"' for argv in commands]


def _notebook(cells: list[str]) -> dict[str, Any]:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return dict(nb)


def run_grading_notebook(session: Session, path: str, cells: list[str]) -> list[str]:
    """Save a notebook of ``cells`` at ``path`` through the instructor's server, open it,
    run all its cells and wait until they are done. The text each cell's output shows."""
    page = session.page
    page.evaluate(
        "([path, content]) => window.jupyterapp.serviceManager.contents.save(path,"
        " {type: 'notebook', format: 'json', content})",
        [path, _notebook(cells)],
    )
    session.lab.command(page, "docmanager:open", {"path": path})
    session.wait_for_notebook(path)
    session.lab.run_all(page, timeout=300_000)
    session.lab.save(page)
    outputs: list[str] = page.eval_on_selector_all(
        f"{PANEL} .jp-CodeCell",
        "cells => cells.map(c => {"
        "  const o = c.querySelector('.jp-OutputArea'); return o ? o.textContent : ''; })",
    )
    return outputs
