"""Student-controlled text made safe to print on the instructor's terminal.

A file or folder name, an id or a reason can carry escape sequences (which
move the cursor, rewrite lines, change the window title), bidirectional
overrides (which reorder what is shown) or, from a folder name that is not
UTF-8, lone surrogates (which make ``print`` fail). Each such character is
shown as its escape (``\\x1b``, ``\\u202e``) instead.
"""

from __future__ import annotations

import re

__all__ = ["clean"]

_OTHERS = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_KEEP_NEWLINES = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")  # keeps tab and newline
_ONE_LINE = re.compile(f"[\x00-\x08\x0a-\x1f{_OTHERS}]")  # keeps tab


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: object, *, newlines: bool = False) -> str:
    """``str(text)`` with every control character escaped; tabs kept, and newlines
    kept only when ``newlines`` (a message of several lines the grader wrote)."""
    pattern = _KEEP_NEWLINES if newlines else _ONE_LINE
    return pattern.sub(_escape, str(text))
