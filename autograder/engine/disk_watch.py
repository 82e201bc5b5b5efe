"""A watch on the disk space a kernel's scratch folders take, while it runs.

The working folder of a kernel is a folder of the host (the grader copies the
submission's files into it, and the kernel's sockets live beside it), so no
size-capped filesystem can hold it. Single files are capped by the kernel's
file-size limit; the total is watched here: past ``WORK_MB`` or ``WORK_FILES``
the kernel is shut down, and the reason names the limit. Between two checks a
kernel can write at most what the disk takes in ``DISK_CHECK_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from .limits import DISK_CHECK_SECONDS, WORK_FILES, WORK_MB

__all__ = ["watch_disk"]


def _usage(folder: Path) -> tuple[int, int]:
    """Bytes and files under ``folder`` (links not followed), stopping past the limits."""
    size = files = 0
    for parent, _dirs, names in os.walk(folder, followlinks=False):
        for name in names:
            with contextlib.suppress(OSError):
                size += os.lstat(os.path.join(parent, name)).st_blocks * 512
            files += 1
        if files > WORK_FILES or size > WORK_MB << 20:
            break
    return size, files


async def watch_disk(folder: Path, stop: Callable[[], Awaitable[None]], found: list[str]) -> None:
    """Until cancelled: check ``folder``; past a limit, say why in ``found`` (before the
    kernel's death can end the run and cancel this watch), then await ``stop()``."""
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(DISK_CHECK_SECONDS)
        size, files = await loop.run_in_executor(None, _usage, folder)
        if size > WORK_MB << 20:
            found.append(f"wrote more than its disk limit ({WORK_MB} MB) and was stopped")
        elif files > WORK_FILES:
            found.append(f"made more files than its limit ({WORK_FILES}) and was stopped")
        if found:
            await stop()
            return
