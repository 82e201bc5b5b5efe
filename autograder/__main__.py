"""``python -m autograder`` and the ``itil-autograder`` console script."""

from __future__ import annotations

import sys

from autograder.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
