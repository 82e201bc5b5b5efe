"""Put an LMS download (a .zip or a folder) into nbgrader's ``submitted/`` layout.

Every file of the download ends in exactly one row of :class:`Collected`:

- **placed**: the student's notebook, copied to ``submitted/<id>/<assignment>/``;
- **superseded**: an earlier upload of the same notebook by the same student
  (the later one counts, by the LMS's own order: Canvas's file id and ``-1``
  suffix, Blackboard's attempt time; else a re-upload number, else the order in
  the download);
- **skipped**: not a submission (a hidden or system file, ``__MACOSX``, a
  Blackboard receipt, a file that is not a notebook, a notebook that is not one
  of the assignment's: only the assignment's notebook names count);
- **refused**: a submission that cannot be placed, with why (whose it is is not
  said, an unsafe path, a link, encrypted, damaged, too large...).

Whose a file is comes from the LMS's naming (see :mod:`autograder.intake.lms`),
or ``--pattern`` (groups ``student`` and ``file``), or nbgrader's
``FileNameCollectorPlugin.named_regexp`` in the course's configuration. The
submission time comes from :func:`autograder.intake.times.submission_time`,
never from the zip's dates. The download is read member by member within the
limits of ``GradingLimits`` and is never changed.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin

from autograder.config import GradingLimits, limits_from
from autograder.course_layout import CourseLayout
from autograder.errors import AutograderError
from autograder.intake.archive import Download, Member, open_download, work_zip_notebooks
from autograder.intake.exchange import INTAKE_FILE
from autograder.intake.lms import LmsName, blackboard_receipt_user, read_name, reupload
from autograder.intake.safety import student_id_problem
from autograder.intake.times import due_date, read_times, submission_time, write_timestamp

__all__ = ["OUTCOMES", "Collected", "Row", "collect"]

PLACED, SUPERSEDED, SKIPPED, REFUSED = "placed", "superseded", "skipped", "refused"
OUTCOMES = (PLACED, SUPERSEDED, SKIPPED, REFUSED)
UTC = datetime.timezone.utc


@dataclass
class Row:
    """What became of one file of the download."""

    file: str
    outcome: str
    student: str = ""
    detail: str = ""


@dataclass
class Collected:
    rows: list[Row] = field(default_factory=list)
    #: student id -> what is known of the submission time (said once per student)
    times: dict[str, str] = field(default_factory=dict)
    due: datetime.datetime | None = None

    def of(self, outcome: str) -> list[Row]:
        return [r for r in self.rows if r.outcome == outcome]

    @property
    def placed(self) -> list[tuple[str, str]]:
        """(student, notebook file) for every notebook placed."""
        return sorted((r.student, nb) for r in self.of(PLACED) for nb in r.detail.split(", "))

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(file, why) for every file refused."""
        return [(r.file, r.detail) for r in self.of(REFUSED)]

    def summary(self) -> str:
        counts = ", ".join(f"{len(self.of(o))} {o}" for o in OUTCOMES)
        return f"{len(self.rows)} file(s) in the download: {counts}."


@dataclass
class _Candidate:
    member: Member
    index: int
    named: LmsName
    notebook: str
    staged: Path | None = None  # a notebook taken out of a work zip, already copied

    @property
    def order(self) -> tuple[tuple[int, ...], int, int]:
        return (self.named.order, reupload(self.named.file)[1], self.index)

    @property
    def label(self) -> str:
        return self.member.name


def _notebook_for(filename: str, notebooks: list[str]) -> str | None:
    """The assignment notebook a file stands for (its name, or a re-upload of it)."""
    for name in (filename, reupload(filename)[0]):
        stem = name[: -len(".ipynb")] if name.lower().endswith(".ipynb") else None
        for nb in notebooks:
            if stem is not None and (
                stem.casefold() == nb.casefold() or stem.casefold().endswith("_" + nb.casefold())
            ):
                return nb
    return None


