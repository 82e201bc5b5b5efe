"""The course as a JupyterLite site, built and used with no network but loopback.

The site is built inside a network namespace that has only loopback
(``unshare -n``), from the cache that ``python -m autograder.publish.lite fetch`` filled
beforehand. It is then served on 127.0.0.1 inside another such namespace, and
Debian's Chromium runs inside that same namespace (``nsenter``): the browser
can reach the server and nothing else. Every request it makes is logged too,
and none may leave 127.0.0.1. In one browser profile, every lesson runs from
top to bottom in the browser's own Python (Pyodide), a quiz question is
answered and a value stream is built by clicks, "Download my work" gives a
zip, and after a reload the progress is still there.

Timings (build, first kernel ready, each lesson) are written to
``tests/artifacts/lite-timings.json``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograder.publish.lite.sources import Cache
from course.scenarios import scenario

from .conftest import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, REPO, _require_chromium
from .lite_support import Isolated, can_isolate, chromium_in, serve_isolated

pytestmark = pytest.mark.slow

CACHE = REPO / ".lite-cache"
LESSONS = sorted((REPO / "release").glob("*/*.ipynb"))
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
WIDGET_ERRORS = ("Error displaying widget", "Failed to load model class", "Traceback")
TIMINGS: dict[str, float] = {}


def _require_isolation() -> None:
    why = can_isolate()
    if why is None and shutil.which("npm") is None and not Cache(CACHE).pyodide_tgz.exists():
        why = "npm is not installed (make test installs it as root): the site needs Pyodide"
    if why is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"cannot build the site with no network: {why}")
    pytest.skip(why)


def _lite(*args: str, isolate: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "autograder.publish.lite", "--cache", str(CACHE), *args]
    return subprocess.run(
        ["unshare", "-n", *command] if isolate else command,
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built inside a network namespace with only loopback."""
    _require_chromium()
    _require_isolation()
    # With network, before the build: downloads into the cache what is not there yet.
    fetched = _lite("fetch")
    assert fetched.returncode == 0, fetched.stderr
    out = tmp_path_factory.mktemp("lite") / "site"
    started = time.monotonic()
    built = _lite("build", "--source", str(REPO / "release"), "--out", str(out), isolate=True)
    TIMINGS["build_seconds"] = round(time.monotonic() - started, 1)
    assert built.returncode == 0, built.stdout + built.stderr
    TIMINGS["site_megabytes"] = round(
        sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 1
    )
    # Let the test drive the app (JupyterLab's own option; the test's copy only).
    config_path = out / "jupyter-lite.json"
    config = json.loads(config_path.read_text())
    config["jupyter-config-data"]["exposeAppInBrowser"] = True
    config_path.write_text(json.dumps(config))
    return out


@pytest.fixture(scope="module")
def isolated(site: Path) -> Iterator[Isolated]:
    with serve_isolated(site) as server:
        yield server


@pytest.fixture(scope="module")
def browsing(isolated: Isolated, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One Chromium profile in the server's namespace; every request is logged."""
    from playwright.sync_api import sync_playwright

    launcher = chromium_in(isolated, tmp_path_factory.mktemp("chromium"), CHROMIUM)
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(launcher), headless=True, args=CHROMIUM_FLAGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 1100})
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("worker", lambda w: w.on("request", lambda r: requests.append(r.url)))
        yield page, requests
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "lite-timings.json").write_text(json.dumps(TIMINGS, indent=2))
        context.close()
        browser.close()


# --- driving JupyterLite ------------------------------------------------------------------------


def _wait_kernel(page: Any, path: str, timeout: float = 180_000) -> None:
    page.wait_for_function(
        """(path) => {
            const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.context && w.context.path === path && w.sessionContext
                && w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle' && w.node.querySelector('.jp-Cell') !== null;
        }""",
        arg=path,
        timeout=timeout,
    )


def _command(page: Any, name: str, args: dict[str, Any] | None = None) -> None:
    page.evaluate(
        "async ([n, a]) => { await window.jupyterapp.commands.execute(n, a); return null; }",
        [name, args or {}],
    )


