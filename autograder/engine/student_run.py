"""Run a student's notebook in its sandboxed kernel and read their answers back.

The cells run through nbclient, one by one, with a time limit each. Where the
plan says so, the answers are read with an execute request carrying
``user_expressions`` (see :mod:`autograder.engine.snapshot`). Whatever happens (a
timeout, a kernel that dies or stops answering, an output flood), the run
ends with what it has, and says what happened: never an exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import time
from dataclasses import dataclass, field
from queue import Empty
from typing import Any

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from autograder import notebook_io as nbio
from autograder.config import GradingLimits
from autograder.engine.kernels import Kernel
from autograder.engine.prepare import Plan
from autograder.engine.snapshot import Snapshot, SnapshotError, parse_snapshot, snapshot_expression

__all__ = ["RunOutcome", "run_student"]

_TRUNCATED = "\n... output truncated by the autograder ...\n"
_GRACE = 5.0  # seconds an interrupted cell gets to stop


@dataclass
class RunOutcome:
    """What the student's kernel did."""

    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)  # program cell id -> why
    timeouts: list[int] = field(default_factory=list)  # 1-based cell numbers
    flooded: list[int] = field(default_factory=list)
    died_at: int | None = None
    stuck_at: int | None = None
    overtime: tuple[int, int] | None = None  # (cell number, the notebook's limit in s)
    out_of_memory: list[int] = field(default_factory=list)  # cells ending in MemoryError/ENOMEM
    out_of_space: list[int] = field(default_factory=list)  # cells ending in ENOSPC
    seconds: float = 0.0


class _Client(NotebookClient):
    """nbclient, with bounded outputs and a record of timeouts."""

    def __init__(
        self, nb: NotebookNode, kernel: Kernel, timeout: int, limits: GradingLimits
    ) -> None:
        super().__init__(
            nb,
            km=kernel.manager,
            timeout=timeout,
            allow_errors=True,
            interrupt_on_timeout=True,
            raise_on_iopub_timeout=True,
            iopub_timeout=int(_GRACE),
            error_on_timeout={
                "ename": "CellTimeoutError",
                "evalue": f"the cell ran longer than {timeout} s and was interrupted",
                "traceback": [f"CellTimeoutError: the cell ran longer than {timeout} s"],
            },
            record_timing=False,
            store_widget_state=False,
        )
        self.kc = kernel.client
        self.outcome = RunOutcome()
        self._sizes: dict[int, int] = {}
        self._total = 0
        self._current = 0
        self._cell_cap = limits.cell_output_chars
        self._notebook_cap = limits.notebook_output_chars

    async def _async_handle_timeout(
        self, timeout: int, cell: NotebookNode | None = None
    ) -> dict[str, Any] | None:
        self.outcome.timeouts.append(self._current + 1)
        result: dict[str, Any] | None = await super()._async_handle_timeout(timeout, cell)
        return result

    def output(
        self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None, cell_index: int
    ) -> NotebookNode | None:
        content = msg.get("content", {})
        if msg.get("msg_type") == "error":
            self._limit_error(content, cell_index + 1)
        size = len(json.dumps(content, default=str))
        used = self._sizes.get(cell_index, 0)
        if used + size > self._cell_cap or self._total + size > self._notebook_cap:
            if cell_index + 1 not in self.outcome.flooded:
                self.outcome.flooded.append(cell_index + 1)
                outs.append(nbio.node(output_type="stream", name="stdout", text=_TRUNCATED))
            return None
        self._sizes[cell_index] = used + size
        self._total += size
        out: NotebookNode | None = super().output(outs, msg, display_id, cell_index)
        return out

    def _limit_error(self, content: dict[str, Any], cell: int) -> None:
        """Note a cell that ended on a resource limit (memory, writable space)."""
        found = None
        evalue = str(content.get("evalue", ""))
        if content.get("ename") == "MemoryError" or evalue.startswith(f"[Errno {errno.ENOMEM}]"):
            found = self.outcome.out_of_memory
        elif evalue.startswith(f"[Errno {errno.ENOSPC}]"):
            found = self.outcome.out_of_space
        if found is not None and cell not in found:
            found.append(cell)

    def timeout_note(self) -> Any:
        text = f"the cell ran longer than {self.timeout} s and was stopped by the autograder"
        return nbio.node(
            output_type="error",
            ename="CellTimeoutError",
            evalue=text,
            traceback=[f"\x1b[0;31mCellTimeoutError\x1b[0m: {text}"],
        )

    async def _shell_msg(self, timeout: float) -> dict[str, Any]:
        assert self.kc is not None
        msg: dict[str, Any] = await self.kc.shell_channel.get_msg(timeout=timeout)
        return msg

    async def snapshot(self, names: tuple[str, ...], timeout: float) -> Snapshot:
        assert self.kc is not None
        msg_id = self.kc.execute(
            "", silent=True, store_history=False, user_expressions={"s": snapshot_expression(names)}
        )
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SnapshotError("the kernel did not answer in time")
            try:
                msg = await self._shell_msg(remaining)
            except Empty:
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = msg.get("content", {})
            if content.get("status") != "ok":
                raise SnapshotError(f"the kernel refused the request ({content.get('ename')})")
            return parse_snapshot(content.get("user_expressions", {}).get("s", {}), names)


async def _run(client: _Client, nb: NotebookNode, plan: Plan, timeout: int) -> None:
    outcome = client.outcome
    for kind, what in plan.steps:
        if kind == "snap":
            names = plan.names[what]
            try:
                outcome.snapshots[what] = await client.snapshot(names, timeout + _GRACE)
            except SnapshotError as exc:
                outcome.unreadable[what] = str(exc)
            continue
        client._current = what
        try:
            await client.async_execute_cell(nb.cells[what], what)
            if outcome.timeouts and outcome.timeouts[-1] == what + 1:
                nb.cells[what].outputs.append(client.timeout_note())
        except DeadKernelError:
            outcome.died_at = what + 1
            break
        except CellTimeoutError:
            outcome.stuck_at = what + 1
            break
    if outcome.died_at or outcome.stuck_at:
        for kind, what in plan.steps:
            if kind == "snap" and what not in outcome.snapshots:
                outcome.unreadable.setdefault(what, "the kernel was gone")


async def run_student(
    kernel: Kernel, nb: NotebookNode, plan: Plan, timeout: int, limits: GradingLimits | None = None
) -> RunOutcome:
    """Execute ``plan`` on ``nb`` (in place) in ``kernel``; a wall-clock limit for the
    whole notebook (``GradingLimits.notebook_seconds``) backs the per-cell one (many
    cells that each stay just under it, or a kernel that neither finishes nor answers)."""
    limits = limits or GradingLimits()
    client = _Client(nb, kernel, timeout, limits)
    started = time.monotonic()
    budget = limits.notebook_seconds(timeout)
    outcome = client.outcome
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(_run(client, nb, plan, timeout), budget)
    # nbclient may turn the cancellation into a dead kernel and return: the clock decides
    if time.monotonic() - started >= budget:
        outcome.overtime = (client._current + 1, budget)
        outcome.died_at = outcome.stuck_at = None
        for pid in plan.names:
            if pid not in outcome.snapshots:
                outcome.unreadable[pid] = "the notebook ran out of time"
    client.outcome.seconds = time.monotonic() - started
    return client.outcome
