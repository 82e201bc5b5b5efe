"""Every bound the grader puts on one submission, in one place.

Plain named constants for now; each says what it bounds and what a
submission that reaches it gets.
"""

from __future__ import annotations

#: Deepest nesting of a submitted notebook's JSON (cells, metadata); deeper is
#: refused as unreadable, never walked.
MAX_NOTEBOOK_DEPTH = 64
#: Deepest nesting of an answer snapshot's JSON read back from a kernel
#: (values are encoded at most 40 deep, plus their tags).
MAX_SNAPSHOT_DEPTH = 100
