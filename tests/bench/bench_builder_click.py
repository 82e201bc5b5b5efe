"""Benchmark: a click in the value-stream builder until its feedback shows.

Run by ``make bench`` (or ``.venv/bin/python tests/bench/bench_builder_click.py``).
In one JupyterLab session and one Chromium page it measures, in the page
itself, the time from the real mouse-down to the moment the answer is on
screen:

- baseline: a bare ipywidgets Button whose Python callback sets a Label;
- builder: a click on a node of the cytoscape graph until the builder's
  status line changes (selecting a source, or adding a step and its edge);
- check: the builder's Check button until the feedback panel shows.

It prints the medians (each over at least 20 clicks) and their ratios to the
baseline, and exits 1 when the builder's median click is more than
``TARGET`` times the baseline's.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.browser import conftest as harness  # noqa: E402

TARGET = 1.5
CLICKS = 24
WARM_UP = 4
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
GRAPH = f"{PANEL} .itil-stream-graph"
STATUS = f"{PANEL} .itil-stream-builder [role=status]"
FEEDBACK_MARK = "checks met"

CELLS = [
    "import ipywidgets as w\n"
    "count = [0]\n"
    "label = w.Label('0')\n"
    "button = w.Button(description='Bare button')\n"
    "def bump(_):\n"
    "    count[0] += 1\n"
    "    label.value = str(count[0])\n"
    "button.on_click(bump)\n"
    "w.VBox([button, label], _dom_classes=['bench-baseline'])",
    "import course\nb = course.builder('new-service-request')\nb",
]

# In the page: the time of the last mouse-down, and an observer that stamps
# the moment an element's text first contains what we wait for.
PROBE = """() => {
    window.__bench = {start: 0, end: 0};
    window.addEventListener('mousedown', () => {
        window.__bench.start = performance.now();
        window.__bench.end = 0;
    }, true);
    window.__benchWatch = (selector, text) => {
        // watch the cell's whole output: an HTML widget replaces its content
        const el = document.querySelector(selector).closest('.jp-OutputArea-output')
            || document.body;
        const done = () => [...document.querySelectorAll(selector)]
            .some(e => (e.textContent || '').includes(text));
        const observer = new MutationObserver(() => {
            if (!window.__bench.end && done()) {
                window.__bench.end = performance.now();
                observer.disconnect();
            }
        });
        observer.observe(el, {subtree: true, childList: true, characterData: true});
    };
}"""


class _TempFactory:
    """Enough of pytest's TempPathFactory for the shared ``lab`` fixture."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def mktemp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.root))


@contextmanager
def running_lab() -> Iterator[harness.Lab]:
    """The browser tests' JupyterLab server (tests/browser/conftest.py), outside pytest."""
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as root:
        server = harness.lab.__wrapped__(_TempFactory(Path(root)))  # type: ignore[attr-defined]
        try:
            yield next(server)
        finally:
            server.close()


def timed_click(page: Any, x: float, y: float, watch: str, text: str) -> float:
    """Milliseconds from mouse-down at (x, y) until ``watch`` shows ``text``."""
    page.evaluate("([s, t]) => window.__benchWatch(s, t)", [watch, text])
    page.mouse.click(x, y)
    page.wait_for_function("() => window.__bench.end > 0", timeout=30_000)
    return float(page.evaluate("() => window.__bench.end - window.__bench.start"))


def centre(page: Any, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def node_centre(page: Any, node_id: str) -> tuple[float, float]:
    point = page.evaluate(
        """([selector, id]) => {
            const el = document.querySelector(selector);
            const p = el._cyreg.cy.getElementById(id).renderedPosition();
            const box = el.getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        [GRAPH, node_id],
    )
    return float(point[0]), float(point[1])


def baseline(page: Any, clicks: int) -> list[float]:
    x, y = centre(page, f"{PANEL} .bench-baseline button")
    label = f"{PANEL} .bench-baseline .widget-label"
    times = []
    for n in range(1, clicks + WARM_UP + 1):
        elapsed = timed_click(page, x, y, label, str(n))
        if n > WARM_UP:
            times.append(elapsed)
    return times


def builder_clicks(page: Any, clicks: int) -> tuple[list[float], list[float]]:
    """Alternating clicks: select the stream's end, then connect the next activity."""
    flow = ["engage", "plan", "design-transition", "obtain-build", "deliver-support", "improve"]
    names = {
        "engage": "Engage",
        "plan": "Plan",
        "design-transition": "Design & Transition",
        "obtain-build": "Obtain/Build",
        "deliver-support": "Deliver & Support",
        "improve": "Improve",
    }
    page.locator(GRAPH).scroll_into_view_if_needed()
    points = {node: node_centre(page, node) for node in flow}
    selects: list[float] = []
    connects: list[float] = []
    steps = 1
    current = flow[0]
    total = clicks + WARM_UP
    for n in range(total // 2 + 1):
        target = flow[(flow.index(current) + 1) % len(flow)]
        elapsed = timed_click(page, *points[current], STATUS, f"{names[current]} selected")
        if 2 * n >= WARM_UP:
            selects.append(elapsed)
        steps += 1
        elapsed = timed_click(page, *points[target], STATUS, f"Step {steps} added")
        if 2 * n + 1 >= WARM_UP:
            connects.append(elapsed)
        current = target
    return selects, connects


def check_clicks(page: Any, clicks: int) -> list[float]:
    button = page.locator(f"{PANEL} .itil-stream-builder button", has_text="Check")
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    times = []
    for n in range(clicks + WARM_UP):
        # the feedback panel is rewritten on every check: wait for its attempt number
        elapsed = timed_click(page, x, y, f"{PANEL} .itil-stream-builder", f"attempt {n + 1})")
        if n >= WARM_UP:
            times.append(elapsed)
    return times


def main() -> int:
    from playwright.sync_api import sync_playwright

    with running_lab() as lab, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=harness.CHROMIUM, headless=True, args=harness.CHROMIUM_FLAGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        path = lab.notebook("bench/builder_click.ipynb", CELLS)
        lab.open(page, path)
        lab.run_all(page)
        page.wait_for_function(
            "(s) => { const e = document.querySelector(s); return e && e._cyreg; }", arg=GRAPH
        )
        page.evaluate(PROBE)
        base = baseline(page, CLICKS)
        selects, connects = builder_clicks(page, CLICKS)
        checks = check_clicks(page, 20)
        browser.close()

    clicks = selects + connects
    rows = [
        ("bare Button -> Label (baseline)", base),
        ("builder node click -> status (all)", clicks),
        ("  selecting a source", selects),
        ("  adding a step and its edge", connects),
        ("builder Check -> feedback", checks),
    ]
    reference = statistics.median(base)
    print(f"value-stream builder click round trip (median of n, in the page; {len(base)}+ clicks)")
    for label, times in rows:
        median = statistics.median(times)
        print(f"  {label:38} n={len(times):3}  median {median:7.1f} ms  {median / reference:5.2f}x")
    ratio = statistics.median(clicks) / reference
    verdict = "OK" if ratio <= TARGET else "TOO SLOW"
    print(f"  builder click / baseline = {ratio:.2f}x (target <= {TARGET}x): {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
