"""CSV cells that a spreadsheet or an LMS opens as text, never as a formula.

OWASP's rule for CSV injection: a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is prefixed with a single quote. Numbers
the kit writes itself (scores, totals) are left as numbers. Every text cell
the kit writes (ids, names, emails, reasons, column names) goes through
:func:`safe_text`, which also folds line breaks and other control characters
into spaces: a name is one line in an LMS's import preview.
"""

from __future__ import annotations

import re

__all__ = ["safe_cell", "safe_text"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def safe_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it: starting with a trigger, it gets a ``'``."""
    return "'" + text if text.startswith(_TRIGGERS) else text


def safe_text(text: str) -> str:
    """``text`` on one line (control characters become one space), with a ``'`` in front
    when it starts with a trigger, leading spaces or not (some importers trim them)."""
    folded = _CONTROL.sub(" ", text)
    return "'" + folded if folded.lstrip(" ").startswith(_TRIGGERS) else folded
