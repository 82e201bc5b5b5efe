"""The one exception the command line turns into a clear message."""

from __future__ import annotations

__all__ = ["AutograderError"]


class AutograderError(Exception):
    """Something the instructor must fix; the message says what and where."""
