"""A watch on the one host folder a kernel can write to, while it runs.

A kernel works in a size-capped tmpfs (``/work``, with ``/tmp`` and
``/dev/shm``: a write past the cap fails there). Its run folder, though, is a
folder of the host: the kernel must create its ZeroMQ sockets there (the
grader connects to them from outside, which it could not do in a tmpfs of
the sandbox), and its standard output goes to a log beside it. Single files
are capped by the kernel's file-size limit; the total is watched here: past
``GradingLimits.work_mb`` or ``work_files`` the kernel is shut down, and the
reason names the limit. Between two checks a kernel can write at most what
the disk takes in ``CHECK_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from autograder.config import GradingLimits

__all__ = ["CHECK_SECONDS", "watch_disk"]

#: Seconds between two looks at a kernel's folders.
CHECK_SECONDS = 0.25


def _usage(folder: Path, max_bytes: int, max_files: int) -> tuple[int, int]:
    """Bytes and files under ``folder`` (links not followed), stopping past the limits."""
    size = files = 0
    for parent, _dirs, names in os.walk(folder, followlinks=False):
        for name in names:
            with contextlib.suppress(OSError):
                size += os.lstat(os.path.join(parent, name)).st_blocks * 512
            files += 1
        if files > max_files or size > max_bytes:
            break
    return size, files


async def watch_disk(
    folder: Path,
    stop: Callable[[], Awaitable[None]],
    found: list[str],
    limits: GradingLimits | None = None,
) -> None:
    """Until cancelled: check ``folder``; past a limit, say why in ``found`` (before the
    kernel's death can end the run and cancel this watch), then await ``stop()``."""
    limits = limits or GradingLimits()
    max_bytes, max_files = limits.bytes("work_mb"), int(limits.work_files)
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(CHECK_SECONDS)
        size, files = await loop.run_in_executor(None, _usage, folder, max_bytes, max_files)
        if size > max_bytes:
            found.append(
                f"wrote more than its disk limit ({limits.work_mb} MB) to its run folder and "
                "was stopped"
            )
        elif files > max_files:
            found.append(
                f"made more files than its limit ({max_files}) in its run folder and was stopped"
            )
        if found:
            await stop()
            return
