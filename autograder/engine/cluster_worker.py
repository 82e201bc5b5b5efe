"""The worker's half of grading over a Dask cluster (see :mod:`autograder.engine.cluster`).

A task carries everything a worker needs, as bytes: the batch (the answer key,
the assignment's support files, the limits, the time limit, sandboxed or not)
and one submission (the notebooks as the coordinator read them, the answers
saved in their widget state, the student's other files). Nothing is read from
the course folder, which the workers need not see.

Each worker process keeps one grader per batch: a private scratch course, the
sandbox, kernels started ahead and the test rooms, on an event loop of its own,
so that one submission after another pays no more than on the instructor's
machine. The grader grades exactly as a local run does
(:meth:`autograder.engine.grade._Batch.grade_submitted`) and hands back the
result and the autograded notebooks; it never writes a gradebook. It is closed
when the coordinator says the batch is over (:func:`finish_batch`), or after
:data:`IDLE_SECONDS` without a task (a coordinator that went away).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import hashlib
import pickle
import shutil
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from nbformat import NotebookNode
from traitlets.config import Config

from autograder.config import GradingLimits
from autograder.course_layout import CourseLayout
from autograder.engine.answer_key import AssignmentKey
from autograder.engine.batch import GradeOptions
from autograder.engine.grade import _Batch
from autograder.engine.results import SubmissionResult
from autograder.engine.sandbox import Limits, find_sandbox
from autograder.errors import AutograderError
from autograder.intake.submission import Submitted

__all__ = [
    "IDLE_SECONDS",
    "BatchSpec",
    "SubmissionTask",
    "finish_batch",
    "grade_submission",
    "in_progress",
    "kit_fingerprint",
]

Graded = dict[str, NotebookNode | None]

#: A worker's grader with no task for this long closes itself (kernels, rooms, scratch).
IDLE_SECONDS = 900.0


@cache
def kit_fingerprint() -> str:
    """A digest of the kit's code and course content: coordinator and workers must agree,
    or the same submission could be graded differently on different machines."""
    import autograder
    import course

    digest = hashlib.sha256()
    for package in (autograder, course):
        root = Path(package.__file__ or "").parent
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class BatchSpec:
    """What every task of one batch shares."""

    batch_id: str
    key: AssignmentKey
    support: dict[str, bytes]  # the assignment's support files, by path under source/<a>/
    limits: dict[str, Any]  # GradingLimits values
    timeout: int
    sandboxed: bool
    units: int  # notebooks in the whole batch: kernels are never started beyond it
    fingerprint: str


@dataclass(frozen=True)
class SubmissionTask:
    """One submission, as the coordinator read it."""

    submitted: Submitted
    files: dict[str, bytes]  # the student's other files, by path under their folder


def _relative(name: str) -> PurePosixPath:
    """A path the coordinator named, refused unless it stays inside its folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise AutograderError(f"a task names a file outside its folder: {name!r}")
    return path


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        target = folder / _relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _worker() -> tuple[str, int, str | None]:
    """This worker's address, threads and scratch folder (a plain process: none)."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return "this process", 1, None
    return str(worker.address), int(worker.state.nthreads), str(worker.local_directory)


class _Grader:
    """One batch on one worker: its scratch course, kernels and test rooms."""

    def __init__(self, spec: BatchSpec) -> None:
        address, threads, local_dir = _worker()
        self.address = address
        self.scratch = Path(tempfile.mkdtemp(prefix="itil-cluster-"))
        self.scratch.chmod(0o700)
        config = Config()
        config.CourseDirectory.root = str(self.scratch)
        self.layout = CourseLayout(self.scratch, config)
        source = self.layout.source_dir(spec.key.name)
        source.mkdir(parents=True)
        _write(source, spec.support)
        key = dataclasses.replace(
            spec.key,
            source_dir=source,
            support_files=tuple(source / _relative(name) for name in spec.support),
        )
        limits = GradingLimits(**spec.limits)
        secrets = [self.scratch, Path.home(), *([Path(local_dir)] if local_dir else [])]
        sandbox = find_sandbox(
            no_sandbox=not spec.sandboxed, limits=Limits.of(limits), secrets=secrets
        )
        options = GradeOptions(sandbox=sandbox, workers=threads, limits=limits)
        self.batch = _Batch(self.layout, key, options, limits, spec.timeout)
        self.busy: set[str] = set()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name=f"grade-{spec.batch_id}", daemon=True
        )
        self._thread.start()
        self._idle: asyncio.TimerHandle | None = None
        self._closed = False
        try:
            run = self.scratch / "run"
            run.mkdir(mode=0o700)
            self._call(self.batch.open(run, spec.units))
        except BaseException:
            self.close()
            raise

    def _call(self, coroutine: Any) -> Any:
        """Run ``coroutine`` on the grader's loop and wait for it; if the grader is closed
        meanwhile (the coordinator ended the batch), stop waiting."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        while True:
            try:
                return future.result(timeout=1.0)
            except concurrent.futures.TimeoutError:  # (not TimeoutError before 3.11)
                if self._closed and not self.loop.is_running():
                    future.cancel()
                    raise AutograderError(
                        f"the batch was closed on the worker {self.address} during grading"
                    ) from None

    def grade(self, task: SubmissionTask) -> tuple[SubmissionResult, Graded]:
        submitted = task.submitted
        assignment = self.batch.key.name
        folder = self.layout.submitted_dir(submitted.student, assignment)
        if folder.exists():
            raise AutograderError(f"{submitted.student} is already being graded on {self.address}")
        folder.mkdir(parents=True)
        self.loop.call_soon_threadsafe(self._keep)
        with _LOCK:
            self.busy.add(submitted.student)
        try:
            _write(folder, task.files)
            local = dataclasses.replace(submitted, folder=folder)
            result = SubmissionResult(submitted.student, assignment)
            graded: dict[str, NotebookNode | None] = {}
            self._call(self.batch.grade_submitted(local, result, graded))
            return result, graded
        finally:
            with _LOCK:
                self.busy.discard(submitted.student)
            shutil.rmtree(folder, ignore_errors=True)
            self.loop.call_soon_threadsafe(self._keep)

    def _keep(self) -> None:
        """(On the loop.) Restart the idle clock."""
        if self._idle is not None:
            self._idle.cancel()
        self._idle = self.loop.call_later(IDLE_SECONDS, self._expire)

    def _expire(self) -> None:
        if not self.busy:
            threading.Thread(target=_drop, args=(self,), daemon=True).start()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.loop.is_running():
            with contextlib.suppress(Exception):  # closing what is left: nobody to tell
                self._call(self.batch.close())
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=30)
        shutil.rmtree(self.scratch, ignore_errors=True)