def _patterns(layout: CourseLayout, pattern: str | None) -> list[str]:
    import re

    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise AutograderError(f"--pattern is not a valid regular expression: {exc}") from exc
        return [pattern]
    configured = str(FileNameCollectorPlugin(config=layout.config).named_regexp)
    return [configured] if configured else []


def _hidden(name: str) -> bool:
    parts = name.split("/")
    return parts[-1].startswith(".") or "__MACOSX" in parts


class _Intake:
    """One run of ``collect``: the rows, the candidates per (student, notebook)."""

    def __init__(self, layout: CourseLayout, assignment: str, download: Download) -> None:
        self.layout, self.assignment, self.download = layout, assignment, download
        self.notebooks = [p.stem for p in layout.source_notebooks(assignment)]
        self.done = Collected()
        self.rows: dict[int, Row] = {}
        self.candidates: dict[tuple[str, str], list[_Candidate]] = {}

    def row(self, index: int, member: Member, outcome: str, detail: str, student: str = "") -> None:
        self.rows[index] = Row(member.name, outcome, student, detail)

    def classify(self, members: list[Member], patterns: list[str], staging: Path) -> None:
        receipts: dict[str, str] = {}
        for member in members:
            if member.name.endswith(".txt") and "_attempt_" in member.name:
                user = blackboard_receipt_user(self.download.read_text(member) or "")
                if user is not None:
                    receipts[member.name.rsplit("/", 1)[-1][: -len(".txt")]] = user
        expected = ", ".join(f"{n}.ipynb" for n in self.notebooks)
        for index, member in enumerate(members):
            name = member.name
            if name.startswith(f"{self.assignment}/"):
                name = name[len(self.assignment) + 1 :]
            if _hidden(name):
                self.row(index, member, SKIPPED, "a hidden or system file")
                continue
            if member.unsafe:
                assert member.problem is not None
                self.row(index, member, REFUSED, member.problem)
                continue
            named = read_name(name, patterns, receipts)
            if named is not None and named.receipt:
                self.row(
                    index, member, SKIPPED, "Blackboard's receipt for the attempt", named.student
                )
                continue
            file = named.file if named else name.rsplit("/", 1)[-1]
            who = named.student if named else ""
            is_zip = file.lower().endswith(".zip")
            if not is_zip and not file.lower().endswith(".ipynb"):
                self.row(index, member, SKIPPED, "not a notebook (.ipynb)", who)
                continue
            notebook = None if is_zip else _notebook_for(file, self.notebooks)
            if not is_zip and notebook is None:
                why = f"not one of the assignment's notebooks ({expected})"
                self.row(index, member, SKIPPED, why, who)
                continue
            if named is None:
                self.row(
                    index, member, REFUSED, "its name does not say which student it belongs to"
                )
                continue
            problem = student_id_problem(named.student)
            if problem is not None:
                self.row(index, member, REFUSED, f"{named.student!r} {problem}")
                continue
            if member.problem is not None:
                self.row(index, member, REFUSED, member.problem, named.student)
                continue
            if notebook is not None:
                self._add(_Candidate(member, index, named, notebook))
                continue
            self._work_zip(index, member, named, staging)

    def _work_zip(self, index: int, member: Member, named: LmsName, staging: Path) -> None:
        fd, held = tempfile.mkstemp(suffix=".zip", dir=staging)
        os.close(fd)
        problem = self.download.copy(member, Path(held))
        found = problem or work_zip_notebooks(Path(held), self.notebooks, self.download, staging)
        Path(held).unlink(missing_ok=True)
        if isinstance(found, str):
            self.row(index, member, REFUSED, found, named.student)
            return
        for notebook, path in found:
            self._add(_Candidate(member, index, named, notebook, staged=path))

    def _add(self, candidate: _Candidate) -> None:
        key = (candidate.named.student, candidate.notebook)
        self.candidates.setdefault(key, []).append(candidate)

    def place(self, staging: Path) -> dict[str, list[_Candidate]]:
        """Copy the latest readable upload of each notebook into place; the chosen
        candidates per student."""
        chosen: dict[str, list[_Candidate]] = {}
        outcome: dict[int, Row] = {}

        def mark(candidate: _Candidate, kind: str, detail: str) -> None:
            before = outcome.get(candidate.index)
            if before is not None and before.outcome == PLACED:
                if kind == PLACED:  # a work zip that held several of the notebooks
                    before.detail = f"{before.detail}, {detail}"
                return
            if before is None or kind != SUPERSEDED:
                row = Row(candidate.member.name, kind, candidate.named.student, detail)
                outcome[candidate.index] = row

        for (student, notebook), found in sorted(self.candidates.items()):
            found.sort(key=lambda c: c.order, reverse=True)
            winner = None
            for candidate in found:
                if winner is not None:
                    mark(
                        candidate,
                        SUPERSEDED,
                        f"{notebook}.ipynb: a later upload counts ({winner.label})",
                    )
                    continue
                fd, name = tempfile.mkstemp(suffix=".ipynb", dir=staging)
                os.close(fd)
                target = Path(name)
                problem = None
                if candidate.staged is not None:
                    candidate.staged.replace(target)
                else:
                    problem = self.download.copy(candidate.member, target)
                if problem is not None:
                    mark(candidate, REFUSED, problem)
                    continue
                winner = candidate
                folder = self.layout.submitted_dir(student, self.assignment)
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{notebook}.ipynb").unlink(missing_ok=True)
                shutil.move(target, folder / f"{notebook}.ipynb")
                chosen.setdefault(student, []).append(candidate)
                mark(candidate, PLACED, f"{notebook}.ipynb")
        self.rows.update(outcome)
        return chosen

    def record_times(
        self,
        chosen: dict[str, list[_Candidate]],
        times: dict[str, datetime.datetime],
        zone: datetime.tzinfo,
    ) -> None:
        due = self.done.due
        for student, placed in sorted(chosen.items()):
            names = [c.named for c in placed]
            marks = [n.late for n in names if n.late is not None]
            stamps = [n.time.replace(tzinfo=zone) for n in names if n.time is not None]
            lms = next((n.lms for n in names if n.lms), "")
            when, text, record = submission_time(
                lms,
                any(marks) if marks else None,
                max(stamps) if stamps else None,
                times.get(student),
                due,
            )
            folder = self.layout.submitted_dir(student, self.assignment)
            write_timestamp(folder, when)
            record = {"route": "lms", "time": when.isoformat() if when else None, **record}
            (folder / INTAKE_FILE).unlink(missing_ok=True)
            (folder / INTAKE_FILE).write_text(json.dumps(record, indent=1), encoding="utf-8")
            self.done.times[student] = text


def collect(
    layout: CourseLayout,
    assignment: str,
    source: Path,
    pattern: str | None = None,
    limits: GradingLimits | None = None,
    times_file: Path | None = None,
    zone: datetime.tzinfo = UTC,
) -> Collected:
    """Place the download at ``source`` into ``submitted/``; what became of every file."""
    limits = limits or limits_from(layout.config)
    layout.require_assignment(assignment)
    if not source.exists():
        raise AutograderError(f"{source} does not exist")
    times = read_times(times_file, zone) if times_file is not None else {}
    patterns = _patterns(layout, pattern)
    submitted = layout.root / layout.coursedir().submitted_directory
    submitted.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".collect-", dir=submitted))
    try:
        with open_download(source, limits) as download:
            intake = _Intake(layout, assignment, download)
            intake.done.due = due_date(layout, assignment)
            members = download.members()
            intake.classify(members, patterns, staging)
            chosen = intake.place(staging)
        intake.record_times(chosen, times, zone)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    intake.done.rows = [intake.rows[i] for i in sorted(intake.rows)]
    return intake.done
