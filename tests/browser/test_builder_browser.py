"""The value-stream builder in real Chromium against JupyterLab.

This is also the alarm for ipycytoscape 1.3.3 (unmaintained): if a newer
JupyterLab stops rendering it or stops delivering node clicks to Python, these
tests fail.
"""

from __future__ import annotations

import json
from typing import Any

from course.practice import exercises

from .conftest import ARTIFACTS, REPO, Lab

RELEASE = REPO / "release"

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in front
BUILDER = f"{PANEL} .itil-stream-builder"
GRAPH = f"{PANEL} .itil-stream-graph"
STATUS = f"{BUILDER} [role=status]"

CELLS = [
    "import course\nb = course.builder('incident-resolution', question_id='practice-stream')\nb",
    "print('STREAM', b.stream)",
]


def node_point(page: Any, selector: str, node_id: str) -> tuple[float, float]:
    """Where node ``node_id`` of the cytoscape graph in ``selector`` is drawn on the page.

    cytoscape.js registers its instance on the container element
    (``container._cyreg.cy``); the node's rendered position is relative to
    that container.
    """
    point = page.evaluate(
        """([selector, id]) => {
            const el = document.querySelector(selector);
            const cy = el && el._cyreg && el._cyreg.cy;
            if (!cy) return null;
            const node = cy.getElementById(id);
            if (node.empty()) return null;
            const box = el.getBoundingClientRect();
            const p = node.renderedPosition();
            return [box.left + p.x, box.top + p.y];
        }""",
        [selector, node_id],
    )
    assert point is not None, f"no cytoscape node {node_id!r} in {selector}"
    return float(point[0]), float(point[1])


def click_node(page: Any, node_id: str) -> None:
    x, y = node_point(page, GRAPH, node_id)
    page.mouse.click(x, y)


def wait_status(page: Any, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => [...document.querySelectorAll(sel)]"
        ".some(e => e.textContent.includes(text))",
        arg=[STATUS, text],
        timeout=20_000,
    )


def cy_edges(page: Any) -> list[dict[str, str]]:
    return list(
        page.evaluate(
            """(selector) => document.querySelector(selector)._cyreg.cy.edges()
                .map(e => ({source: e.source().id(), target: e.target().id(),
                            label: e.data('label')}))""",
            GRAPH,
        )
    )


def open_builder(lab: Lab, page: Any, name: str) -> str:
    path = lab.notebook(f"builder/{name}.ipynb", CELLS)
    lab.open(page, path)
    lab.run_all(page)
    page.wait_for_selector(f"{GRAPH} canvas", timeout=30_000)
    page.wait_for_function(
        "(s) => { const el = document.querySelector(s);"
        " return el && el._cyreg && el._cyreg.cy.nodes(':childless')"
        ".filter(n => !n.hasClass('frame')).length === 6; }",
        arg=GRAPH,
        timeout=30_000,
    )
    return path


def test_graph_renders_clicks_connect_and_check_shows_feedback(lab: Lab, page: Any) -> None:
    """The six activities render in a canvas; clicking Engage then Obtain/Build
    draws edge 1 and reaches the kernel; Check shows constraint-by-constraint
    feedback; the stream and question id are saved in the notebook file."""
    page.set_viewport_size({"width": 1280, "height": 1700})  # room for the whole builder
    path = open_builder(lab, page, "clicks")
    assert page.locator(f"{GRAPH} canvas").count() >= 1

    click_node(page, "engage")
    wait_status(page, "Engage selected")
    click_node(page, "obtain-build")
    wait_status(page, "Step 2 added: Obtain/Build")
    page.wait_for_function(
        "(s) => document.querySelector(s)._cyreg.cy.edges().length === 1", arg=GRAPH
    )
    assert cy_edges(page) == [{"source": "engage", "target": "obtain-build", "label": "1"}]

    click_node(page, "obtain-build")
    wait_status(page, "Obtain/Build selected")
    click_node(page, "deliver-support")
    wait_status(page, "Step 3 added")
    assert [e["label"] for e in cy_edges(page)] == ["1", "2"]

    page.locator(BUILDER).get_by_role("button", name="Check").click()
    page.wait_for_selector(f"{BUILDER} :text('checks met')", timeout=20_000)
    feedback = page.locator(BUILDER).inner_text()
    assert "Deliver & Support is followed by Improve" in feedback  # the missed one, with why
    assert "Every incident is a chance to learn" in feedback

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(BUILDER).screenshot(path=str(ARTIFACTS / "builder-checked.png"))

    # the clicks reached Python: the kernel's model holds the stream
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 1; }")
    lab.command(page, "notebook:run-cell")
    lab.wait_idle(page)
    outputs = page.locator(f"{PANEL} .jp-OutputArea-output").all_inner_texts()
    assert any("STREAM ['Engage', 'Obtain/Build', 'Deliver & Support']" in o for o in outputs)

    lab.save(page)
    saved = json.loads((lab.root / path).read_text())
    state = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    marked = [m["state"] for m in state.values() if m["state"].get("question_id")]
    assert len(marked) == 1
    assert marked[0]["question_id"] == "practice-stream"
    assert marked[0]["scenario_id"] == "incident-resolution"
    assert marked[0]["steps"] == ["engage", "obtain-build", "deliver-support"]
    assert lab.error_outputs(page) == []


def _lesson_cell(assignment: str, cell_id: str) -> str:
    """The source of a cell of a released notebook, exactly as students get it."""
    nb = json.loads((RELEASE / assignment / f"{assignment}.ipynb").read_text())
    (cell,) = [c for c in nb["cells"] if c.get("id") == cell_id]
    return "".join(cell["source"])


