"""Where the course runs: a Python on the learner's machine (or Binder), or the browser.

In the course's JupyterLite site the kernel is Pyodide, Python compiled to
WebAssembly, inside the browser tab. JupyterLite mounts its file system at
``/drive``: what is written under it is kept in the browser's own storage
(IndexedDB) and survives a page reload; anything elsewhere (the home folder
included) lives in memory and is gone when the tab is.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["BROWSER_DRIVE", "in_browser"]

#: Where JupyterLite mounts the learner's files in the browser's kernel.
BROWSER_DRIVE = Path("/drive")


def in_browser() -> bool:
    """Whether the kernel is Pyodide in a browser (the JupyterLite site)."""
    return sys.platform == "emscripten"