_GRADERS: dict[str, _Grader] = {}
_LOCK = threading.Lock()  # _GRADERS and each grader's busy set
_STARTING = threading.Lock()


def _drop(grader: _Grader) -> None:
    with _LOCK:
        for batch_id, known in list(_GRADERS.items()):
            if known is grader:
                del _GRADERS[batch_id]
    grader.close()


def _grader(spec_blob: bytes, batch_id: str) -> _Grader:
    with _STARTING:  # one grader per batch; _LOCK stays free for in_progress()
        with _LOCK:
            grader = _GRADERS.get(batch_id)
        if grader is not None:
            return grader
        spec: BatchSpec = pickle.loads(spec_blob)
        address = _worker()[0]
        if spec.fingerprint != kit_fingerprint():
            raise AutograderError(
                f"the worker {address} runs another version of the kit than the grading "
                f"machine (fingerprint {kit_fingerprint()}, not {spec.fingerprint}): "
                "install the same version on every worker"
            )
        try:
            grader = _Grader(spec)
        except Exception as exc:  # the worker's set-up: it stops the batch, said plainly
            why = exc if isinstance(exc, AutograderError) else repr(exc)
            raise AutograderError(f"on the worker {address}: {why}") from exc
        with _LOCK:
            _GRADERS[batch_id] = grader
        return grader


def grade_submission(
    batch_id: str, spec_blob: bytes, task_blob: bytes
) -> tuple[SubmissionResult, Graded]:
    """The Dask task: grade one submission, return its result and autograded notebooks."""
    task: SubmissionTask = pickle.loads(task_blob)
    return _grader(spec_blob, batch_id).grade(task)


def finish_batch(batch_id: str) -> bool:
    """Close this worker's grader of ``batch_id`` (run on every worker at the batch's end)."""
    with _LOCK:
        grader = _GRADERS.pop(batch_id, None)
    if grader is not None:
        grader.close()
    return grader is not None


def in_progress() -> list[str]:
    """The students this worker process is grading right now."""
    with _LOCK:
        return sorted(s for grader in _GRADERS.values() for s in grader.busy)
