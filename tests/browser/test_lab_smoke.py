"""The browser harness itself: JupyterLab serves, widgets render, state is saved."""

from __future__ import annotations

import json
from typing import Any

from .conftest import Lab

BUTTON_CELLS = [
    "import ipywidgets as w\n"
    "out = w.Label('waiting')\n"
    "b = w.Button(description='Press me')\n"
    "b.on_click(lambda _: setattr(out, 'value', 'pressed'))\n"
    "w.VBox([b, out])",
    "r = w.RadioButtons(options=['A', 'B', 'C'], description='Pick')\nr",
]


def test_widget_click_reaches_python_and_choice_is_saved_in_the_file(lab: Lab, page: Any) -> None:
    """A click on an ipywidgets button reaches the kernel, and with the kit's
    overrides.json a radio choice saved with the notebook lands in its metadata."""
    path = lab.notebook("smoke/button.ipynb", BUTTON_CELLS)
    lab.open(page, path)
    lab.run_all(page)
    page.get_by_role("button", name="Press me").click()
    page.wait_for_selector(".widget-label:text('pressed')", timeout=20_000)
    page.get_by_role("radio", name="B").check()
    page.wait_for_timeout(300)
    lab.save(page)

    saved = json.loads((lab.root / path).read_text())
    state = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    radios = [m["state"] for m in state.values() if m["model_name"] == "RadioButtonsModel"]
    assert radios, "no RadioButtons model in the saved widget state"
    assert radios[0]["index"] == 1
    assert lab.error_outputs(page) == []
