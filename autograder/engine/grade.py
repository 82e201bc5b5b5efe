"""Grade every submission of an assignment: in parallel, sandboxed, bounded in time.

For each submitted notebook:

1. the parent reads it (never trusting it) and prepares it with nbgrader's
   preprocessors (:mod:`autograder.engine.prepare`);
2. a fresh, pre-started, sandboxed kernel runs the student's cells and the
   answers are read back as plain values (:mod:`autograder.engine.student_run`);
3. a test room, which never runs student code, runs the instructor's tests on
   those values (:mod:`autograder.testroom.server`);
4. the two runs are joined into nbgrader's autograded notebook and graded
   (:mod:`autograder.engine.score`), and the grades written to the gradebook
   (:mod:`autograder.engine.gradebook`).

``workers`` submissions run at once (default: the machine's cores) while as
many kernels start ahead. One bad submission never stops the batch. With
``cluster`` set, steps 2 to 4 run on the workers of a Dask cluster instead
(:mod:`autograder.engine.cluster`); this process still reads every submission
and alone writes the gradebook.
"""

from __future__ import annotations

import ast
import asyncio
import concurrent.futures
import contextlib
import shutil
import tempfile
import time
import traceback
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nbformat import NotebookNode

from autograder.config import GradingLimits, limits_from
from autograder.course_layout import CourseLayout
from autograder.engine.answer_key import AssignmentKey, NotebookKey, prepare_assignment
from autograder.engine.batch import BatchResult, GradeOptions
from autograder.engine.cell_names import to_python
from autograder.engine.cgroups import remove_run_groups
from autograder.engine.disk_watch import watch_disk
from autograder.engine.gradebook import GradebookWriter, fatal_problem
from autograder.engine.kernels import KernelPool
from autograder.engine.lock import GradingLocks, busy_message
from autograder.engine.prepare import prepare_notebook
from autograder.engine.results import QuestionResult, SubmissionResult
from autograder.engine.score import assemble, build_job, cell_label
from autograder.engine.student_run import run_student
from autograder.engine.widget_answers import write_answers
from autograder.errors import AutograderError
from autograder.intake.safety import student_id_problem
from autograder.intake.submission import Submitted, copy_files, load_submission
from autograder.testroom.pool import RoomPool

if TYPE_CHECKING:
    from autograder.engine.cluster import ClusterConnection

__all__ = ["BatchResult", "GradeOptions", "default_timeout", "grade_assignment"]

_T = TypeVar("_T")


class _Stopping(Exception):
    """The batch is stopping (see ``_Batch.stopped``): grade no further."""


def default_timeout(layout: CourseLayout) -> int:
    """The course's per-cell time limit: ``c.GradingLimits.cell_timeout``, else nbgrader's
    ``Execute.timeout``, else 30 s."""
    return limits_from(layout.config).timeout_seconds(layout.config)


def _warm_modules(key: AssignmentKey) -> list[str]:
    """Modules the instructor's cells import: the test rooms import them once, up front."""
    modules: set[str] = {"course", "json"}
    for nb in key.notebooks:
        for cell in nb.program:
            try:
                tree = ast.parse(to_python(cell.source))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules.add(node.module)
    return sorted(modules)


