"""Shared fixtures for the browser tests: real JupyterLab, real Chromium.

- ``lab``: one JupyterLab server for the session, on 127.0.0.1 and a free
  port, serving a temporary root folder; stopped at the end.
- ``page``: a fresh Playwright page in Debian's ``/usr/bin/chromium``
  (never a downloaded browser).

Under ``CI=true`` a missing Chromium fails the run instead of skipping it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _lab_settings(prefix: Path) -> None:
    """Install the kit's JupyterLab overrides into ``prefix`` (as ``make`` does)."""
    target = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    wanted = json.loads((REPO / "binder" / "overrides.json").read_text())
    if target.exists() and json.loads(target.read_text()) == wanted:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "binder" / "overrides.json", target)


@dataclass
class Lab:
    """A running JupyterLab server and helpers to drive it from a page."""

    url: str
    token: str
    root: Path

    def shutdown_kernels(self) -> None:
        """Stop every kernel of the server (between tests, to free memory)."""
        api = f"{self.url}/api/kernels?token={self.token}"
        with urllib.request.urlopen(api, timeout=10) as response:
            kernels = json.load(response)
        for kernel in kernels:
            request = urllib.request.Request(
                f"{self.url}/api/kernels/{kernel['id']}?token={self.token}", method="DELETE"
            )
            with contextlib.suppress(urllib.error.URLError):
                urllib.request.urlopen(request, timeout=10).close()

    def notebook(self, relpath: str, cells: list[str]) -> str:
        """Write a clean notebook of code cells under ``root``; returns ``relpath``."""
        write_notebook(self.root / relpath, cells)
        return relpath

    def open(self, page: Any, relpath: str, timeout: float = 90_000) -> None:
        """Open the notebook at ``relpath`` (under ``root``) and wait for an idle kernel."""
        # `reset` starts from an empty workspace, so earlier tests' tabs stay closed.
        page.goto(f"{self.url}/lab/tree/{relpath}?reset&token={self.token}")
        # Wait for *this* notebook to be the current one, with an idle kernel.
        page.wait_for_function(
            """(path) => {
                const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                const k = w && w.context && w.context.path === path && w.sessionContext
                    && w.sessionContext.session && w.sessionContext.session.kernel;
                return k && k.status === 'idle'
                    && w.node.querySelector('.jp-Cell') !== null;
            }""",
            arg=relpath,
            timeout=timeout,
        )

    def command(self, page: Any, name: str, args: dict[str, Any] | None = None) -> Any:
        """Run a JupyterLab command (the app is exposed for tests)."""
        return page.evaluate(
            "([n, a]) => window.jupyterapp.commands.execute(n, a)", [name, args or {}]
        )

    def run_all(self, page: Any, timeout: float = 180_000) -> None:
        """Run every cell of the current notebook and wait until all have finished."""
        self.command(page, "notebook:run-all-cells")
        self.wait_idle(page, timeout)

    def wait_idle(self, page: Any, timeout: float = 120_000) -> None:
        """Wait until no cell is queued or running and the kernel is idle."""
        page.wait_for_function(
            """() => {
                const w = window.jupyterapp.shell.currentWidget;
                const k = w.sessionContext.session && w.sessionContext.session.kernel;
                const prompts = [...document.querySelectorAll(
                    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt')];
                return k && k.status === 'idle'
                    && !prompts.some(p => p.textContent.includes('*'));
            }""",
            timeout=timeout,
        )
        page.wait_for_timeout(300)  # let widget views finish rendering

    def save(self, page: Any) -> None:
        """Save the current notebook and wait until it is no longer dirty."""
        self.command(page, "docmanager:save")
        page.wait_for_function(
            "() => !window.jupyterapp.shell.currentWidget.context.model.dirty",
            timeout=30_000,
        )

    def error_outputs(self, page: Any) -> list[str]:
        """Text of every error output shown in the current notebook."""
        return list(
            page.eval_on_selector_all(
                ".jp-NotebookPanel:not(.lm-mod-hidden) "
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
                ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedText[data-mime-type="
                "'application/vnd.jupyter.error']",
                "els => els.map(e => e.textContent)",
            )
        )


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Debian chromium is not installed at {CHROMIUM} (make test installs it as root)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + ": browser tests must run under CI=true")
    pytest.skip(message)


@contextlib.contextmanager
def running_jupyterlab(
    root: Path, env: dict[str, str], log_path: Path
) -> Iterator[tuple[str, str]]:
    """JupyterLab serving ``root`` (and started in it) on 127.0.0.1 and a free port.

    Yields ``(url, token)``; the server is stopped when the block ends.
    """
    port, token = _free_port(), secrets.token_hex(16)
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "jupyter", "lab", "--no-browser",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
                *(["--allow-root"] if os.geteuid() == 0 else []),
            ],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited early:\n{log_path.read_text()}")
                try:
                    with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                        break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    if time.monotonic() > deadline:
                        raise RuntimeError("JupyterLab did not answer within 90 s") from None
                    time.sleep(0.3)
            yield url, token
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A JupyterLab server on 127.0.0.1 for the whole session."""
    _require_chromium()
    _lab_settings(Path(sys.prefix))
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    root.mkdir()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "ITIL_COURSE_DATA": str(base / "course-data"),
    }
    with running_jupyterlab(root, env, base / "lab.log") as (url, token):
        yield Lab(url=url, token=token, root=root)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright.

    Module-scoped on purpose: Playwright's sync API keeps an asyncio loop
    running in the main thread while it is open, which would break any later
    test that calls ``asyncio.run`` (the grading pipeline does).
    """
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page; a screenshot of it is kept in tests/artifacts/ when a test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    if "lab" in request.fixturenames:
        request.getfixturevalue("lab").shutdown_kernels()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def write_notebook(path: Path, cells: list[str]) -> Path:
    """Write a clean notebook of code cells (a helper for browser tests)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
