"""Every limit of the kit's grading, declared once, each with its help text.

:class:`GradingLimits` is a traitlets ``Configurable``: an instructor sets a
limit in the course's ``nbgrader_config.py``::

    c.GradingLimits.memory_mb = 2048
    c.GradingLimits.workers = 4

and may override it for one run on the command line
(``python -m autograder grade ps1 --memory 2048``). The command line wins over
the file, the file over the defaults below. A limit the kit shares with
nbgrader is not declared twice: ``cell_timeout`` left unset means nbgrader's own
``Execute.timeout`` (which the kit's settings give a default of
:data:`autograder.nbgrader_settings.CELL_TIMEOUT` seconds), so the kit never
contradicts what the instructor wrote there.
"""

from __future__ import annotations

import os
from typing import Any

from traitlets import Int, TraitError, Unicode, validate
from traitlets.config import Config, Configurable

from autograder.errors import AutograderError

__all__ = ["Cluster", "GradingLimits", "cluster_from", "limits_from", "unheeded_settings"]

_MB = 1024 * 1024


def _positive(proposal: dict[str, Any]) -> int | None:
    value = proposal["value"]
    trait = proposal["trait"]
    if value is not None and value < 1:
        owner = type(proposal["owner"]).__name__
        raise TraitError(f"{owner}.{trait.name} must be at least 1, not {value}")
    return None if value is None else int(value)


class GradingLimits(Configurable):
    """The limits a grading run keeps to (set in ``nbgrader_config.py`` as
    ``c.GradingLimits.<name>``)."""

    cell_timeout = Int(
        None,
        allow_none=True,
        help="Seconds one cell of a submission (or one of the instructor's tests) may run. "
        "Unset: nbgrader's Execute.timeout, else 30.",
    ).tag(config=True)
    workers = Int(
        None,
        allow_none=True,
        help="Submissions graded at once. Unset: the number of cores.",
    ).tag(config=True)
    memory_mb = Int(
        1024, help="Memory (MB) one sandboxed process (a student's kernel, a test room) may use."
    ).tag(config=True)
    file_mb = Int(64, help="Largest file (MB) a sandboxed process may write.").tag(config=True)
    tmp_mb = Int(
        64, help="Size (MB) of a sandboxed process's private /tmp (a tmpfs: writes past it fail)."
    ).tag(config=True)
    cell_output_chars = Int(
        200_000,
        help="Characters of output kept per cell of a submission; the rest is cut and noted.",
    ).tag(config=True)
    notebook_output_chars = Int(
        2_000_000, help="Characters of output kept per submitted notebook, all cells together."
    ).tag(config=True)
    test_output_chars = Int(
        100_000, help="Characters of printed output kept per test cell in the test room."
    ).tag(config=True)
    notebook_mb = Int(
        20, help="Largest submitted notebook (MB) the grader reads; a larger one needs review."
    ).tag(config=True)
    upload_file_mb = Int(
        20, help="Largest single file (MB) that `collect` takes from an LMS archive or folder."
    ).tag(config=True)
    archive_mb = Int(
        2048,
        help="Most `collect` unpacks (MB) from one LMS download, all files together; past "
        "it the remaining uploads are refused with the reason.",
    ).tag(config=True)
    archive_members = Int(
        10_000,
        help="Most files an LMS download (or a student's zip inside it) may hold; `collect` "
        "refuses a larger one before reading it.",
    ).tag(config=True)
    address_space_headroom_mb = Int(
        512,
        help="Address space (MB) a sandboxed process may reserve beyond memory_mb without "
        "using it (thread stacks, allocator arenas); its address space is capped at the sum.",
    ).tag(config=True)
    shm_mb = Int(
        64,
        help="Size (MB) of a sandboxed process's private /dev/shm (a tmpfs: writes past it fail).",
    ).tag(config=True)
    processes = Int(
        64,
        help="Processes and threads one student kernel may run (a kernel itself runs about ten).",
    ).tag(config=True)
    message_mb = Int(
        32,
        help="Largest message (MB) the grader accepts from a student's kernel; a larger one is "
        "dropped unread and the submission needs review.",
    ).tag(config=True)
    notebook_time_factor = Int(
        2,
        help="Wall time of a whole submitted notebook: this many times the per-cell limit, "
        "plus notebook_extra_seconds; past it the kernel is stopped.",
    ).tag(config=True)
    notebook_extra_seconds = Int(
        20,
        help="Seconds added to a whole notebook's wall time for start-up and reading answers back.",
    ).tag(config=True)
    work_mb = Int(
        256,
        help="Size (MB) of a sandboxed process's working folder /work (a tmpfs holding the "
        "submission's files: writes past it fail and the submission needs review). The one "
        "host folder a kernel writes to (its sockets and log) is watched against the same "
        "size: past it the kernel is stopped.",
    ).tag(config=True)
    work_files = Int(
        10_000,
        help="Files a student's kernel may create in its host run folder (its sockets); past "
        "it the kernel is stopped and the submission needs review.",
    ).tag(config=True)

    @validate(
        "cell_timeout",
        "workers",
        "memory_mb",
        "file_mb",
        "tmp_mb",
        "cell_output_chars",
        "notebook_output_chars",
        "test_output_chars",
        "notebook_mb",
        "upload_file_mb",
        "archive_mb",
        "archive_members",
        "address_space_headroom_mb",
        "shm_mb",
        "processes",
        "message_mb",
        "notebook_time_factor",
        "notebook_extra_seconds",
        "work_mb",
        "work_files",
    )
    def _at_least_one(self, proposal: dict[str, Any]) -> int | None:
        return _positive(proposal)

    def timeout_seconds(self, config: Config) -> int:
        """``cell_timeout``, else nbgrader's ``Execute.timeout`` in ``config``, else 30."""
        if self.cell_timeout is not None:
            return int(self.cell_timeout)
        for section in ("Execute", "ExecutePreprocessor"):
            value = config.get(section, {}).get("timeout")
            if isinstance(value, int) and value > 0:
                return value
        return 30

    def worker_count(self) -> int:
        """``workers``, else the machine's cores."""
        return int(self.workers) if self.workers is not None else (os.cpu_count() or 1)

    def notebook_seconds(self, timeout: int) -> int:
        """Wall time (s) of a whole notebook whose cells may each run ``timeout`` seconds."""
        return int(self.notebook_time_factor) * timeout + int(self.notebook_extra_seconds)

    def bytes(self, name: str) -> int:
        """A limit declared in MB (``file_mb``, ``notebook_mb``...) in bytes."""
        return int(getattr(self, name)) * _MB


