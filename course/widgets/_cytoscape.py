"""The one module that imports ipycytoscape: a thin, typed wrapper.

ipycytoscape 1.3.3 is unmaintained (last release 2022), so the rest of the
kit talks to :class:`GraphView` only, and this file is what to change if the
library ever has to be replaced. What the wrapper relies on, measured in
Chromium against JupyterLab 4:

- a ``click`` on a node reaches Python as the node's JSON (``ele.json()``),
  whose ``data.id`` is the id given here;
- node ``position`` is used by the ``preset`` layout; positions never sync
  back, so nodes are locked and cannot be dragged;
- the front end re-runs the layout whenever the node or edge list changes,
  which is why the views use fixed (preset) positions: a computed layout such
  as dagre (bundled in 1.3.3) would move the nodes under the pointer between
  the two clicks that make a connection;
- changing an element's ``data`` or ``classes`` restyles it in place;
- the layout fits the viewport to the bounding box of *all* elements, which
  changes as edges, borders and labels change; two invisible frame nodes at
  fixed corners keep that box, and so the zoom, the same at every click.
"""

from __future__ import annotations

import colorsys
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipycytoscape
import ipywidgets as w

__all__ = ["EdgeSpec", "GraphView", "NodeSpec", "darker"]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"


def darker(colour: str, lightness: float = 0.36) -> str:
    """The same hue as ``colour`` (``#rrggbb``), dark enough for a border or text."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _, saturation = colorsys.rgb_to_hls(red, green, blue)
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, min(1.0, saturation * 0.7 + 0.2))
    return "#" + "".join(f"{round(c * 255):02x}" for c in (red, green, blue))


@dataclass(frozen=True)
class NodeSpec:
    """A node: its id, label, fill colour and fixed position."""

    id: str
    label: str
    colour: str
    x: float
    y: float
    classes: str = ""


@dataclass(frozen=True)
class EdgeSpec:
    """A directed edge between two node ids, with a label."""

    source: str
    target: str
    label: str = ""
    classes: str = ""


class GraphView:
    """A cytoscape graph with fixed node positions and a node-click callback.

    ``widget`` is the ipywidgets DOM widget to place in a layout.
    """

    def __init__(
        self,
        nodes: Sequence[NodeSpec],
        style: list[dict[str, Any]],
        *,
        height: str = "360px",
        on_node_click: Callable[[str], None] | None = None,
        padding: int = 16,
        margin: tuple[float, float] = (110.0, 50.0),
    ) -> None:
        self.widget = ipycytoscape.CytoscapeWidget(
            layout=w.Layout(width="100%", height=height),
            user_zooming_enabled=False,
            user_panning_enabled=False,
            box_selection_enabled=False,
            auto_ungrabify=True,
            auto_unselectify=True,
            tooltip_source="",  # no tippy pop-ups: the views show details themselves
        )
        self.widget.set_style([*style, _FRAME_STYLE])
        self.widget.cytoscape_layout = {
            "name": "preset",
            "fit": True,
            "padding": padding,
            "animate": False,
        }
        self._nodes: dict[str, Any] = {}
        for spec in nodes:
            node = ipycytoscape.Node(
                data=_node_data(spec),
                position={"x": spec.x, "y": spec.y},
                classes=spec.classes,
                locked=True,
                grabbable=False,
                selectable=False,
            )
            self._nodes[spec.id] = node
        frame = [
            ipycytoscape.Node(
                data={"id": f"frame-{corner}"},
                position={"x": x, "y": y},
                classes="frame",
                locked=True,
                grabbable=False,
                selectable=False,
            )
            for corner, (x, y) in _corners(nodes, margin).items()
        ]
        self.widget.graph.add_nodes([*self._nodes.values(), *frame])
        self._edges: list[tuple[EdgeSpec, Any]] = []
        self._edge_ids = itertools.count(1)
        self._on_node_click = on_node_click
        self.widget.on("node", "click", self._clicked)

    # -- events -----------------------------------------------------------

    def _clicked(self, node: dict[str, Any]) -> None:
        """ipycytoscape hands over the clicked node's JSON."""
        data = node.get("data") if isinstance(node, dict) else None
        node_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(node_id, str) and node_id in self._nodes and self._on_node_click:
            self._on_node_click(node_id)

    # -- reading ----------------------------------------------------------

    @property
    def node_ids(self) -> list[str]:
        return list(self._nodes)

    def node_classes(self, node_id: str) -> set[str]:
        return set(str(self._nodes[node_id].classes).split())

    def node_label(self, node_id: str) -> str:
        return str(self._nodes[node_id].data.get("label", ""))

    def node_position(self, node_id: str) -> tuple[float, float]:
        position = self._nodes[node_id].position
        return float(position["x"]), float(position["y"])

    @property
    def edges(self) -> list[EdgeSpec]:
        return [spec for spec, _ in self._edges]

    # -- writing ----------------------------------------------------------

    def set_node(
        self, node_id: str, *, label: str | None = None, classes: str | None = None
    ) -> None:
        """Change a node's label or classes (only what differs is sent)."""
        node = self._nodes[node_id]
        if classes is not None and classes != node.classes:
            node.classes = classes
        if label is not None and label != node.data.get("label"):
            node.data = {**dict(node.data), "label": label}

    def set_edges(self, wanted: Sequence[EdgeSpec]) -> None:
        """Show exactly ``wanted``; edges already drawn the same way are kept."""
        keep = 0
        for (have, _), want in zip(self._edges, wanted, strict=False):
            if (have.source, have.target) != (want.source, want.target):
                break
            keep += 1
        kept = self._edges[:keep]
        for index, (have, edge) in enumerate(kept):
            want = wanted[index]
            if have != want:
                edge.data = {**dict(edge.data), "label": want.label}
                edge.classes = want.classes
                kept[index] = (want, edge)
        dropped = [edge for _, edge in self._edges[keep:]]
        added = [(spec, self._edge(spec)) for spec in wanted[keep:]]
        if not dropped and not added:
            self._edges = kept
            return
        self._edges = kept + added
        self.widget.graph.edges = [edge for _, edge in self._edges]
        for edge in dropped:
            edge.close()

    def _edge(self, spec: EdgeSpec) -> Any:
        return ipycytoscape.Edge(
            data={
                "id": f"e{next(self._edge_ids)}",
                "source": spec.source,
                "target": spec.target,
                "label": spec.label,
            },
            classes=spec.classes,
            selectable=False,
        )


_FRAME_STYLE: dict[str, Any] = {
    "selector": "node.frame",
    "style": {"opacity": 0, "events": "no", "width": 1, "height": 1, "label": ""},
}


def _corners(
    nodes: Sequence[NodeSpec], margin: tuple[float, float]
) -> dict[str, tuple[float, float]]:
    """Two points that enclose every node with ``margin`` (x, y) to spare."""
    xs, ys = [n.x for n in nodes], [n.y for n in nodes]
    return {
        "top-left": (min(xs) - margin[0], min(ys) - margin[1]),
        "bottom-right": (max(xs) + margin[0], max(ys) + margin[1]),
    }


def _node_data(spec: NodeSpec) -> dict[str, str]:
    return {
        "id": spec.id,
        "label": spec.label,
        "colour": spec.colour,
        "border": darker(spec.colour),
    }
