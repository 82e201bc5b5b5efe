"""Start JupyterHub for a test: the README's configuration, this run's folders and ports.

The hub runs as root from the kit's shared environment with ``tests/hub/jupyterhub_config.py``
(the file the README quotes) loaded first; the run's own configuration then adds only
what a test machine needs: the site's nbgrader configuration from a temporary folder
instead of ``/etc/jupyter``, and the JupyterLab app exposed to the test's browser. The
hub, its proxy and its API listen on 127.0.0.1 and free ports; everything is stopped when
the block ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HUB_CONFIG", "Hub", "running_hub"]

HERE = Path(__file__).resolve().parent
HUB_CONFIG = HERE / "jupyterhub_config.py"

_RUN_CONFIG = """\
c = get_config()  # noqa: F821
load_subconfig({readme!r})  # noqa: F821 (the README's configuration, unchanged)
# This test run only: the site configuration from {site!r} instead of /etc/jupyter,
# and JupyterLab's app exposed to the test's browser.
c.Spawner.environment["JUPYTER_CONFIG_PATH"] = {site!r}
c.Spawner.args = ["--LabApp.expose_app_in_browser=True"]
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
"""


@dataclass(frozen=True)
class Hub:
    url: str
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/hub/api", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"JupyterHub did not answer within 90 s:\n{log.read_text()[-4000:]}"
                ) from None
            time.sleep(0.3)


@contextlib.contextmanager
def running_hub(workdir: Path, kit: Path, proxy_bin: Path, site_config: Path) -> Iterator[Hub]:
    """JupyterHub on 127.0.0.1 (run from ``workdir``, where its database goes)."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "jupyterhub_config.py"
    config.write_text(_RUN_CONFIG.format(readme=str(HUB_CONFIG), site=str(site_config)))
    port, hub_port, api_port = _free_port(), _free_port(), _free_port()
    env = {
        "PATH": os.pathsep.join(
            [str(proxy_bin), str(kit / "bin"), "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        ),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
    }
    log = workdir / "jupyterhub.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(kit / "bin" / "jupyterhub"), "-f", str(config), "--ip", "127.0.0.1",
             "--port", str(port), f"--JupyterHub.hub_port={hub_port}",
             f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{api_port}"],
            cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            _wait_until_up(url, proc, log)
            yield Hub(url, log)
        finally:
            # SIGTERM: the hub stops the users' servers and its proxy, then exits.
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
