"""Grade over a Dask distributed cluster: ``grade --cluster tcp://host:8786``.

This process (the coordinator) does what a local run does, but for the middle:
it prepares the answer key, reads every submission (never trusting it), and
alone writes the gradebook, one result at a time, as each arrives (the same
:meth:`autograder.engine.grade._Batch.student` as a local run). The
submissions themselves are graded on the cluster's workers, each in the same
sandbox, with the same limits and the same code
(:mod:`autograder.engine.cluster_worker`). A task carries what its worker
needs as bytes: the answer key and the assignment's support files, and the
submission's notebooks and files; the workers need the kit and bubblewrap
installed, nothing of the course folder.

A worker that dies while it grades is the scheduler's to handle: it gives the
submission to another worker (``distributed.scheduler.allowed-failures``
times, 3 by default). Past that the submission is recorded as needing review,
with the address of the worker lost last. Either way each submission has one
result, recorded once.

``distributed`` is imported only here, and only when a cluster is asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import pickle
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from traitlets.config import Config

from autograder.config import GradingLimits, cluster_from
from autograder.course_layout import CourseLayout
from autograder.engine.answer_key import AssignmentKey
from autograder.engine.batch import GradeOptions
from autograder.engine.cluster_worker import (
    BatchSpec,
    SubmissionTask,
    finish_batch,
    grade_submission,
    kit_fingerprint,
)
from autograder.engine.grade import _Batch, _Stopping
from autograder.engine.results import SubmissionResult
from autograder.errors import AutograderError
from autograder.intake.submission import load_submission, submission_files

__all__ = ["ClusterConnection", "connect"]

_MISSING = (
    "grading on a cluster needs the 'distributed' package, which is not installed here: "
    "pip install 'itil-svc-course[instructor]' (or: pip install distributed)"
)


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise AutograderError(_MISSING) from exc
    return distributed


class ClusterConnection:
    """A connection to a Dask scheduler that has at least one worker running the kit."""

    def __init__(self, address: str, client: Any, timeout: int) -> None:
        self.address = address
        self.client = client
        self.timeout = timeout

    def threads(self) -> int:
        return sum(self.client.nthreads().values()) or 1

    def batch(
        self,
        layout: CourseLayout,
        key: AssignmentKey,
        options: GradeOptions,
        limits: GradingLimits,
        timeout: int,
    ) -> _Batch:
        """A batch whose submissions are graded on this cluster."""
        return _ClusterBatch(self, layout, key, options, limits, timeout)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close(timeout=self.timeout)


def connect(address: str, config: Config | None = None) -> ClusterConnection:
    """Connect to the scheduler at ``address`` and check its workers run this kit, before
    anything of the course is touched; a clear :class:`AutograderError` if not
    (waiting at most ``c.Cluster.connect_timeout`` seconds of ``config``)."""
    distributed = _distributed()
    wait = cluster_from(config or Config()).connect_timeout
    try:
        client = distributed.Client(address, timeout=f"{wait}s", set_as_default=False)
    except Exception as exc:  # whatever stops the connection, the instructor must hear why
        raise AutograderError(
            f"cannot reach the Dask scheduler at {address} ({type(exc).__name__}: {exc}). "
            "Check the address (e.g. tcp://host:8786), that the scheduler (dask scheduler, "
            "formerly dask-scheduler) runs there and that this machine may connect to its "
            "port; or grade on this machine with --cluster local"
        ) from exc
    cluster = ClusterConnection(address, client, wait)
    try:
        try:
            client.wait_for_workers(1, timeout=wait)
        except (TimeoutError, asyncio.TimeoutError) as exc:
            raise AutograderError(
                f"the Dask scheduler at {address} has no worker (none joined in {wait} s): "
                "start dask-worker on the grading machines (see the README, 'Grading on a "
                "cluster')"
            ) from exc
        try:
            prints = client.run(kit_fingerprint)
        except Exception as exc:
            raise AutograderError(
                f"the workers of the cluster at {address} cannot run the kit "
                f"({type(exc).__name__}: {exc}): install it on every worker "
                "(pip install 'itil-svc-course[instructor]') and bubblewrap"
            ) from exc
        ours = kit_fingerprint()
        other = sorted(worker for worker, value in prints.items() if value != ours)
        if other:
            raise AutograderError(
                f"the worker(s) {', '.join(other)} of the cluster at {address} run another "
                "version of the kit than this machine: install the same version everywhere"
            )
    except BaseException:
        cluster.close()
        raise
    return cluster


def _settled(future: Any, address: str, finished: Callable[[], None]) -> asyncio.Future[Any]:
    """An asyncio future (of the running loop) that follows a Dask future; a task the
    cluster cancelled (the scheduler restarted, say) fails with an AutograderError.
    ``finished`` is called on the loop as soon as the task is over, before its result
    has travelled back."""
    loop = asyncio.get_running_loop()
    mirror: asyncio.Future[Any] = loop.create_future()

    def copy(value: Any, error: BaseException | None) -> None:
        if mirror.done():
            return
        if error is not None:
            mirror.set_exception(error)
        else:
            mirror.set_result(value)

    def done(task: Any) -> None:  # in a thread of the client
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(finished)
        value: Any = None
        error: BaseException | None = None
        try:
            value = task.result()
        except (asyncio.CancelledError, KeyboardInterrupt) as exc:
            error = AutograderError(f"the Dask scheduler at {address} cancelled a task ({exc})")
        except Exception as exc:
            error = exc
        with contextlib.suppress(RuntimeError):  # the batch is over: nobody waits
            loop.call_soon_threadsafe(copy, value, error)

    future.add_done_callback(done)
    return mirror


class _ClusterBatch(_Batch):
    """A batch whose per-submission grading runs on the cluster's workers."""

    def __init__(self, cluster: ClusterConnection, *args: Any) -> None:
        super().__init__(*args)
        self.cluster = cluster
        self.batch_id = uuid.uuid4().hex[:12]
        self.workers = cluster.threads()
        self.futures: dict[str, Any] = {}  # student -> the task not yet back
        self.loaded = 0  # submissions read and not yet back
        self.numbers = itertools.count()
        self.spec = b""

    async def open(self, base: Path, units: int) -> None:
        del base  # nothing runs here
        self.fixed = cluster_from(self.layout.config).in_flight
        self.capacity = self.fixed or 2 * self.workers
        self.freed = asyncio.Event()
        self.watch = asyncio.ensure_future(self._follow())
        support = {
            str(path.relative_to(self.key.source_dir)): path.read_bytes()
            for path in self.key.support_files
            if path.is_file() and not path.is_symlink()
        }
        names = GradingLimits.class_traits(config=True)
        spec = BatchSpec(
            batch_id=self.batch_id,
            key=self.key,
            support=support,
            limits={name: getattr(self.limits, name) for name in names},
            timeout=self.timeout,
            sandboxed=self.options.sandbox.enabled,
            units=units,
            fingerprint=kit_fingerprint(),
        )
        self.spec = pickle.dumps(spec)

    async def _follow(self) -> None:
        """Follow the cluster's worker threads (workers join and leave), every 2 s."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(2)
            with contextlib.suppress(Exception):
                threads = await loop.run_in_executor(None, self.cluster.threads)
                self.capacity = self.fixed or 2 * threads
            self.freed.set()

    async def _until(self, ready: Callable[[], bool]) -> None:
        while not ready():
            self.freed.clear()
            await self.freed.wait()

    async def close(self) -> None:
        if hasattr(self, "watch"):
            self.watch.cancel()
        client = self.cluster.client
        pending = [f for f in self.futures.values() if not f.done()]
        with contextlib.suppress(Exception):
            if pending:
                client.cancel(pending)
        with contextlib.suppress(Exception):
            await asyncio.get_running_loop().run_in_executor(
                None, lambda: client.run(finish_batch, self.batch_id)
            )

    async def _grade(
        self, student: str, result: SubmissionResult, graded: dict[str, NotebookNode | None]
    ) -> None:
        # read a few submissions ahead of the cluster, not the whole class at once
        await self._until(lambda: self.loaded < self.capacity + 4)
        self.loaded += 1
        try:
            await self._remote(student, result, graded)
        finally:
            self.loaded -= 1
            self.freed.set()

    async def _remote(
        self, student: str, result: SubmissionResult, graded: dict[str, NotebookNode | None]
    ) -> None:
        submitted = load_submission(
            self.layout, self.key, student, self.limits.bytes("notebook_mb")
        )
        files = {
            str(path): (submitted.folder / path).read_bytes()
            for path in submission_files(submitted.folder)
        }
        task = pickle.dumps(SubmissionTask(submitted, files))
        # two tasks per worker thread: the next is on the worker when one ends (Dask's work
        # stealing moves a waiting task away from a worker that is stuck on a long one)
        await self._until(lambda: len(self.futures) < self.capacity)
        if self.stopped is not None:
            raise _Stopping
        future = self.cluster.client.submit(
            grade_submission,
            self.batch_id,
            self.spec,
            task,
            key=f"itil-grade-{self.batch_id}-{next(self.numbers):06d}",
            pure=False,
        )
        self.futures[student] = future
        try:
            remote, notebooks = await _settled(
                future, self.cluster.address, lambda: self._finished(student)
            )
        except Exception as exc:
            self._lost(exc, result, graded)
            return
        finally:
            self._finished(student)
        result.questions = remote.questions
        for reason in remote.reasons:
            result.review(reason)
        for note in remote.notes:
            result.note(note)
        graded.update(notebooks)

    def _finished(self, student: str) -> None:
        """A task is over: the next may go (and the cluster may forget this one)."""
        if self.futures.pop(student, None) is not None:
            self.freed.set()

    def _lost(
        self, exc: Exception, result: SubmissionResult, graded: dict[str, NotebookNode | None]
    ) -> None:
        """A task that failed: a worker lost too often is this submission's review; any
        other failure is the batch's (as in a local run)."""
        distributed = _distributed()
        if isinstance(exc, distributed.KilledWorker):
            worker = getattr(exc.last_worker, "address", exc.last_worker)
            result.review(
                f"the cluster lost the worker grading this submission ({worker}), "
                f"{exc.allowed_failures + 1} times in all: grade it again, and look at "
                "that worker's log"
            )
            self._settle(result, graded)
            return
        if isinstance(exc, distributed.comm.CommClosedError):
            raise AutograderError(
                f"the Dask scheduler at {self.cluster.address} stopped answering ({exc})"
            ) from exc
        raise exc
