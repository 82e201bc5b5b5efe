"""Sandboxed IPython kernels, started ahead of need: one fresh kernel per submission.

Kernel start-up dominates the grading of a small notebook, so the pool keeps
a few kernels starting while others grade. A kernel serves exactly one
submission and is then shut down with its scratch folder: nothing of one
student's run can reach another's.

Each kernel talks to the grader over ZeroMQ IPC sockets in its own run folder
(bound into the sandbox at :data:`RUN`, where there is no network at all), and
is interrupted by message, since signals to bubblewrap would not reach it.

A kernel works in the sandbox's size-capped ``/work``
(:data:`autograder.engine.sandbox.WORK`), which
the grader cannot write to: the submission's files go to the kernel's inbox
(a host folder shown read-only at :data:`INBOX`), and :meth:`Kernel.take_files`
has the kernel copy them to ``/work`` before any student code runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any, TextIO

import zmq
import zmq.asyncio
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from zmq.utils.monitor import parse_monitor_message

from autograder.config import GradingLimits
from autograder.engine.cgroups import KernelCgroup
from autograder.engine.sandbox import Sandbox, boot_command
from autograder.errors import AutograderError

__all__ = ["Kernel", "KernelPool", "SandboxedKernelManager"]

#: The default of ``GradingLimits.message_mb``, in bytes.
DEFAULT_MESSAGE_BYTES = GradingLimits().bytes("message_mb")

KERNEL_ARGS = [
    "-f",
    "{connection_file}",
    "--HistoryManager.enabled=False",
    "--InteractiveShellApp.exec_lines=[]",
    "--IPKernelApp.quiet=True",
]
_STARTUP_TIMEOUT = 60.0
#: The kernel's run folder (connection file, sockets) and inbox, inside the sandbox.
RUN = "/run/grader"
INBOX = "/run/inbox"


class SandboxedKernelManager(AsyncKernelManager):
    """An ipykernel launched through :meth:`Sandbox.command` (without a sandbox: in
    ``workdir``), its sockets in ``rundir``, reading files from ``inbox``."""

    def __init__(
        self, sandbox: Sandbox, workdir: Path, rundir: Path, inbox: Path, **kwargs: Any
    ) -> None:
        super().__init__(
            transport="ipc",
            ip=str(rundir / "kernel"),
            connection_file=str(rundir / "kernel.json"),
            **kwargs,
        )
        self._sandbox = sandbox
        self._workdir = workdir
        self._rundir = rundir
        self._inbox = inbox
        self.cgroup = (
            KernelCgroup.create(
                rundir.parent.name, sandbox.limits.memory_mb, sandbox.limits.processes
            )
            if sandbox.enabled
            else None
        )
        self._kernel_spec = KernelSpec(
            argv=boot_command(
                "ipykernel_launcher", KERNEL_ARGS, sandbox.limits, ["debugpy"], sandbox.python()
            ),
            display_name="Python 3 (sandboxed grading)",
            language="python",
            interrupt_mode="message",
        )

    @property
    def env(self) -> dict[str, str]:
        home = "/tmp" if self._sandbox.enabled else str(self._workdir / ".home")
        return self._sandbox.env(home)

    @property
    def inbox(self) -> str:
        """The inbox as the kernel sees it."""
        return INBOX if self._sandbox.enabled else str(self._inbox)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        argv: list[str] = super().format_kernel_cmd(extra_arguments)
        if not self._sandbox.enabled:
            return argv
        # the kernel reads a connection file naming its sockets as it sees them
        info = json.loads(Path(self.connection_file).read_text())
        info["ip"] = info["ip"].replace(str(self._rundir), RUN, 1)
        inside = self._rundir / "inside.json"
        inside.write_text(json.dumps(info))
        argv = [f"{RUN}/inside.json" if a == self.connection_file else a for a in argv]
        return self._sandbox.command(
            argv,
            binds=[(self._rundir, RUN)],
            readonly=[(self._inbox, INBOX)],
            env=self.env,
            cgroup_procs=self.cgroup.procs_files() if self.cgroup else (),
        )


class _BoundedContext(zmq.asyncio.Context):
    """Sockets that drop (and disconnect on) a message larger than ``max_bytes``
    (``GradingLimits.message_mb``), before the grader buffers any of it."""

    max_bytes: int

    def socket(self, *args: Any, **kwargs: Any) -> Any:
        sock = super().socket(*args, **kwargs)
        sock.setsockopt(zmq.MAXMSGSIZE, self.max_bytes)
        return sock


_CONTEXTS: dict[int, _BoundedContext] = {}


def _bounded_context(max_bytes: int) -> _BoundedContext:
    if max_bytes not in _CONTEXTS:
        context = _BoundedContext()
        context.max_bytes = max_bytes
        _CONTEXTS[max_bytes] = context
    return _CONTEXTS[max_bytes]


@dataclass
class Kernel:
    """A started kernel, its client, the inbox its files go to and its host folder."""

    manager: SandboxedKernelManager
    client: AsyncKernelClient
    inbox: Path
    folder: Path
    log: TextIO
    monitors: list[Any] = field(default_factory=list)

    def watch(self) -> None:
        """Watch the shell and IOPub sockets for the disconnect that ZeroMQ makes when a
        message is over the message size limit (the message itself is never buffered)."""
        for channel in (self.client.shell_channel, self.client.iopub_channel):
            self.monitors.append(channel.socket.get_monitor_socket(zmq.EVENT_DISCONNECTED))

    async def take_files(self, timeout: float = 30.0) -> str | None:
        """Have the kernel copy its inbox into its working folder, before any student code
        runs; None when done, else what went wrong (a full working folder...)."""
        code = (
            f"__import__('shutil').copytree({self.manager.inbox!r}, '.', dirs_exist_ok=True,"
            " copy_function=__import__('shutil').copyfile)"
        )
        msg_id = self.client.execute(code, silent=True, store_history=False)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return "the kernel did not take its files in time"
            try:
                msg = await self.client.get_shell_msg(timeout=remaining)
            except Empty:
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = msg.get("content", {})
            if content.get("status") == "ok":
                return None
            return f"{content.get('ename')}: {content.get('evalue')}"[:300]

    async def kill(self) -> None:
        """Stop the kernel now (its folder stays until :meth:`shutdown`)."""
        with contextlib.suppress(Exception):
            await self.manager.shutdown_kernel(now=True)

    async def dropped_message(self) -> bool:
        """Whether a message over the size limit was dropped since the kernel started.

        ZeroMQ drops such a message by breaking the one connection that carried it. A
        kernel that died, or closed its sockets, breaks every connection at once: so
        only a break of some of the watched connections (shell, IOPub) counts."""
        broken = []
        for monitor in self.monitors:
            seen = False
            with contextlib.suppress(Exception):
                while await monitor.poll(0):
                    event = parse_monitor_message(await monitor.recv_multipart())
                    seen = seen or event["event"] == zmq.EVENT_DISCONNECTED
            broken.append(seen)
        return any(broken) and not all(broken)

    async def shutdown(self) -> None:
        for channel in (self.client.shell_channel, self.client.iopub_channel):
            with contextlib.suppress(Exception):
                channel.socket.disable_monitor()
        for monitor in self.monitors:
            with contextlib.suppress(Exception):
                monitor.close(linger=0)
        with contextlib.suppress(Exception):
            self.client.stop_channels()
        with contextlib.suppress(Exception):
            await self.manager.shutdown_kernel(now=True)
        with contextlib.suppress(Exception):
            self.log.close()
        if self.manager.cgroup is not None:
            self.manager.cgroup.remove()
        shutil.rmtree(self.folder, ignore_errors=True)

    def limits_hit(self) -> list[str]:
        """The resource limits this kernel ran into (where the groups tell)."""
        return self.manager.cgroup.limits_hit() if self.manager.cgroup is not None else []

    def startup_log(self) -> str:
        with contextlib.suppress(OSError):
            return (self.folder / "kernel.log").read_text(errors="replace")[-2000:]
        return ""


class KernelPool:
    """Starts up to ``ahead`` kernels before they are needed, never more than ``total``."""

    def __init__(
        self,
        sandbox: Sandbox,
        base: Path,
        *,
        ahead: int,
        total: int,
        message_bytes: int = DEFAULT_MESSAGE_BYTES,
    ) -> None:
        self._sandbox = sandbox
        self._message_bytes = message_bytes
        self._base = base
        self._ahead = max(1, ahead)
        self._remaining = total
        self._counter = itertools.count(1)
        self._starting: list[asyncio.Task[Kernel]] = []
        self._failures = 0

    def _launch(self) -> None:
        while self._remaining > 0 and len(self._starting) < self._ahead:
            self._remaining -= 1
            self._starting.append(asyncio.ensure_future(self._start()))

    async def _start(self) -> Kernel:
        folder = self._base / f"k{next(self._counter):04d}"
        workdir, rundir, inbox = folder / "work", folder / "run", folder / "in"
        folder.mkdir(parents=True)
        for part in (workdir, rundir, inbox):
            part.mkdir(mode=0o700)
        log = (folder / "kernel.log").open("w")
        manager = SandboxedKernelManager(self._sandbox, workdir, rundir, inbox)
        kernel: Kernel | None = None
        try:
            await manager.start_kernel(env=manager.env, stdout=log, stderr=log, cwd=str(workdir))
            client = manager.client(context=_bounded_context(self._message_bytes))
            kernel = Kernel(manager, client, inbox, folder, log)
            client.start_channels()
            await client.wait_for_ready(timeout=_STARTUP_TIMEOUT)
            kernel.watch()
        except BaseException as exc:
            if kernel is None:
                kernel = Kernel(manager, manager.client(), inbox, folder, log)
            detail = kernel.startup_log().strip().splitlines()[-3:]
            await kernel.shutdown()
            raise AutograderError(
                f"a grading kernel did not start ({exc or type(exc).__name__}): "
                + " | ".join(detail)
            ) from exc
        return kernel

    async def acquire(self) -> Kernel:
        """A fresh, ready kernel (a replacement starts at once)."""
        self._launch()
        if not self._starting:
            self._remaining += 1
            self._launch()
        task = self._starting.pop(0)
        self._launch()
        try:
            return await task
        except AutograderError:
            self._failures += 1
            if self._failures > 3:
                raise
            self._remaining += 1
            return await self.acquire()

    async def close(self) -> None:
        """Shut down kernels started but never used."""
        pending, self._starting = self._starting, []
        self._remaining = 0
        for task in pending:
            with contextlib.suppress(BaseException):
                kernel = await task
                await kernel.shutdown()
