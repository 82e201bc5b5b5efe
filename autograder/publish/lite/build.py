"""Fetch what the site is made of (network), and build the site from that alone (none).

The site is a static folder: JupyterLite's JupyterLab, the course's notebooks
as its files, Pyodide's runtime, and a ``pyodide-lock.json`` listing exactly
the wheels beside it, which the kernel preloads (the kit, its widgets, the
kernel's own packages) so the notebooks run unchanged and nothing is fetched
from the public index at run time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.publish.student_files import student_pyproject, student_readme

from .lock import Package, resolve, write_lock
from .sources import KERNEL_PRELOAD, Cache, Sources
from .wheels import LiteError, Wheel

__all__ = ["REPO", "BuildReport", "build", "fetch", "site_config"]

REPO = Path(__file__).resolve().parents[3]
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
_SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "my-work-*.zip", "*.pyc")


@dataclass(frozen=True)
class BuildReport:
    site: Path
    files: int
    size: int  # bytes
    seconds: float
    packages: tuple[str, ...]


def _stage_kit(stage: Path) -> Path:
    """The student's package (``course`` only) in a folder ``pip wheel`` can build."""
    shutil.copytree(REPO / "course", stage / "course", ignore=_SKIP)
    (stage / "pyproject.toml").write_text(student_pyproject((REPO / "pyproject.toml").read_text()))
    (stage / "README.md").write_text(student_readme((REPO / "README.md").read_text()))
    return stage


def _kit_wheel(cache: Cache, scratch: Path) -> Wheel:
    return cache.build_kit_wheel(_stage_kit(scratch / "kit"), scratch / "kit-wheel")


def _packages(cache: Cache, kit: Wheel, *, download: bool) -> tuple[dict[str, Package], Sources]:
    sources = Sources(cache, cache.pyodide_lock(), download=download)
    sources.add(kit)
    return resolve([*KERNEL_PRELOAD, kit.name], sources), sources


def fetch(cache: Cache) -> list[str]:
    """Put every artefact into ``cache`` (what is there already is kept); returns the
    packages the browser gets."""
    cache.root.mkdir(parents=True, exist_ok=True)
    cache.fetch_tools()
    cache.fetch_pyodide()
    cache.fetch_build_deps()
    with tempfile.TemporaryDirectory() as scratch:
        packages, _ = _packages(cache, _kit_wheel(cache, Path(scratch)), download=True)
    return sorted(packages)


def site_config(preload: list[str]) -> dict[str, Any]:
    """``jupyter-lite.json``: the kernel preloads the kit and never asks PyPI."""
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "ITIL 4 Service Value Chain",
            "litePluginSettings": {
                KERNEL_PLUGIN: {
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": {"packages": preload},
                }
            },
        },
    }


def _clear(out: Path) -> None:
    """Empty ``out`` for a fresh build, if it is a site (or nothing) and nothing else."""
    if out.resolve() in (REPO, *REPO.parents) or REPO.resolve().is_relative_to(out.resolve()):
        raise LiteError(f"{out}: will not build a site over the kit's own folder")
    if not out.exists():
        return
    if any(out.iterdir()) and not (out / "jupyter-lite.json").exists():
        raise LiteError(f"{out} is not empty and holds no jupyter-lite.json: not a site to replace")
    shutil.rmtree(out)


def build(source: Path, cache: Cache, out: Path) -> BuildReport:
    """Build the site for the notebooks of ``source`` into ``out``, from ``cache`` only."""
    started = time.monotonic()
    if not source.is_dir() or not list(source.rglob("*.ipynb")):
        raise LiteError(f"{source}: not a folder of notebooks (expected e.g. release/)")
    cache.require(cache.jupyter)
    _clear(out)
    # A fresh lite folder every time: a stale .jupyterlite.doit.db skips steps silently.
    with tempfile.TemporaryDirectory(prefix="lite-") as scratch_name:
        scratch = Path(scratch_name)
        packages, _ = _packages(cache, _kit_wheel(cache, scratch), download=False)
        stage = scratch / "lite"
        pyodide = stage / "static" / "pyodide"
        cache.extract_pyodide(pyodide)
        lock = write_lock(cache.pyodide_lock(), packages, pyodide)
        (pyodide / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
        kit_key = next(k for k, p in packages.items() if p.wheel.name == "itil-svc-course")
        config = site_config([*KERNEL_PRELOAD, kit_key])
        (stage / "jupyter-lite.json").write_text(json.dumps(config, indent=2))
        shutil.copyfile(REPO / "binder" / "overrides.json", stage / "overrides.json")
        contents = scratch / "contents"
        shutil.copytree(source, contents, ignore=_SKIP)
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
        done = subprocess.run(
            [str(cache.jupyter), "lite", "build", "--lite-dir", str(stage),
             "--output-dir", str(out.resolve()), "--contents", str(contents),
             "--no-sourcemaps", "--no-unused-shared-packages"],
            cwd=stage, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
            raise LiteError(f"jupyter lite build failed:\n{tail}")
    files = [p for p in out.rglob("*") if p.is_file()]
    return BuildReport(
        site=out,
        files=len(files),
        size=sum(p.stat().st_size for p in files),
        seconds=time.monotonic() - started,
        packages=tuple(sorted(packages)),
    )
