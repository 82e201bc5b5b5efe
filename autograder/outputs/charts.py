"""Small, dependency-free SVG charts for the class report (bars and a histogram).

Each function returns an ``<svg>`` element with a ``<title>`` and text labels,
so the chart reads without colour and prints well.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["bar_chart", "histogram"]

_FONT = "font-family:system-ui,sans-serif;font-size:12px"
_BAR = "#3b6ea8"
_WEAK = "#c0504d"


def histogram(values: Sequence[float], maximum: float, title: str, bins: int = 10) -> str:
    """Counts of ``values`` in ``bins`` equal ranges from 0 to ``maximum``."""
    counts = [0] * bins
    for value in values:
        share = value / maximum if maximum else 0.0
        counts[min(bins - 1, max(0, int(share * bins)))] += 1
    labels = [f"{100 * i // bins}-{100 * (i + 1) // bins}%" for i in range(bins)]
    return _columns(labels, counts, title, "students")


def _columns(labels: Sequence[str], counts: Sequence[int], title: str, unit: str) -> str:
    width, height, pad, bottom = 640, 240, 36, 44
    top = max(counts, default=0) or 1
    step = (width - 2 * pad) / max(1, len(counts))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" style="{_FONT}"><title>{escape(title)}</title>'
    ]
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        h = (height - bottom - pad) * count / top
        x = pad + i * step
        y = height - bottom - h
        parts.append(
            f'<rect x="{x + 3:.1f}" y="{y:.1f}" width="{step - 6:.1f}" height="{h:.1f}" '
            f'fill="{_BAR}"><title>{escape(label)}: {count} {unit}</title></rect>'
        )
        if count:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{count}</text>'
            )
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="10">{escape(label)}</text>'
        )
    base = height - bottom
    parts.append(f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="#555"/>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(items: Sequence[tuple[str, float]], title: str, weak_below: float = 0.5) -> str:
    """Horizontal bars of shares between 0 and 1 (shown as percentages); bars under
    ``weak_below`` are drawn in a warning colour."""
    row, label_w, width, pad = 26, 230, 640, 8
    height = pad * 2 + row * max(1, len(items))
    span = width - label_w - 60
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" style="{_FONT}"><title>{escape(title)}</title>'
    ]
    for i, (label, share) in enumerate(items):
        share = max(0.0, min(1.0, share))
        y = pad + i * row
        colour = _WEAK if share < weak_below else _BAR
        shown = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(shown)}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{span * share:.1f}" height="{row - 8}" '
            f'fill="{colour}"><title>{escape(label)}: {share:.0%}</title></rect>'
        )
        parts.append(
            f'<text x="{label_w + span * share + 6:.1f}" y="{y + row / 2 + 4:.1f}">'
            f"{share:.0%}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
