"""What a grading run is asked to do (:class:`GradeOptions`) and what it did
(:class:`BatchResult`), shared by the local run (:mod:`autograder.engine.grade`), the
cluster's (:mod:`autograder.engine.cluster`) and the command that reports it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from autograder.config import GradingLimits
from autograder.engine.gradebook import ReviewChange
from autograder.engine.results import SubmissionResult
from autograder.engine.sandbox import Sandbox

__all__ = ["BatchResult", "GradeOptions", "Progress"]

Progress = Callable[[SubmissionResult], None]


@dataclass
class GradeOptions:
    """One grading run. ``limits`` default to the course's ``c.GradingLimits``;
    ``workers`` and ``timeout``, when given, override them for this run. ``cluster``:
    the address of a Dask scheduler to grade on (default: this machine)."""

    sandbox: Sandbox
    workers: int | None = None
    timeout: int | None = None
    students: list[str] | None = None
    progress: Progress | None = None
    limits: GradingLimits | None = None
    #: drop the scores and comments set by hand in the formgrader (kept by default)
    discard_review: bool = False
    cluster: str | None = None


@dataclass
class BatchResult:
    assignment: str
    results: list[SubmissionResult]
    seconds: float
    timeout: int
    workers: int
    refused: dict[str, str] = field(default_factory=dict)  # student folder -> why not graded
    busy: dict[str, str] = field(default_factory=dict)  # student -> the run grading them
    #: student -> the review by hand this run kept (or, with discard_review, discarded)
    review: dict[str, ReviewChange] = field(default_factory=dict)

    @property
    def needs_review(self) -> list[SubmissionResult]:
        return [r for r in self.results if r.reasons]