def limits_from(config: Config, **overrides: Any) -> GradingLimits:
    """The limits ``config`` sets, with ``overrides`` (a run's command line; ``None``
    values are ignored) on top."""
    try:
        limits = GradingLimits(config=config)
    except TraitError as exc:  # the instructor's nbgrader_config.py
        raise AutograderError(f"nbgrader_config.py: {exc}") from exc
    for name, value in overrides.items():
        if not limits.has_trait(name):
            raise KeyError(f"GradingLimits has no limit {name!r}")
        if value is not None:
            try:
                setattr(limits, name, value)
            except TraitError as exc:
                raise AutograderError(str(exc)) from exc
    return limits


class Cluster(Configurable):
    """Where ``grade`` runs the submissions: this machine, or the workers of a Dask
    cluster (set in ``nbgrader_config.py`` as ``c.Cluster.<name>``; see the README,
    "Grading on a cluster")."""

    address = Unicode(
        None,
        allow_none=True,
        help="Address of the Dask scheduler to grade on, e.g. tcp://host:8786 "
        "(`grade --cluster ADDRESS` overrides it; `--cluster local` grades on this machine). "
        "Unset: this machine.",
    ).tag(config=True)
    connect_timeout = Int(
        10,
        help="Seconds to wait for the scheduler to answer and for its first worker to join; "
        "then grading stops before anything is recorded.",
    ).tag(config=True)
    in_flight = Int(
        None,
        allow_none=True,
        help="Submissions handed to the cluster at once (the rest wait in this process). "
        "Unset: two per worker thread of the cluster, followed as workers join or leave.",
    ).tag(config=True)

    @validate("connect_timeout", "in_flight")
    def _at_least_one(self, proposal: dict[str, Any]) -> int | None:
        return _positive(proposal)


def cluster_from(config: Config) -> Cluster:
    """The cluster settings ``config`` holds (``c.Cluster``)."""
    try:
        return Cluster(config=config)
    except TraitError as exc:  # the instructor's nbgrader_config.py
        raise AutograderError(f"nbgrader_config.py: {exc}") from exc


#: nbgrader settings that the kit's grader replaces by its own rule, and the rule.
_OWN_RULES = (
    ("LimitOutput", "max_lines", "keeps c.GradingLimits.cell_output_chars characters per cell"),
    ("LimitOutput", "max_traceback", "keeps c.GradingLimits.cell_output_chars per cell"),
    ("OverwriteCells", "add_missing_cells", "always puts back and grades a deleted test cell"),
)


def unheeded_settings(config: Config) -> list[str]:
    """Settings in ``config`` (beyond the kit's own) that only nbgrader's ``autograde``
    follows, each saying what the kit's grader does instead: said, never silently ignored."""
    from autograder.nbgrader_settings import course_config

    kit = course_config()
    notes = []
    for section, trait, instead in _OWN_RULES:
        if section in config and trait in config[section]:
            value = config[section][trait]
            if section not in kit or value != kit[section].get(trait):
                notes.append(
                    f"c.{section}.{trait} = {value!r} applies to nbgrader's own autograde; "
                    f"python -m autograder grade {instead}"
                )
    return notes
