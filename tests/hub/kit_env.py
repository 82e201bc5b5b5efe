"""The kit installed for every user of the hub: a virtual environment they can all run.

The kit's own ``.venv`` is often out of reach of other users: its interpreter may live in
root's home (pyenv) and the repository in a private folder. So the hub test installs the
kit, as a hub administrator would, into an environment every user can read and run: made
from an interpreter everyone can execute (``/usr/bin/python3`` where there is one), with
``<repo>[instructor]`` (JupyterLab, nbgrader, the grader) and JupyterHub (for
``jupyterhub-singleuser``) at the version the hub runs. It is kept between runs in a
cache folder, keyed by what it was built from (first build: about 80 s on 2 cores), and
the kit itself is reinstalled from the working tree on every run (about 6 s), so the test
always runs the code under test.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from importlib import metadata
from pathlib import Path

__all__ = ["KIT_CACHE", "everyone_can_run", "shared_kit"]

REPO = Path(__file__).resolve().parents[2]
#: Where the shared environments are kept: world-readable, owned by root.
KIT_CACHE = Path(os.environ.get("ITIL_HUB_KIT_CACHE", "/var/tmp/itil-svc-hub-kit"))
_CANDIDATES = ("/usr/bin/python3", "/usr/local/bin/python3")


def everyone_can_run(path: Path) -> bool:
    """Whether any user may execute ``path``: every folder up to / is world-searchable and
    the file (after links) is world-executable."""
    real = path.resolve()
    if not real.is_file() or not real.stat().st_mode & stat.S_IXOTH:
        return False
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in real.parents)


def _base_interpreter() -> Path:
    for candidate in (getattr(sys, "_base_executable", ""), *_CANDIDATES):
        if not candidate:
            continue
        path = Path(candidate)
        if path.exists() and everyone_can_run(path):
            version = subprocess.run(
                [str(path), "-c", "import sys; print(sys.version_info[:2] >= (3, 10))"],
                capture_output=True, text=True, check=False,
            ).stdout.strip()  # fmt: skip
            if version == "True":
                return path
    raise RuntimeError(
        "no Python 3.10+ interpreter that every user may run (tried this one, "
        f"{', '.join(_CANDIDATES)}): install Debian's python3 and python3-venv"
    )


def _pip(venv: Path, *args: str) -> None:
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q", *args],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"pip {' '.join(args)} failed in {venv}:\n{done.stderr[-3000:]}")


def _check_cache_folder(folder: Path) -> None:
    """The cache runs code for every user: it must be root's and writable by no one else."""
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid != 0 or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise RuntimeError(
            f"{folder} must be owned by root and not writable by others (it holds the "
            "environment every hub user runs): remove it, or set ITIL_HUB_KIT_CACHE"
        )


def shared_kit() -> Path:
    """A virtual environment with the kit (this working tree) that every user can run."""
    base = _base_interpreter()
    hub_version = metadata.version("jupyterhub")
    built_from = [(REPO / "pyproject.toml").read_bytes(), hub_version.encode(), str(base).encode()]
    key = hashlib.sha256(b"\0".join(built_from)).hexdigest()[:12]
    _check_cache_folder(KIT_CACHE)
    venv = KIT_CACHE / f"kit-{key}"
    if not (venv / ".complete").exists():
        for old in KIT_CACHE.glob("kit-*"):  # built from an older pyproject.toml
            shutil.rmtree(old, ignore_errors=True)
        subprocess.run([str(base), "-m", "venv", str(venv)], check=True, timeout=300)
        _pip(venv, "install", "setuptools>=68", "wheel")
        _pip(venv, "install", f"{REPO}[instructor]", f"jupyterhub=={hub_version}")
        (venv / ".complete").touch()
    # The code under test, not the one the environment was first built with.
    shutil.rmtree(REPO / "build", ignore_errors=True)
    _pip(venv, "install", "--no-deps", "--no-build-isolation", "--force-reinstall", str(REPO))
    shutil.rmtree(REPO / "build", ignore_errors=True)
    # The kit's JupyterLab settings (widget state saved in the notebook), as `make` does.
    settings = venv / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "binder" / "overrides.json", settings / "overrides.json")
    subprocess.run(["chmod", "-R", "a+rX,go-w", str(venv)], check=True)
    if not everyone_can_run(venv / "bin" / "python"):
        raise RuntimeError(f"{venv}/bin/python cannot be run by every user")
    return venv
