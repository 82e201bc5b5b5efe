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
many kernels start ahead. One bad submission never stops the batch.
"""

from __future__ import annotations

import ast
import asyncio
import concurrent.futures
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from nbformat import NotebookNode

from autograder.config import GradingLimits, limits_from
from autograder.course_layout import CourseLayout
from autograder.engine.answer_key import AssignmentKey, NotebookKey, prepare_assignment
from autograder.engine.cell_names import to_python
from autograder.engine.gradebook import GradebookWriter
from autograder.engine.kernels import KernelPool
from autograder.engine.prepare import prepare_notebook
from autograder.engine.results import QuestionResult, SubmissionResult
from autograder.engine.sandbox import Sandbox
from autograder.engine.score import assemble, build_job
from autograder.engine.student_run import run_student
from autograder.engine.widget_answers import write_answers
from autograder.errors import AutograderError
from autograder.intake.submission import Submitted, copy_files, load_submission
from autograder.testroom.pool import RoomPool

__all__ = ["BatchResult", "GradeOptions", "default_timeout", "grade_assignment"]

Progress = Callable[[SubmissionResult], None]


@dataclass
class GradeOptions:
    """One grading run. ``limits`` default to the course's ``c.GradingLimits``;
    ``workers`` and ``timeout``, when given, override them for this run."""

    sandbox: Sandbox
    workers: int | None = None
    timeout: int | None = None
    students: list[str] | None = None
    progress: Progress | None = None
    limits: GradingLimits | None = None


@dataclass
class BatchResult:
    assignment: str
    results: list[SubmissionResult]
    seconds: float
    timeout: int
    workers: int

    @property
    def needs_review(self) -> list[SubmissionResult]:
        return [r for r in self.results if r.reasons]


_T = TypeVar("_T")


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

    async def run(self, students: list[str]) -> list[SubmissionResult]:
        units = sum(
            (self.layout.submitted_dir(s, self.key.name) / f"{nb.name}.ipynb").is_file()
            for s in students
            for nb in self.key.notebooks
        )
        base = Path(tempfile.mkdtemp(prefix="itil-grade-"))
        base.chmod(0o700)
        self.kernels = KernelPool(self.options.sandbox, base, ahead=self.workers, total=units)
        self.rooms = RoomPool(
            self.options.sandbox, base, min(self.workers, max(units, 1)), _warm_modules(self.key)
        )
        self.gradebook = GradebookWriter(self.layout, self.key)
        try:
            if units:
                await self.rooms.start()
            return list(await asyncio.gather(*(self.student(s) for s in students)))
        finally:
            await self.kernels.close()
            await asyncio.gather(*self.shutdowns, return_exceptions=True)
            await self.rooms.close()
            self.gradebook.close()
            shutil.rmtree(base, ignore_errors=True)

    async def student(self, student: str) -> SubmissionResult:
        started = time.monotonic()
        submitted = load_submission(
            self.layout, self.key, student, self.limits.bytes("notebook_mb")
        )
        result = SubmissionResult(submitted.student, self.key.name)
        for reason in submitted.reasons:
            result.review(reason)
        for note in submitted.notes:
            result.note(note)
        graded: dict[str, NotebookNode | None] = {}
        for nb_key in self.key.notebooks:
            nb = submitted.notebooks.get(nb_key.name)
            if nb is None:
                graded[nb_key.name] = None
                self._unanswered(nb_key, result, missing=nb_key.name in submitted.missing)
                continue
            try:
                graded[nb_key.name] = await self.notebook(submitted, nb_key, nb, result)
            except AutograderError:
                raise
            except Exception as exc:  # a grader bug must not lose the rest of the batch
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                result.review(f"{nb_key.name}.ipynb: the autograder failed ({detail[:300]})")
                graded[nb_key.name] = None
                self._unanswered(nb_key, result, missing=False)
        result.seconds = round(time.monotonic() - started, 3)
        await self.gradebook.write(result, graded)
        if self.options.progress is not None:
            self.options.progress(result)
        return result

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
            kernel = await self.kernels.acquire()
            answers = submitted.widget_answers.get(nb_key.name, {})
            try:
                copy_files(submitted.folder, self.key, kernel.workdir)
                write_answers(kernel.workdir, answers)  # always: a submitted file never counts
                prepared = prepare_notebook(nb, nb_key, self.key.name, submitted.student)
                for note in prepared.plan.notes:
                    result.note(f"{nb_key.name}.ipynb: {note}")
                outcome = await run_student(
                    kernel, prepared.nb, prepared.plan, self.timeout, self.limits
                )
            finally:
                self.shutdowns.append(asyncio.ensure_future(kernel.shutdown()))
            job = build_job(nb_key, outcome, answers, self.timeout, self.limits.test_output_chars)
            room = await self.rooms.run(job)
        return assemble(prepared.nb, nb_key, outcome, room, result)


def grade_assignment(layout: CourseLayout, assignment: str, options: GradeOptions) -> BatchResult:
    """Grade ``assignment`` for every student who submitted it (or ``options.students``)."""
    started = time.monotonic()
    key = prepare_assignment(layout, assignment)
    students = options.students if options.students is not None else layout.students(assignment)
    unknown = [s for s in students if not layout.submitted_dir(s, assignment).is_dir()]
    if unknown:
        raise AutograderError(
            f"no submission of {assignment!r} for: {', '.join(unknown)} "
            f"(looked in {layout.root / layout.coursedir().submitted_directory})"
        )
    limits = options.limits or limits_from(layout.config)
    timeout = options.timeout or limits.timeout_seconds(layout.config)
    batch = _Batch(layout, key, options, limits, timeout)
    results = _run_coroutine(batch.run(students))
    return BatchResult(assignment, results, time.monotonic() - started, timeout, batch.workers)


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