def _run_all(page: Any, timeout: float = 240_000) -> None:
    _command(page, "notebook:run-all-cells")
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            const k = w.sessionContext.session && w.sessionContext.session.kernel;
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt')];
            const done = p => /\\[\\d+\\]/.test(p.textContent) || p.closest('.jp-MarkdownCell');
            return k && k.status === 'idle' && prompts.every(done);
        }""",
        timeout=timeout,
    )
    page.wait_for_timeout(500)


def _open(page: Any, path: str) -> float:
    """Open ``path`` in the running app; seconds until its kernel is idle."""
    started = time.monotonic()
    _command(page, "docmanager:open", {"path": path})
    _wait_kernel(page, path)
    return time.monotonic() - started


def _close_current(page: Any) -> None:
    page.evaluate(
        """async () => {
            const w = window.jupyterapp.shell.currentWidget;
            await w.sessionContext.shutdown();
            w.context.model.dirty = false;
            w.close();
        }"""
    )


def _errors(page: Any) -> list[str]:
    shown = page.inner_text(PANEL)
    found = [marker for marker in WIDGET_ERRORS if marker in shown]
    found += page.eval_on_selector_all(
        f"{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
        f"{PANEL} .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']",
        "els => els.map(e => e.textContent)",
    )
    return found


def _records(page: Any) -> list[dict[str, Any]]:
    """The learner's records, as the site's file system holds them (none: [])."""
    text = page.evaluate(
        """async () => {
            try {
                const m = await window.jupyterapp.serviceManager.contents.get(
                    'course-progress/records.jsonl', {content: true, type: 'file', format: 'text'});
                return m.content;
            } catch (e) { return ''; }
        }"""
    )
    return [json.loads(line) for line in str(text or "").splitlines() if line.strip()]


def _answer_a_quiz_question(page: Any) -> None:
    card = page.locator(f"{PANEL} .itil-q").filter(has=page.get_by_role("radio")).first
    card.scroll_into_view_if_needed()
    card.get_by_role("radio").first.check()
    card.get_by_role("button", name="Check").click()
    card.locator(".itil-fb").wait_for(timeout=30_000)
    assert "ight" in card.locator(".itil-fb").inner_text()  # "Right." or "Not right: ..."


def _node_point(page: Any, graph: str, node_id: str) -> tuple[float, float]:
    point = page.evaluate(
        """([selector, id]) => {
            const el = document.querySelector(selector);
            const cy = el && el._cyreg && el._cyreg.cy;
            const node = cy && cy.getElementById(id);
            if (!node || node.empty()) return null;
            const box = el.getBoundingClientRect();
            const p = node.renderedPosition();
            return [box.left + p.x, box.top + p.y];
        }""",
        [graph, node_id],
    )
    assert point is not None, f"no node {node_id!r} drawn in {graph}"
    return float(point[0]), float(point[1])


def _steady_point(page: Any, graph: str, node_id: str) -> tuple[float, float]:
    """Where ``node_id`` is drawn, once the page has stopped moving it (scrolling, layout)."""
    point = _node_point(page, graph, node_id)
    for _ in range(20):
        page.wait_for_timeout(300)
        again = _node_point(page, graph, node_id)
        if again == point:
            return point
        point = again
    return point


def _build_a_stream_by_clicks(page: Any) -> None:
    builder = page.locator(f"{PANEL} .itil-stream-builder").first
    builder.scroll_into_view_if_needed()
    graph = f"{PANEL} .itil-stream-graph"
    page.wait_for_function(
        "(s) => { const el = document.querySelector(s);"
        " return el && el._cyreg && el._cyreg.cy.nodes().length >= 6; }",
        arg=graph,
        timeout=60_000,
    )
    for node, said in (("engage", "Engage selected"), ("obtain-build", "Step 2 added")):
        try:
            page.mouse.click(*_steady_point(page, graph, node))
            page.wait_for_function(
                "([sel, text]) => [...document.querySelectorAll(sel)]"
                ".some(e => e.textContent.includes(text))",
                arg=[f"{PANEL} .itil-stream-builder [role=status]", said],
                timeout=60_000,
            )
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"FAILED-lite-click-{node}.png"))
            raise
    builder.get_by_role("button", name="Check").click()
    builder.get_by_text("Saved to your progress").wait_for(timeout=30_000)


def _download_my_work(page: Any, folder: str) -> list[str]:
    button = page.locator(f"{PANEL} button", has_text="Download my work").first
    button.scroll_into_view_if_needed()
    button.click()
    link = page.locator(f"{PANEL} a[download]", has_text="Save my-work-").first
    link.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as download:
        link.click()
    saved = download.value.path()
    with zipfile.ZipFile(io.BytesIO(Path(saved).read_bytes())) as archive:
        return archive.namelist()


# --- the tests ----------------------------------------------------------------------------------


def test_the_site_ships_a_wheel_beside_every_locked_package_and_never_asks_pypi(
    site: Path,
) -> None:
    """Pyodide refuses a wheel whose sha256 differs from its lock entry; a missing wheel
    would send the kernel to the network. The kit is preloaded; no instructor tool ships."""
    folder = site / "static" / "pyodide"
    lock = json.loads((folder / "pyodide-lock.json").read_text())["packages"]
    for key, entry in lock.items():
        wheel = folder / entry["file_name"]
        assert wheel.is_file(), f"{key}: {wheel.name} is not beside the lock"
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"], key
    assert {"itil-svc-course", "ipywidgets", "ipycytoscape", "pyyaml"} <= set(lock)
    assert not {"nbgrader", "jupyterlab", "nbclient"} & set(lock)
    assert lock["pyyaml"]["file_name"].endswith("-none-any.whl")
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert "itil-svc-course" in kernel["loadPyodideOptions"]["packages"]
    assert kernel["pyodideUrl"].startswith("./static/pyodide/")
    assert sorted(p.relative_to(site / "files") for p in (site / "files").rglob("*.ipynb")) == [
        p.relative_to(REPO / "release") for p in LESSONS
    ]


def test_every_lesson_runs_and_a_quiz_a_stream_and_a_download_work_by_clicks(
    browsing: Any, isolated: Isolated
) -> None:
    page, _ = browsing
    start = "00-start-here/00-start-here.ipynb"
    started = time.monotonic()
    page.goto(f"{isolated.url}/lab/index.html?path={start}")
    _wait_kernel(page, start)
    TIMINGS["first_kernel_ready_seconds"] = round(time.monotonic() - started, 1)
    assert _records(page) == []

    for lesson in LESSONS:
        path = f"{lesson.parent.name}/{lesson.name}"
        if path != start:
            TIMINGS[f"{lesson.stem}_kernel_ready_seconds"] = round(_open(page, path), 1)
        began = time.monotonic()
        _run_all(page)
        TIMINGS[f"{lesson.stem}_run_all_seconds"] = round(time.monotonic() - began, 1)
        assert _errors(page) == [], f"{lesson.name} shows errors"
        assert page.locator(f"{PANEL} .itil-quiz").count() == lesson.read_text().count(
            "course.quiz("
        )
        if lesson.stem == "00-start-here":
            text = page.inner_text(PANEL)
            assert "You are running the course in your browser" in text
            assert "Problem" not in text  # every set-up check passes in the browser
        if lesson.stem == "01-what-is-svc":
            _answer_a_quiz_question(page)
            names = _download_my_work(page, lesson.parent.name)
            assert f"{lesson.parent.name}/{lesson.name}" in names
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "lite-lesson-01.png"))
        if lesson.stem == "04-value-streams":
            _build_a_stream_by_clicks(page)
            page.screenshot(path=str(ARTIFACTS / "lite-lesson-04-builder.png"))
        _close_current(page)

    kinds = sorted(r["kind"] for r in _records(page))
    assert kinds == ["quiz", "stream"]


def test_progress_is_still_there_after_a_reload(browsing: Any, isolated: Isolated) -> None:
    """The records live in the site's file system (the browser's storage), not in the
    kernel's memory: a reload and a new kernel find them, and the progress view shows them."""
    page, _ = browsing
    start = "00-start-here/00-start-here.ipynb"
    page.goto(f"{isolated.url}/lab/index.html?path={start}")
    _wait_kernel(page, start)
    records = _records(page)
    assert sorted(r["kind"] for r in records) == ["quiz", "stream"]
    built = next(r["item"] for r in records if r["kind"] == "stream")
    _run_all(page)
    progress = (
        page.locator(f"{PANEL} .jp-OutputArea-output")
        .filter(has_text="Refresh")  # the progress view (the review follows it)
        .last.inner_text()
    )
    assert "in progress" in progress, progress
    assert scenario(built).title in progress  # the stream built before the reload
    page.screenshot(path=str(ARTIFACTS / "lite-progress-after-reload.png"))


def test_no_request_left_127_0_0_1(browsing: Any, isolated: Isolated) -> None:
    _, requests = browsing
    assert requests, "no request was logged"
    outside = [
        u for u in requests
        if not u.startswith((f"{isolated.url}/", "data:", "blob:", "about:"))
    ]  # fmt: skip
    assert outside == []
