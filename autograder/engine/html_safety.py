"""Student text made safe for the HTML the formgrader, feedback and report show.

An autograded notebook is rendered as HTML in the instructor's browser (the
formgrader) and handed back as feedback: anything active a student put in it
would run with the instructor's session. So, before it is written, every part
a student controls is made inert:

- rich outputs keep only passive types: HTML through an allow-list sanitiser
  (no script, no handler, no iframe, no style, no image, no relative or
  ``javascript:`` URL), raster images only as strict base64, JavaScript,
  SVG, widgets and any unknown type dropped; output metadata (which the
  renderer puts in attributes) dropped;
- markdown (cells and outputs) is rendered by nbconvert's own renderer and
  the HTML goes through the same allow-list, kept as one HTML block;
- raw cells, which the renderer copies verbatim, are escaped;
- cell and notebook metadata keep only what grading needs, as plain values.

Reasons and ids written into markdown go through :func:`escape_markdown`.
"""

from __future__ import annotations

import html
import re
from typing import Any

import nh3
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbformat import NotebookNode

__all__ = ["clean_html", "escape_markdown", "inert_markdown", "make_notebook_safe"]

_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "area", "map"}
_SCHEMES = {"http", "https", "mailto"}
_RASTER = ("image/png", "image/jpeg", "image/gif")
_PASSIVE = {"text/plain", "text/latex", *_RASTER}
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
_TAG_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_PLAIN = re.compile(r"[A-Za-z0-9_.+ -]{0,64}")
_CELL_METADATA = ("nbgrader", "autograder", "editable", "deletable")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def clean_html(text: str) -> str:
    """``text`` through the allow-list: passive markup only."""
    return nh3.clean(
        text,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        url_schemes=_SCHEMES,
        url_relative="deny",
    )


def inert_markdown(text: str) -> str:
    """Markdown as the formgrader would render it (nbconvert's own renderer), through
    the allow-list, kept as one HTML block so no markdown is parsed from it again.

    Sanitising the markdown text itself is not enough: the renderer decodes
    character references and escapes in link targets (``&#106;avascript:``)."""
    rendered = clean_html(markdown2html_mistune(text))
    return "<div>" + rendered.replace("\r", "").replace("\n", "&#10;") + "</div>"


def escape_markdown(text: str) -> str:
    """A student-controlled string shown literally inside markdown (a reason, an id)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=True))


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _safe_bundle(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mime, value in data.items():
        text = _text(value)
        if mime == "text/html":
            out[mime] = clean_html(text)
        elif mime == "text/markdown":
            out["text/html"] = inert_markdown(text)
        elif mime in _RASTER:
            if _BASE64.fullmatch(text):
                out[mime] = text
        elif mime in _PASSIVE:
            out[mime] = text
    return out


def _safe_output(output: NotebookNode) -> NotebookNode | None:
    kind = output.get("output_type")
    if kind == "stream":
        return output
    if kind == "error":
        output["ename"] = _text(output.get("ename", ""))
        output["evalue"] = _text(output.get("evalue", ""))
        output["traceback"] = [_text(line) for line in output.get("traceback", [])]
        return output
    if kind in ("display_data", "execute_result"):
        data = _safe_bundle(dict(output.get("data", {})))
        if not data:
            return None
        output["data"] = NotebookNode(data)  # type: ignore[no-untyped-call]
        output["metadata"] = NotebookNode()  # type: ignore[no-untyped-call]
        output.pop("transient", None)
        return output
    return None


def _plain(value: Any, depth: int = 0) -> Any:
    """Strings of a safe alphabet, numbers, booleans, and small dicts/lists of them."""
    if depth > 4:
        return None
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, str):
        return value if _PLAIN.fullmatch(value) else None
    if isinstance(value, dict):
        kept = {k: _plain(v, depth + 1) for k, v in value.items() if _PLAIN.fullmatch(str(k))}
        return {k: v for k, v in kept.items() if v is not None}
    if isinstance(value, list):
        return [v for v in (_plain(x, depth + 1) for x in value) if v is not None]
    return None


def _safe_cell(cell: NotebookNode) -> None:
    meta = cell.get("metadata", {})
    kept = {k: _plain(meta[k]) for k in _CELL_METADATA if k in meta}
    if kept.get("nbgrader") != meta.get("nbgrader"):
        kept.pop("nbgrader", None)  # an unsafe id or field: not a cell nbgrader should see
    tags = meta.get("tags")
    if isinstance(tags, list):
        kept["tags"] = [t for t in tags if isinstance(t, str) and _TAG_NAME.fullmatch(t)]
    cell["metadata"] = NotebookNode({k: v for k, v in kept.items() if v is not None})  # type: ignore[no-untyped-call]
    cell.pop("attachments", None)
    kind = cell.get("cell_type")
    if kind == "markdown":
        cell["source"] = inert_markdown(_text(cell.get("source", "")))
    elif kind == "raw":
        cell["source"] = html.escape(_text(cell.get("source", "")))
    elif kind == "code":
        outputs = [_safe_output(o) for o in cell.get("outputs", [])]
        cell["outputs"] = [o for o in outputs if o is not None]


def make_notebook_safe(nb: NotebookNode) -> NotebookNode:
    """``nb`` (changed in place, and returned) with nothing active left in it."""
    meta = nb.get("metadata", {})
    kept = {k: meta[k] for k in ("kernelspec", "language_info") if k in meta}
    # a field that is not plain throughout is dropped whole (a half is invalid)
    nb["metadata"] = NotebookNode(  # type: ignore[no-untyped-call]
        {k: v for k, v in kept.items() if _plain(v) == v}
    )
    for cell in nb.get("cells", []):
        _safe_cell(cell)
    return nb
