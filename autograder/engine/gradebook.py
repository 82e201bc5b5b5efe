"""Write a graded submission: nbgrader's autograded copies, the gradebook, our notes.

The gradebook is the one home of a score; the notes file beside it keeps the
reasons, notes and answers (:func:`autograder.engine.results.save_notes`).
All writes happen in one thread of the grading process (student code never
gets near them). For each student: the old notes are removed first, the
autograded folder is replaced as a whole, the gradebook is updated through
nbgrader's own ``SaveAutoGrades`` and late-penalty plugin, and the notes
file is written last. So a grading run that fails half-way never leaves a
stale grade that looks current, and running it again gives the same state.

A submission that needs review is flagged in the gradebook, and the grades of
the questions its reasons concern (:func:`questions_to_review`) are marked as
needing a manual grade, so nbgrader's formgrader lists it; the reasons head the
autograded notebook, where the formgrader shows them. A score typed into one
box resolves that question (the formgrader clears its mark): once every marked
question has one, the submission is reviewed.

A review survives grading again: scores and comments set by hand in the
formgrader are kept (the question is then not marked again), unless the writer
is told to discard them (``grade --discard-review``). What it kept or discarded
is in :attr:`GradebookWriter.review`, for the command to say.

Several runs may write one gradebook at once (on different students, see
:mod:`autograder.engine.lock`): a student's gradebook write is all
update-or-create, so one that meets another run's write (a row inserted at the
same moment, SQLite busy past its timeout, a PostgreSQL deadlock) is rolled back
and done again, up to ``_ATTEMPTS`` times.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import errno
import shutil
import sqlite3
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.preprocessors import AssignLatePenalties, NbGraderPreprocessor, SaveAutoGrades
from sqlalchemy.exc import IntegrityError, OperationalError, SAWarning, SQLAlchemyError

from autograder import notebook_io as nbio
from autograder.course_layout import CourseLayout
from autograder.engine.answer_key import AssignmentKey
from autograder.engine.html_safety import escape_markdown, make_notebook_safe
from autograder.engine.results import REVIEW, SubmissionResult, save_notes

__all__ = [
    "GradebookWriter",
    "ReviewChange",
    "fatal_problem",
    "questions_to_review",
    "review_banner",
]

#: Files nbgrader keeps beside a submission, copied to the autograded folder.
_BOOKKEEPING = ("timestamp.txt", "submission_secret.txt")

BANNER_ID = "autograder-review"


_ATTEMPTS = 4
_TRANSIENT = ("locked", "busy", "deadlock", "could not serialize")


def _transient(exc: SQLAlchemyError) -> bool:
    """A clash with another run's write, gone when done again."""
    if isinstance(exc, IntegrityError):
        return True  # (the other run's row is there now: the update path takes it)
    return isinstance(exc, OperationalError) and any(w in str(exc).lower() for w in _TRANSIENT)


_FATAL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EMFILE, errno.ENFILE}


def fatal_problem(exc: BaseException) -> str | None:
    """What stops the whole batch (not the student's doing: the disk, the gradebook),
    or None when the failure belongs to one submission."""
    if isinstance(exc, OSError) and exc.errno in _FATAL_ERRNOS:
        return f"the course folder cannot be written ({exc.strerror or exc})"
    if isinstance(exc, (sqlite3.Error, SQLAlchemyError)):
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return f"the gradebook cannot be written ({detail})"
    return None


def review_banner(result: SubmissionResult) -> NotebookNode:
    """The markdown cell that tells a reviewer why this submission needs a look."""
    items = "\n".join(f"- {escape_markdown(reason)}" for reason in result.reasons)
    cell = nbio.markdown_cell(f"**Autograder: needs review.**\n\n{items}")
    cell.metadata["autograder"] = {"banner": BANNER_ID}
    return cell


@dataclass
class ReviewChange:
    """What a new grading run did with one student's review by hand: the grade ids whose
    hand score (or comment, ``"<id> (comment)"``) it kept, and those it discarded."""

    kept: list[str] = field(default_factory=list)
    discarded: list[str] = field(default_factory=list)


def questions_to_review(result: SubmissionResult) -> set[str]:
    """The grade ids a person must score: those a reason concerns, or that have no score.

    A reason that concerns no question in particular (a notebook that is missing or
    cannot be read, a limit reached) puts every question below full marks up for
    review, and every question when all have full marks.
    """
    marked = {q.id for q in result.questions if q.needs_review or q.score is None}
    if result.status != REVIEW or marked:
        return marked
    short = {q.id for q in result.questions if (q.score or 0.0) < q.max_score}
    return short or {q.id for q in result.questions}


class _SaveGrades(SaveAutoGrades):
    """nbgrader's SaveAutoGrades on an already open gradebook."""

    def save(self, gradebook: Gradebook, nb: NotebookNode, resources: dict[str, Any]) -> None:
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.student_id = resources["nbgrader"]["student"]
        self.gradebook = gradebook
        NbGraderPreprocessor.preprocess(self, nb, resources)


