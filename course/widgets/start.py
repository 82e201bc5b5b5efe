"""Start-page widgets: the set-up check and the "download my work" button."""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path

import ipywidgets as w
from IPython.display import HTML, display

from ..setup_check import run_checks
from ..where import in_browser
from ..workzip import zip_work

__all__ = ["check_setup", "download_work"]

_NO_WIDGETS = (
    '<div style="border:2px solid #b71c1c;padding:8px">'
    "<b>Interactive widgets are not loading in this browser tab.</b> "
    "Quizzes and the value-stream builder will not appear. Fix: open the course "
    "with <code>make lab</code> from the kit's folder (or the Binder link), then "
    "reload this page.</div>"
)


_KEEP_IN_BROWSER = (
    '<div style="border-left:4px solid #0d47a1;padding:4px 10px;margin:6px 0">'
    "<b>You are running the course in your browser.</b> Your notebooks and your progress "
    "are saved in this browser, on this computer: they are still here when you reload the "
    "page or come back later, but not in another browser, and not after you clear this "
    "site's data. To keep a copy, press <b>Download my work</b> in any lesson (a zip of "
    "that lesson's folder), or right-click a notebook in the file browser and choose "
    "<b>Download</b>.</div>"
)


def check_setup() -> None:
    """Show what is installed, and whether widgets draw in this browser.

    The last line is a widget with a plain fallback: JupyterLab draws the
    widget when its widget manager works, and the fix-it message otherwise.
    """
    rows = []
    for check in run_checks():
        mark = "&#10004; OK" if check.ok else "&#10008; Problem"
        colour = "#1b5e20" if check.ok else "#b71c1c"
        fix = f"<br><small>{html.escape(check.fix)}</small>" if check.fix else ""
        rows.append(
            f'<tr><td style="padding:3px 10px;color:{colour};font-weight:600">{mark}</td>'
            f'<td style="padding:3px 10px">{html.escape(check.name)}</td>'
            f'<td style="padding:3px 10px">{html.escape(check.detail)}{fix}</td></tr>'
        )
    display(w.HTML(f"<table>{''.join(rows)}</table>"))  # type: ignore[no-untyped-call]
    if in_browser():
        display(w.HTML(_KEEP_IN_BROWSER))  # type: ignore[no-untyped-call]
    alive = w.HTML(
        '<span style="color:#1b5e20;font-weight:600">&#10004; Widgets work in this browser.</span>'
    )
    bundle = alive._repr_mimebundle_()
    bundle["text/html"] = _NO_WIDGETS
    bundle["text/plain"] = "Interactive widgets are not loading: open the course with `make lab`."
    display(bundle, raw=True)  # type: ignore[no-untyped-call]


class DownloadWork(w.VBox):
    """A button that zips the current assignment folder and offers the zip."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.button = w.Button(
            description="Download my work",
            icon="download",
            tooltip=f"Zip everything in {folder.name}/ so you can keep a copy",
        )
        # An output area, not an HTML widget: JupyterLab turns a relative link
        # in an output into the file's download address; in a widget it would not.
        self.link = w.Output()
        self.button.on_click(lambda _: self.pack())
        super().__init__([self.button, self.link])

    def pack(self) -> Path:
        target, members = zip_work(self.folder)
        name = html.escape(target.name)
        # In the browser the files live in its storage, not on a server: the link
        # carries the zip itself.
        href = (
            "data:application/zip;base64," + base64.b64encode(target.read_bytes()).decode("ascii")
            if in_browser()
            else name
        )
        link = (
            f'<a href="{href}" download="{name}">&#11015; Save {name}</a> '
            f"<small>({len(members)} file(s) from {html.escape(self.folder.name)}/)</small>"
        )
        self.link.outputs = ()
        self.link.append_display_data(HTML(link))  # type: ignore[no-untyped-call]
        return target


def download_work(folder: str | os.PathLike[str] | None = None) -> DownloadWork:
    """A "download my work" button for ``folder`` (default: this notebook's folder)."""
    return DownloadWork(Path(folder) if folder is not None else Path.cwd())
