"""JupyterHub's proxy, configurable-http-proxy, from the npm registry into a cache folder.

JupyterHub starts ``configurable-http-proxy`` from ``PATH``. The test installs it with
``npm`` (pinned) into ``.hub-cache/proxy/`` under the repository (git-ignored) once, and
puts its ``node_modules/.bin`` first on the hub's ``PATH``. This is the proxy JupyterHub is
developed against; a young Python port on PyPI (of the same name, 0.4.0) was not tried,
and jupyterhub-traefik-proxy downloads a traefik binary at run time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

__all__ = ["CHP_VERSION", "proxy_bin"]

REPO = Path(__file__).resolve().parents[2]
CHP_VERSION = "5.3.0"
CACHE = REPO / ".hub-cache" / "proxy"


def proxy_bin() -> Path:
    """The folder holding ``configurable-http-proxy`` (installed on first use)."""
    target = CACHE / "node_modules" / ".bin"
    stamp = CACHE / f".installed-{CHP_VERSION}"
    if stamp.exists() and (target / "configurable-http-proxy").exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (make test installs it as root)")
    CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(CACHE),
         f"configurable-http-proxy@{CHP_VERSION}"],
        capture_output=True, text=True, timeout=600, env={**os.environ, "CI": "true"},
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"npm install configurable-http-proxy failed:\n{done.stderr[-3000:]}")
    stamp.touch()
    return target