class _Batch:
    def __init__(
        self,
        layout: CourseLayout,
        key: AssignmentKey,
        options: GradeOptions,
        limits: GradingLimits,
        timeout: int,
    ) -> None:
        self.layout, self.key, self.options, self.timeout = layout, key, options, timeout
        self.limits = limits
        self.workers = max(1, options.workers or limits.worker_count())
        self.slots = asyncio.Semaphore(self.workers)
        self.shutdowns: list[asyncio.Task[None]] = []
        self.stopped: str | None = None
        self.recorded = 0

    async def run(self, students: list[str]) -> list[SubmissionResult]:
        units = sum(
            (self.layout.submitted_dir(s, self.key.name) / f"{nb.name}.ipynb").is_file()
            for s in students
            for nb in self.key.notebooks
        )
        base = Path(tempfile.mkdtemp(prefix="itil-grade-"))
        base.chmod(0o700)
        self.gradebook = GradebookWriter(self.layout, self.key, self.options.discard_review)
        try:
            await self.open(base, units)
            return list(await asyncio.gather(*(self.student(s) for s in students)))
        finally:
            await self.close()
            self.gradebook.close()
            shutil.rmtree(base, ignore_errors=True)

    async def open(self, base: Path, units: int) -> None:
        """Get ready to grade ``units`` notebooks: kernels started ahead, the test rooms."""
        self.kernels = KernelPool(
            self.options.sandbox,
            base,
            ahead=self.workers,
            total=units,
            message_bytes=self.limits.bytes("message_mb"),
        )
        self.rooms = RoomPool(
            self.options.sandbox, base, min(self.workers, max(units, 1)), _warm_modules(self.key)
        )
        if units:
            await self.rooms.start()

    async def close(self) -> None:
        await self.kernels.close()
        await asyncio.gather(*self.shutdowns, return_exceptions=True)
        remove_run_groups()
        await self.rooms.close()

    async def student(self, student: str) -> SubmissionResult:
        """Grade and record one student; whatever the submission holds, the batch goes on.
        Only a failure that is not the student's (the disk, the gradebook) stops it."""
        started = time.monotonic()
        result = SubmissionResult(student, self.key.name)
        graded: dict[str, NotebookNode | None] = {}
        try:
            await self._grade(student, result, graded)
        except _Stopping:
            return result
        except AutograderError as exc:  # the grader's own set-up, not the student's work
            self.stopped = self.stopped or str(exc)
            return result
        except Exception as exc:  # a grader bug must not lose the rest of the batch
            result.review(f"the autograder failed on this submission ({_describe(exc)})")
            self._settle(result, graded)
        result.seconds = round(time.monotonic() - started, 3)
        if self.stopped is not None:
            return result  # not recorded: the batch is stopping
        try:
            await self.gradebook.write(result, graded)
        except Exception as exc:
            stop = fatal_problem(exc)
            if stop is not None:
                self.stopped = self.stopped or stop
                return result
            # the student's notebook could not be written: record the grade without it
            result.review(f"the autograded notebook could not be written ({_describe(exc)})")
            try:
                await self.gradebook.write(result, dict.fromkeys(graded))
            except Exception as again:
                self.stopped = self.stopped or fatal_problem(again) or _describe(again)
                return result
        self.recorded += 1
        if self.options.progress is not None:
            self.options.progress(result)
        return result

    async def _grade(
        self, student: str, result: SubmissionResult, graded: dict[str, NotebookNode | None]
    ) -> None:
        submitted = load_submission(
            self.layout, self.key, student, self.limits.bytes("notebook_mb")
        )
        await self.grade_submitted(submitted, result, graded)

    async def grade_submitted(
        self, submitted: Submitted, result: SubmissionResult, graded: dict[str, NotebookNode | None]
    ) -> None:
        """Grade what ``submitted`` holds into ``result`` and ``graded`` (nothing recorded)."""
        for reason in submitted.reasons:
            result.review(reason)
        for note in submitted.notes:
            result.note(note)
        for nb_key in self.key.notebooks:
            nb = submitted.notebooks.get(nb_key.name)
            if nb is None:
                graded[nb_key.name] = None
                self._unanswered(nb_key, result, missing=nb_key.name in submitted.missing)
                continue
            try:
                graded[nb_key.name] = await self.notebook(submitted, nb_key, nb, result)
            except (AutograderError, _Stopping):
                raise
            except Exception as exc:  # a grader bug must not lose the rest of the batch
                result.review(f"{nb_key.name}.ipynb: the autograder failed ({_describe(exc)})")
                graded[nb_key.name] = None
                result.questions = [q for q in result.questions if q.notebook != nb_key.name]
                self._unanswered(nb_key, result, missing=False)

    def _settle(self, result: SubmissionResult, graded: dict[str, NotebookNode | None]) -> None:
        """After a failure outside one notebook: every question unscored, nothing written."""
        result.questions = []
        for nb_key in self.key.notebooks:
            graded[nb_key.name] = None
            self._unanswered(nb_key, result, missing=False)

    def _unanswered(self, nb_key: NotebookKey, result: SubmissionResult, missing: bool) -> None:
        for grade_id in nb_key.graded_ids():
            info = nb_key.cells[grade_id]
            score = 0.0 if missing else None
            result.questions.append(
                QuestionResult(grade_id, nb_key.name, info.max_score or 0.0, score, {})
            )

    async def notebook(
        self, submitted: Submitted, nb_key: NotebookKey, nb: NotebookNode, result: SubmissionResult
    ) -> NotebookNode:
        async with self.slots:
            if self.stopped is not None:
                raise _Stopping
            kernel = await self.kernels.acquire()
            answers = submitted.widget_answers.get(nb_key.name, {})
            try:
                copy_files(submitted.folder, self.key, kernel.inbox)
                write_answers(kernel.inbox, answers)  # always: a submitted file never counts
                problem = await kernel.take_files()
                if problem is not None:
                    result.review(
                        f"{nb_key.name}.ipynb: the submission's files could not be put in the "
                        f"kernel's working folder (it holds {self.limits.work_mb} MB): {problem}"
                    )
                prepared = prepare_notebook(nb, nb_key, self.key.name, submitted.student)
                for note in prepared.plan.notes:
                    result.note(f"{nb_key.name}.ipynb: {note}")
                disk: list[str] = []
                watch = asyncio.ensure_future(
                    watch_disk(kernel.folder, kernel.kill, disk, self.limits)
                )
                try:
                    outcome = await run_student(
                        kernel, prepared.nb, prepared.plan, self.timeout, self.limits
                    )
                finally:
                    watch.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await watch
                for why in disk:
                    result.review(f"{nb_key.name}.ipynb: the kernel {why}")
                for hit in kernel.limits_hit():
                    result.review(f"{nb_key.name}.ipynb: the kernel {hit}")
                limits = self.limits
                for cell in outcome.out_of_memory:
                    where = cell_label(prepared.nb, cell)
                    result.review(
                        f"{nb_key.name}.ipynb: {where} ran out of memory "
                        f"(the memory limit is {limits.memory_mb} MB)"
                    )
                for cell in outcome.out_of_space:
                    where = cell_label(prepared.nb, cell)
                    result.review(
                        f"{nb_key.name}.ipynb: {where} ran out of writable space (the working "
                        f"folder holds {limits.work_mb} MB, /tmp {limits.tmp_mb} MB, "
                        f"/dev/shm {limits.shm_mb} MB)"
                    )
                # (a kernel that died disconnects too: only a live one tells)
                if outcome.died_at is None and await kernel.dropped_message():
                    result.review(
                        f"{nb_key.name}.ipynb: the kernel sent a message larger than the limit "
                        f"({self.limits.message_mb} MB), which was dropped unread"
                    )
            finally:
                self.shutdowns.append(asyncio.ensure_future(kernel.shutdown()))
            job = build_job(nb_key, outcome, answers, self.timeout, self.limits.test_output_chars)
            room = await self.rooms.run(job)
        return assemble(prepared.nb, nb_key, outcome, room, result)


