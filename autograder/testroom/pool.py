"""Test rooms: sandboxed processes that run the tests on plain answer values.

One room per worker; each room forks a fresh child per submission (see
:mod:`autograder.testroom.server`). A room whose process dies is started again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from autograder.engine.sandbox import Sandbox, boot_command
from autograder.errors import AutograderError
from autograder.testroom.job import Job

__all__ = ["Room", "RoomPool"]

_LINE_LIMIT = 64 * 1024 * 1024


class Room:
    """One test-room process and its private folder."""

    def __init__(self, sandbox: Sandbox, base: Path, warm: list[str]) -> None:
        self._sandbox = sandbox
        self._base = base
        self._warm = warm
        self._proc: asyncio.subprocess.Process | None = None
        self._folder: Path | None = None
        self._counter = 0

    async def start(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="room-", dir=self._base))
        home = "/tmp" if self._sandbox.enabled else str(self._folder)
        packages = ("course", "autograder")
        python = self._sandbox.python(packages)
        argv = boot_command("autograder.testroom.server", [], self._sandbox.limits, (), python)
        env = self._sandbox.env(home, packages)
        cmd = self._sandbox.command(argv, env=env, packages=packages)
        log = (self._folder / "room.log").open("w")
        self._proc = await asyncio.create_subprocess_exec(
            *cmd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            env=env,
            cwd=str(self._folder),
            limit=_LINE_LIMIT,
            start_new_session=True,
        )
        log.close()
        answer = await self._ask({"op": "warm", "modules": self._warm}, 120.0)
        if not answer.get("ok"):
            raise AutograderError(f"the test room did not start: {self._log_tail()}")

    def _log_tail(self) -> str:
        if self._folder is None:
            return ""
        with contextlib.suppress(OSError):
            return (self._folder / "room.log").read_text(errors="replace")[-600:].strip()
        return ""

    async def _ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        proc = self._proc
        if proc is None or proc.stdin is None or proc.stdout is None:
            raise AutograderError("the test room is not running")
        self._counter += 1
        request = {**request, "id": self._counter}
        proc.stdin.write((json.dumps(request) + "\n").encode())
        await proc.stdin.drain()
        line = await asyncio.wait_for(proc.stdout.readline(), timeout)
        if not line:
            raise AutograderError(f"the test room stopped: {self._log_tail()}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    async def run(self, job: Job) -> dict[str, Any]:
        """Run ``job``; a room that fails is restarted once and the job retried."""
        deadline = float(job.deadline) + 30.0
        for attempt in (1, 2):
            try:
                if self._proc is None or self._proc.returncode is not None:
                    await self.close()
                    await self.start()
                return await self._ask(job.message(), deadline)
            except (AutograderError, asyncio.TimeoutError, OSError, ValueError) as exc:
                await self.close()
                if attempt == 2:
                    return {"crash": f"the test room failed ({exc or type(exc).__name__})"}
        raise AssertionError("unreachable")

    async def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            with contextlib.suppress(Exception):
                await proc.wait()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


class RoomPool:
    """``size`` rooms, lent out one job at a time."""

    def __init__(self, sandbox: Sandbox, base: Path, size: int, warm: list[str]) -> None:
        self._rooms = [Room(sandbox, base, warm) for _ in range(max(1, size))]
        self._free: asyncio.Queue[Room] = asyncio.Queue()

    async def start(self) -> None:
        await asyncio.gather(*(room.start() for room in self._rooms))
        for room in self._rooms:
            self._free.put_nowait(room)

    async def run(self, job: Job) -> dict[str, Any]:
        room = await self._free.get()
        try:
            return await room.run(job)
        finally:
            self._free.put_nowait(room)

    async def close(self) -> None:
        await asyncio.gather(*(room.close() for room in self._rooms))