class GradebookWriter:
    """Writes graded submissions one at a time, in its own thread: the autograded
    notebooks, the gradebook (the one home of the scores), then the notes."""

    def __init__(
        self, layout: CourseLayout, key: AssignmentKey, discard_review: bool = False
    ) -> None:
        self._layout = layout
        self._key = key
        self._discard = discard_review
        #: student -> what this run kept or discarded of a review by hand
        self.review: dict[str, ReviewChange] = {}
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="record")
        self._gradebook: Gradebook | None = None
        self._saver = _SaveGrades(config=layout.config)
        self._late = AssignLatePenalties(config=layout.config)
        self._late.init_plugin()

    async def write(
        self, result: SubmissionResult, notebooks: dict[str, NotebookNode | None]
    ) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self.write_now, result, notebooks)

    def write_now(
        self, result: SubmissionResult, notebooks: dict[str, NotebookNode | None]
    ) -> None:
        layout, assignment = self._layout, self._key.name
        path = layout.result_file(result.student, assignment)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        result.graded_at = datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"
        )
        for nb in notebooks.values():
            if nb is not None:
                make_notebook_safe(nb)  # it is shown in the instructor's browser
        if result.status == REVIEW:
            for nb in notebooks.values():
                if nb is not None:
                    nb.cells.insert(0, review_banner(result))
        self._write_autograded(result.student, notebooks)
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                with warnings.catch_warnings():  # nbgrader's SQLAlchemy use warns on new rows
                    warnings.simplefilter("ignore", SAWarning)
                    self._write_gradebook(result, notebooks)
                break
            except (IntegrityError, OperationalError) as exc:
                if self._gradebook is not None:
                    self._gradebook.db.rollback()
                if attempt == _ATTEMPTS or not _transient(exc):
                    raise
                time.sleep(0.1 * attempt)
        save_notes(path, result)

    def _write_autograded(self, student: str, notebooks: dict[str, NotebookNode | None]) -> None:
        final = self._layout.autograded_dir(student, self._key.name)
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=final.parent))
        try:
            for name, nb in notebooks.items():
                if nb is not None:
                    nbio.write(nb, staging / f"{name}.ipynb")
            # nbgrader's bookkeeping travels with the grade: feedback needs the
            # timestamp, and release_feedback both files (as `nbgrader autograde`).
            submitted = self._layout.submitted_dir(student, self._key.name)
            for bookkeeping in _BOOKKEEPING:
                source = submitted / bookkeeping
                if source.is_file() and not source.is_symlink():
                    shutil.copyfile(source, staging / bookkeeping)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        old = final.parent / f".old-{final.name}-{staging.name}"
        if final.exists():
            final.rename(old)
        staging.rename(final)
        shutil.rmtree(old, ignore_errors=True)

    def _open(self) -> Gradebook:
        if self._gradebook is None:
            self._gradebook = Gradebook(self._layout.db_url, self._layout.coursedir().course_id)
        return self._gradebook

    def _write_gradebook(
        self, result: SubmissionResult, notebooks: dict[str, NotebookNode | None]
    ) -> None:
        gb = self._open()
        assignment, student = self._key.name, result.student
        gb.update_or_create_student(student)
        folder = self._layout.submitted_dir(student, assignment)
        timestamp = self._layout.coursedir().get_existing_timestamp(str(folder))
        extra = {"timestamp": timestamp} if timestamp else {}
        submission = gb.update_or_create_submission(assignment, student, **extra)
        review = result.status == REVIEW
        marked = questions_to_review(result)
        change = ReviewChange()
        for nb_key in self._key.notebooks:
            nb = notebooks.get(nb_key.name)
            resources = {
                "nbgrader": {"notebook": nb_key.name, "assignment": assignment, "student": student}
            }
            if nb is not None:
                self._saver.save(gb, nb, resources)
            submitted = gb.find_submission_notebook(nb_key.name, assignment, student)
            for grade in submitted.grades:
                question = result.question(grade.name)
                score = question.score if question is not None else None
                if nb is None or score is None:
                    grade.auto_score = score
                if grade.manual_score is not None or grade.extra_credit:
                    (change.discarded if self._discard else change.kept).append(grade.name)
                    if self._discard:
                        grade.manual_score = grade.extra_credit = None
                # a hand score stands: it resolves the question, now as before
                grade.needs_manual_grade = grade.manual_score is None and (
                    grade.name in marked or grade.auto_score is None
                )
            for comment in submitted.comments:
                if comment.manual_comment:
                    name = f"{comment.name} (comment)"
                    (change.discarded if self._discard else change.kept).append(name)
                    if self._discard:
                        comment.manual_comment = None
            submitted.flagged = review
            gb.db.commit()
            self._late_penalty(gb, submission, submitted)
        if change.kept or change.discarded:
            self.review[student] = change

    def _late_penalty(self, gb: Gradebook, submission: Any, submitted: Any) -> None:
        submitted.late_submission_penalty = None
        late = submission.total_seconds_late
        if late > 0:
            penalty = self._late.plugin_inst.late_submission_penalty(
                submission.student.id, submitted.score, late
            )
            if penalty is not None:
                submitted.late_submission_penalty = self._late._check_late_penalty(
                    submitted, penalty
                )
        gb.db.commit()

    def close(self) -> None:
        def _close() -> None:
            if self._gradebook is not None:
                with contextlib.suppress(Exception):
                    self._gradebook.close()
                self._gradebook = None

        self._executor.submit(_close).result()
        self._executor.shutdown()
