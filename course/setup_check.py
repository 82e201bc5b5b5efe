"""Is this environment able to run the course? Checks with fix-it messages.

Pure Python: it reads installed versions and the JupyterLab extensions that
the environment ships. Whether the browser really draws widgets can only be
seen in the browser; the start page shows a widget with a plain-text
fallback for that (see :mod:`course.widgets.start`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .where import BROWSER_DRIVE, in_browser

__all__ = ["LAB_ONLY", "REQUIREMENTS", "Check", "run_checks"]

FIX = "Open the course with `make lab` from the kit's folder, which installs what it needs."

#: package -> (lowest version, first version that is too new, or None)
REQUIREMENTS: dict[str, tuple[str, str | None]] = {
    "jupyterlab": ("4.2", "5"),
    "ipywidgets": ("8.1", "9"),
    "ipycytoscape": ("1.3.3", "1.3.4"),
    "nbgrader": ("0.9.6", "0.10"),
}

#: What runs JupyterLab on a machine: not in the browser's kernel, which the site's
#: own JupyterLab (already in the page) talks to.
LAB_ONLY = frozenset({"jupyterlab", "nbgrader"})
BROWSER_FIX = "Reload the page: the course site installs everything in your browser as it opens."

#: front-end extension folder -> what it draws
LAB_EXTENSIONS = {
    "@jupyter-widgets/jupyterlab-manager": "quizzes and all other widgets",
    "jupyter-cytoscape": "the value-stream graphs",
}


@dataclass(frozen=True)
class Check:
    """One check: what was looked at, whether it is fine, and what to do if not."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def _package(name: str, lowest: str, too_new: str | None) -> Check:
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        return Check(name, False, "not installed", FIX)
    found = _version_tuple(version)
    wanted = f">={lowest}" + (f", <{too_new}" if too_new else "")
    if found < _version_tuple(lowest) or (too_new and found >= _version_tuple(too_new)):
        return Check(name, False, f"version {version}, the course needs {wanted}", FIX)
    return Check(name, True, f"version {version}")


def _extension(folder: str, purpose: str, prefixes: list[Path]) -> Check:
    for prefix in prefixes:
        if (prefix / "share" / "jupyter" / "labextensions" / folder / "package.json").exists():
            return Check(f"{folder} (JupyterLab extension)", True, f"draws {purpose}")
    return Check(
        f"{folder} (JupyterLab extension)",
        False,
        f"missing: JupyterLab cannot draw {purpose}",
        FIX,
    )


def _browser_checks() -> list[Check]:
    """In the course site: the course's own packages, and where the work is kept."""
    checks = []
    for name, bounds in REQUIREMENTS.items():
        if name not in LAB_ONLY:
            found = _package(name, *bounds)
            checks.append(
                found if found.ok else Check(found.name, False, found.detail, BROWSER_FIX)
            )
    kept = BROWSER_DRIVE.is_dir()
    checks.append(
        Check(
            "Browser storage",
            kept,
            "your notebooks and progress are saved in this browser"
            if kept
            else "this browser tab has no file storage: your work will not be kept",
            "" if kept else "Allow this site to store data (leave private browsing), then reload.",
        )
    )
    return checks


def run_checks(prefixes: list[Path] | None = None) -> list[Check]:
    """Check Python, the packages and the JupyterLab extensions.

    In the browser (the JupyterLite site) JupyterLab and its extensions are the
    page itself: the packages the course imports and the browser's storage are
    checked instead.
    """
    python_ok = sys.version_info >= (3, 10)
    checks = [
        Check(
            "Python",
            python_ok,
            f"version {sys.version.split()[0]}" + ("" if python_ok else ", the course needs 3.10+"),
            "" if python_ok else "Install Python 3.10 or newer, then run `make lab`.",
        )
    ]
    if in_browser():
        return checks + _browser_checks()
    checks += [_package(name, *bounds) for name, bounds in REQUIREMENTS.items()]
    where = prefixes or [Path(sys.prefix), Path(sys.base_prefix)]
    checks += [_extension(folder, purpose, where) for folder, purpose in LAB_EXTENSIONS.items()]
    return checks