def _describe(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()[:300]


def grade_assignment(layout: CourseLayout, assignment: str, options: GradeOptions) -> BatchResult:
    """Grade ``assignment`` for every student who submitted it (or ``options.students``).
    Runs on different students go at once; a student another run is grading is left to
    it (:class:`autograder.engine.lock.GradingLocks`). With ``options.cluster``, the
    submissions are graded on a Dask cluster and recorded here."""
    with _cluster(options, layout) as cluster, GradingLocks(layout, f"grade {assignment}") as locks:
        return _grade_locked(layout, assignment, options, locks, cluster)


@contextlib.contextmanager
def _cluster(options: GradeOptions, layout: CourseLayout) -> Iterator[ClusterConnection | None]:
    """The Dask cluster ``options`` name (None: this machine), reached before anything of
    the course is touched (:mod:`autograder.engine.cluster`)."""
    if options.cluster is None:
        yield None
        return
    from autograder.engine.cluster import connect  # distributed: an optional dependency

    cluster = connect(options.cluster, layout.config)
    try:
        yield cluster
    finally:
        cluster.close()


def _grade_locked(
    layout: CourseLayout,
    assignment: str,
    options: GradeOptions,
    locks: GradingLocks,
    cluster: ClusterConnection | None,
) -> BatchResult:
    started = time.monotonic()
    layout.require_assignment(assignment)
    students = options.students if options.students is not None else layout.students(assignment)
    unknown = [s for s in students if not layout.submitted_dir(s, assignment).is_dir()]
    if unknown:
        raise AutograderError(
            f"no submission of {assignment!r} for: {', '.join(unknown)} "
            f"(looked in {layout.root / layout.coursedir().submitted_directory})"
        )
    refused = {s: why for s in students if (why := student_id_problem(s)) is not None}
    students = [s for s in students if s not in refused]
    busy = locks.claim(assignment, students)
    if busy and len(busy) == len(students):
        raise AutograderError(busy_message(assignment, busy))
    students = [s for s in students if s not in busy]
    with locks.setup():
        key = prepare_assignment(layout, assignment)
    limits = options.limits or limits_from(layout.config)
    timeout = options.timeout or limits.timeout_seconds(layout.config)
    if cluster is None:
        batch = _Batch(layout, key, options, limits, timeout)
    else:
        batch = cluster.batch(layout, key, options, limits, timeout)
    results = _run_coroutine(batch.run(students))
    if batch.stopped is not None:
        raise AutograderError(
            f"grading stopped: {batch.stopped}. {batch.recorded} of {len(students)} "
            "submission(s) were graded and recorded before the stop and are kept; fix the "
            f"cause and run 'grade {assignment}' again to grade the rest"
        )
    seconds = time.monotonic() - started
    review = dict(batch.gradebook.review)
    return BatchResult(
        assignment, results, seconds, timeout, batch.workers, refused, busy=busy, review=review
    )


def _run_coroutine(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """``asyncio.run``, also from code that already runs an event loop.

    An instructor may call :func:`grade_assignment` from a notebook, where the
    kernel's loop is running and ``asyncio.run`` refuses: the batch then runs
    on a loop of its own in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
