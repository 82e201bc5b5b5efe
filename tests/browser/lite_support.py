"""A network namespace with only loopback, for the JupyterLite site's tests.

:func:`serve_isolated` starts ``http.server`` for a folder inside a new
network namespace (``unshare -n``) in which it first brings the loopback
interface up and proves that nothing else is reachable.
:func:`chromium_in` writes a launcher that runs Debian's Chromium inside that
same namespace (``nsenter``), so the browser can reach the server and
nothing beyond it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Isolated", "can_isolate", "chromium_in", "serve_isolated"]

# Run by `unshare -n python -c SERVER <folder> <port>`.
SERVER = r"""
import fcntl, functools, http.server, socket, struct, sys

folder, port = sys.argv[1], int(sys.argv[2])
# Bring up `lo` (a new network namespace starts with it down): SIOCGIFFLAGS, SIOCSIFFLAGS.
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    flags = struct.unpack("16sH", fcntl.ioctl(s, 0x8913, struct.pack("16sH22x", b"lo", 0))[:18])[1]
    fcntl.ioctl(s, 0x8914, struct.pack("16sH22x", b"lo", flags | 1))
# Prove the isolation: the outside world is unreachable, names do not resolve.
for target in (("1.1.1.1", 443), ("8.8.8.8", 53)):
    try:
        socket.create_connection(target, timeout=3).close()
        print("REACHABLE", target, flush=True)
        sys.exit(3)
    except OSError:
        pass
try:
    socket.getaddrinfo("pypi.org", 443)
    print("RESOLVES pypi.org", flush=True)
    sys.exit(3)
except OSError:
    pass

class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".whl": "application/zip",
    }
    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(
    ("127.0.0.1", port), functools.partial(Handler, directory=folder)
)
print("READY", flush=True)
server.serve_forever()
"""


def can_isolate() -> str | None:
    """Why a network namespace cannot be made here, or ``None`` when it can."""
    for tool in ("unshare", "nsenter"):
        if shutil.which(tool) is None:
            return f"`{tool}` (util-linux) is not installed"
    done = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return f"`unshare -n` is not allowed here ({done.stderr.strip()}): it needs root"
    return None


@dataclass(frozen=True)
class Isolated:
    """A server in its own network namespace: its pid names the namespace."""

    pid: int
    url: str


@contextlib.contextmanager
def serve_isolated(folder: Path, port: int = 8765) -> Iterator[Isolated]:
    """Serve ``folder`` on 127.0.0.1 inside a new network namespace; stopped at the end."""
    proc = subprocess.Popen(
        ["unshare", "-n", sys.executable, "-c", SERVER, str(folder), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        if first != "READY":
            _, err = proc.communicate(timeout=10)
            raise RuntimeError(f"the isolated server did not start: {first!r} {err[-2000:]}")
        yield Isolated(pid=proc.pid, url=f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def chromium_in(isolated: Isolated, folder: Path, chromium: str) -> Path:
    """A launcher that runs ``chromium`` in ``isolated``'s network namespace."""
    launcher = folder / "chromium-isolated"
    launcher.write_text(
        f'#!/bin/sh\nexec nsenter --net=/proc/{isolated.pid}/ns/net -- {chromium} "$@"\n'
    )
    os.chmod(launcher, 0o755)
    return launcher
