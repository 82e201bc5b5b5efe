"""CSV cells that a spreadsheet opens as text, never as a formula.

OWASP's rule for CSV injection: a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is prefixed with a single quote. Numbers
the kit writes itself (scores, totals) are left as numbers.
"""

from __future__ import annotations

__all__ = ["safe_cell"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it: starting with a trigger, it gets a ``'``."""
    return "'" + text if text.startswith(_TRIGGERS) else text