def test_a_pattern_exercise_of_lesson_3_is_built_by_clicks_checked_and_shows_its_model(
    lab: Lab, page: Any
) -> None:
    """Lesson 3's Deliver & Support -> Improve exercise: a reversed stream checked twice
    offers "Show a model answer"; rebuilt by clicks, a full-marks Check shows the model
    answer with each step's note and why."""
    source = _lesson_cell("03-activities-together", "03-activities-together-pattern-3")
    assert source == 'course.builder("pattern-deliver-improve")'
    page.set_viewport_size({"width": 1280, "height": 2000})
    path = lab.notebook("builder/pattern.ipynb", [f"import course\n{source}"])
    lab.open(page, path)
    lab.run_all(page)
    page.wait_for_selector(f"{GRAPH} canvas", timeout=30_000)
    builder = page.locator(BUILDER)
    assert "Exercise: Learning from the running service" in builder.inner_text()
    model_button = builder.get_by_role("button", name="Show a model answer")

    click_node(page, "improve")
    wait_status(page, "Improve selected")
    click_node(page, "deliver-support")
    wait_status(page, "Step 2 added")
    builder.get_by_role("button", name="Check").click()
    page.wait_for_selector(f"{BUILDER} :text('checks met')", timeout=20_000)
    assert not model_button.is_visible()
    builder.get_by_role("button", name="Check").click()
    model_button.wait_for(state="visible", timeout=20_000)

    builder.get_by_role("button", name="Reset").click()
    wait_status(page, "Cleared.")
    click_node(page, "deliver-support")
    wait_status(page, "Deliver & Support selected")
    click_node(page, "improve")
    wait_status(page, "Step 2 added: Improve")
    builder.get_by_role("button", name="Check").click()
    page.wait_for_selector(f"{BUILDER} .itil-model-answer", timeout=20_000)
    shown = builder.locator(".itil-model-answer").inner_text()
    assert "A model answer" in shown
    assert "Why: The lessons come from the service as it is delivered and supported." in shown
    assert "Why: What is learned while the service runs is turned into improvement." in shown
    assert "Also full marks:" in shown
    assert "Well done: every check is met" in builder.inner_text()
    assert not model_button.is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    builder.screenshot(path=str(ARTIFACTS / "builder-model-answer.png"))
    assert lab.error_outputs(page) == []


def test_the_more_practice_chooser_of_lesson_6_lists_and_opens_every_exercise(
    lab: Lab, page: Any
) -> None:
    """The chooser, as lesson 6 calls it, lists each exercise with its status and opens the
    chosen one: its builder renders and answers a click."""
    source = _lesson_cell("06-practice", "06-practice-more-chooser")
    page.set_viewport_size({"width": 1280, "height": 1800})
    path = lab.notebook("builder/chooser.ipynb", [source])
    lab.open(page, path)
    lab.run_all(page)
    chooser = page.locator(f"{PANEL} .itil-more-practice")
    chooser.wait_for(timeout=30_000)
    assert f"of {len(exercises())} exercises done" in chooser.inner_text()
    assert "Email and laptops for new starters" in chooser.inner_text()
    chooser.get_by_role("combobox", name="Exercise").select_option(
        index=[s.id for s in exercises()].index("new-starters")
    )
    chooser.get_by_role("button", name="Open").click()
    page.wait_for_selector(f"{GRAPH} canvas", timeout=30_000)
    assert "Exercise: Email and laptops for new starters" in chooser.inner_text()
    click_node(page, "engage")
    wait_status(page, "Engage selected")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chooser.screenshot(path=str(ARTIFACTS / "more-practice.png"))
    assert lab.error_outputs(page) == []


def test_list_mode_edits_the_same_stream_as_the_graph(lab: Lab, page: Any) -> None:
    """Adding steps from the keyboard list draws the numbered edges in the graph."""
    open_builder(lab, page, "listmode")
    builder = page.locator(BUILDER)
    builder.get_by_role("combobox", name="Activity").select_option(label="Engage")
    builder.get_by_role("button", name="Add step").click()
    wait_status(page, "Step 1 added: Engage")
    builder.get_by_role("combobox", name="Activity").select_option(label="Deliver & Support")
    builder.get_by_role("button", name="Add step").click()
    wait_status(page, "Step 2 added: Deliver & Support")
    page.wait_for_function(
        "(s) => document.querySelector(s)._cyreg.cy.edges().length === 1", arg=GRAPH
    )
    assert cy_edges(page) == [{"source": "engage", "target": "deliver-support", "label": "1"}]
    page.screenshot(path=str(ARTIFACTS / "builder-page.png"), full_page=True)


def test_practice_graph_renders_and_a_click_shows_the_practices(lab: Lab, page: Any) -> None:
    """The activities-and-practices graph renders; clicking Engage lists its practices."""
    path = lab.notebook("builder/practices.ipynb", ["import course\ncourse.practice_graph()"])
    lab.open(page, path)
    lab.run_all(page)
    graph = f"{PANEL} .itil-practice-graph"
    page.wait_for_function(
        "(s) => { const e = document.querySelector(s);"
        " return e && e._cyreg && e._cyreg.cy.edges().length > 20; }",
        arg=graph,
        timeout=30_000,
    )
    x, y = node_point(page, graph, "activity:engage")
    page.mouse.click(x, y)
    page.wait_for_selector(f"{PANEL} .itil-practices :text('Supported by 3 practices')")
    assert "Supplier Management" in page.locator(f"{PANEL} .itil-practices").inner_text()
    page.locator(f"{PANEL} .itil-practices").screenshot(path=str(ARTIFACTS / "practices.png"))
    assert lab.error_outputs(page) == []
