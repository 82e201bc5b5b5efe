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

#: Memory of one student kernel in MB (``grade --memory``): a control group
#: counts everything, shared mappings and tmpfs pages included; without one,
#: the address space is limited to this plus ADDRESS_SPACE_HEADROOM_MB.
MEMORY_MB = 1024
#: Address space a Python kernel reserves without using (thread stacks, arenas).
ADDRESS_SPACE_HEADROOM_MB = 512
#: Largest file a kernel may write, in MB.
FILE_MB = 64
#: Size of the private ``/tmp`` and of ``/dev/shm`` inside the sandbox, in MB each.
TMP_MB = 64
SHM_MB = 64
#: Processes and threads of one kernel (a kernel itself runs about ten threads).
MAX_PROCESSES = 64
#: The unprivileged user and group student code runs as, inside its namespace.
SANDBOX_UID = 1000
SANDBOX_GID = 1000
#: Largest message the grader accepts from a kernel, before it is buffered; a
#: larger one is dropped by ZeroMQ and the cell's output marked as truncated.
MAX_MESSAGE_BYTES = 32 * 1024 * 1024
#: Wall time of a whole notebook: this many times the per-cell limit, plus
#: NOTEBOOK_EXTRA_SECONDS (start-up, snapshots); past it the kernel is stopped.
NOTEBOOK_TIME_FACTOR = 2
NOTEBOOK_EXTRA_SECONDS = 20
#: Disk space (MB) and number of files a kernel may fill its scratch folders with
#: (they are on the host's disk); checked every DISK_CHECK_SECONDS, and a kernel
#: past either is stopped.
WORK_MB = 256
WORK_FILES = 10_000
DISK_CHECK_SECONDS = 0.25
