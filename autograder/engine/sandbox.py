"""The bubblewrap sandbox every student kernel (and the test room) runs in.

Inside: the Python installation and the course packages, read-only, at
neutral paths (:mod:`autograder.engine.sandbox_view`: ``/opt/kit``,
``/opt/python``); a fresh ``/dev``; no ``/proc`` at all (its mount table
would name the host folders bound in, and its kernel knobs would be there to
write); size-capped tmpfs for the working folder ``/work`` (the process's
current folder), ``/tmp`` and ``/dev/shm``; the folders the caller binds
(a kernel's sockets, the files of the submission it reads); no network, no
other namespace shared, no capability, an unprivileged uid, the seccomp
filter of :mod:`autograder.engine.seccomp`. Not inside: ``source/``, the
gradebook, other students' work, the grader's home, any host path of the
course, or anything else of the host. The sandboxed process gets a minimal
environment, and limits on memory, file size, processes and core dumps.

Without bubblewrap, grading refuses to run unless the instructor passes
``--no-sandbox``; then the same command runs unconfined, with a loud warning.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import GradingLimits
from autograder.engine.cgroups import likely_available
from autograder.engine.sandbox_view import SYSTEM_DIRS as _SYSTEM_DIRS
from autograder.engine.sandbox_view import View, build_view
from autograder.engine.seccomp import architecture, filter_program, missing_filter_warning
from autograder.errors import AutograderError

__all__ = ["WORK", "Limits", "Sandbox", "boot_command", "find_sandbox", "minimal_env"]

BWRAP = "bwrap"
_FALLBACK = Path("/usr/bin/bwrap")
_ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime")
#: The working folder of every sandboxed process: a tmpfs of ``GradingLimits.work_mb``.
WORK = "/work"
NO_SANDBOX_WARNING = (
    "WARNING: grading WITHOUT a sandbox (--no-sandbox). Student code runs as you: it can read "
    "source/ (the answer keys), change gradebook.db and other students' files, and use the "
    "network. Only do this with submissions you trust."
)


#: The unprivileged user and group student code runs as, inside its namespace.
SANDBOX_UID = 1000
SANDBOX_GID = 1000

_DEFAULT = GradingLimits()


@dataclass(frozen=True)
class Limits:
    """Resource limits of a sandboxed process (their defaults and help text:
    :class:`autograder.config.GradingLimits`)."""

    memory_mb: int = _DEFAULT.memory_mb
    file_mb: int = _DEFAULT.file_mb
    tmp_mb: int = _DEFAULT.tmp_mb
    shm_mb: int = _DEFAULT.shm_mb
    work_mb: int = _DEFAULT.work_mb
    processes: int = _DEFAULT.processes
    headroom_mb: int = _DEFAULT.address_space_headroom_mb

    @classmethod
    def of(cls, limits: GradingLimits) -> Limits:
        """The process limits a run's ``GradingLimits`` set."""
        return cls(
            memory_mb=limits.memory_mb,
            file_mb=limits.file_mb,
            tmp_mb=limits.tmp_mb,
            shm_mb=limits.shm_mb,
            work_mb=limits.work_mb,
            processes=limits.processes,
            headroom_mb=limits.address_space_headroom_mb,
        )


def _within(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


@functools.lru_cache(maxsize=8)
def _view(packages: tuple[str, ...]) -> View:
    return build_view(packages)


def minimal_env(
    home: str, extra: dict[str, str] | None = None, bindir: str | None = None
) -> dict[str, str]:
    """The whole environment a grading process gets: nothing of the grader's
    (``bindir``: the interpreter's folder as the process sees it)."""
    bindir = bindir or str(Path(sys.executable).parent)
    env = {
        "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONHASHSEED": "0",
        "IPYTHONDIR": f"{home}/.ipython",
        "MPLBACKEND": "agg",
        "MPLCONFIGDIR": f"{home}/.matplotlib",
        "MALLOC_ARENA_MAX": "2",  # fewer reserved arenas: the address-space limit is real
        "NBGRADER_EXECUTION": "autograde",
    }
    env.update(extra or {})
    return env


def boot_command(
    module: str,
    args: Sequence[str],
    resources: Limits,
    blocked: Sequence[str] = (),
    python: str | None = None,
) -> list[str]:
    """``python`` running ``module`` (like ``-m``) after setting the resource limits;
    the ``blocked`` modules cannot be imported (ipykernel's debugger, for one, is not
    needed to grade and costs a fifth of a kernel's start-up)."""
    mem = resources.memory_mb * 1024 * 1024
    space = mem + resources.headroom_mb * 1024 * 1024
    size = resources.file_mb * 1024 * 1024
    procs = resources.processes
    code = (
        "import resource as r, runpy, sys\n"
        f"sys.modules.update(dict.fromkeys({list(blocked)!r}))\n"
        f"r.setrlimit(r.RLIMIT_DATA, ({mem}, {mem}))\n"
        # shared and file mappings are not data: the address space bounds them
        f"r.setrlimit(r.RLIMIT_AS, ({space}, {space}))\n"
        f"r.setrlimit(r.RLIMIT_FSIZE, ({size}, {size}))\n"
        # counted per user namespace: one kernel's processes and threads
        f"r.setrlimit(r.RLIMIT_NPROC, ({procs}, {procs}))\n"
        "r.setrlimit(r.RLIMIT_CORE, (0, 0))\n"
        f"sys.argv[0] = {module!r}\n"
        f"runpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n"
    )
    return [python or sys.executable, "-c", code, *args]


@dataclass(frozen=True)
class Sandbox:
    """How to run a grading process: inside bubblewrap, or (``--no-sandbox``) not."""

    bwrap: str | None
    limits: Limits = field(default_factory=Limits)
    secrets: tuple[Path, ...] = ()

    @property
    def enabled(self) -> bool:
        return self.bwrap is not None

    def warnings(self) -> list[str]:
        """What ``grade`` must say about this sandbox's protection (empty: all of it)."""
        if not self.enabled:
            return [NO_SANDBOX_WARNING]
        return [w for w in (missing_filter_warning(), _process_limit_warning()) if w]

    def view(self, packages: Iterable[str] = ("course",)) -> View:
        """The neutral view of Python and ``packages``, checked against the secrets."""
        view = _view(tuple(packages))
        for source in view.sources:
            for secret in self.secrets:
                if _within(secret.resolve(), Path(source)):
                    raise AutograderError(
                        f"the sandbox would expose {secret} through {source}: keep the course "
                        "outside the Python installation and the course packages"
                    )
        return view

    def python(self, packages: Iterable[str] = ("course",)) -> str:
        """The interpreter as a sandboxed process runs it."""
        return self.view(packages).python if self.enabled else sys.executable

    def env(self, home: str, packages: Iterable[str] = ("course",)) -> dict[str, str]:
        """:func:`minimal_env` as the sandboxed process sees its installation."""
        if not self.enabled:
            return minimal_env(home)
        view = self.view(packages)
        extra = {"PYTHONPATH": view.pythonpath} if view.pythonpath else {}
        return minimal_env(home, extra, view.bindir)

    def command(
        self,
        argv: Sequence[str],
        *,
        binds: Sequence[tuple[Path, str]] = (),
        readonly: Sequence[tuple[Path, str]] = (),
        env: dict[str, str],
        packages: Iterable[str] = ("course",),
        cgroup_procs: Sequence[str] = (),
    ) -> list[str]:
        """``argv`` wrapped in bubblewrap (or unchanged without a sandbox), working in
        :data:`WORK`; ``binds`` and ``readonly``: host folders shown at inside paths,
        writable or not. ``cgroup_procs``: files the process writes its pid to before
        bubblewrap starts (its groups)."""
        if self.bwrap is None:
            return list(argv)
        mb = 1024 * 1024
        args = [self.bwrap, "--unshare-all", "--unshare-user", "--die-with-parent"]
        args += ["--new-session", "--cap-drop", "ALL", "--hostname", "grader"]
        args += ["--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_GID)]
        for name in _SYSTEM_DIRS:
            path = Path(name)
            if path.is_symlink():
                args += ["--symlink", os.readlink(path), name]
            elif path.is_dir():
                args += ["--ro-bind", name, name]
        for name in _ETC_FILES:
            if Path(name).exists():
                args += ["--ro-bind", name, name]
        view = self.view(packages)
        for host, inside in view.binds:
            args += ["--ro-bind", host, inside]
        for target, inside in view.links:
            args += ["--symlink", target, inside]
        for inside in view.masks:
            args += ["--size", "4096", "--tmpfs", inside, "--remount-ro", inside]
        args += ["--size", str(self.limits.tmp_mb * mb), "--tmpfs", "/tmp"]
        args += ["--size", str(self.limits.work_mb * mb), "--tmpfs", WORK]
        args += ["--dev", "/dev"]
        args += ["--size", str(self.limits.shm_mb * mb), "--tmpfs", "/dev/shm"]
        args += ["--remount-ro", "/dev"]
        for folder, where in binds:
            args += ["--bind", str(folder), where]
        for folder, where in readonly:
            args += ["--ro-bind", str(folder), where]
        args += ["--chdir", WORK, "--clearenv"]
        for key, value in sorted(env.items()):
            args += ["--setenv", key, value]
        program = _seccomp_file()
        if program is None and not cgroup_procs:
            return [*args, "--", *argv]
        # a shell joins the groups, opens the filter on fd 9, then becomes bubblewrap
        if program is not None:
            args += ["--seccomp", "9"]
        script = (
            'f=$1; shift; if [ -n "$f" ]; then exec 9<"$f" || exit 111; fi; '
            'while [ "$1" != -- ]; do echo $$ >"$1" || exit 111; shift; done; shift; '
            'exec "$@"'
        )
        return [
            "/bin/sh",
            "-c",
            script,
            "sh",
            program or "",
            *cgroup_procs,
            "--",
            *args,
            "--",
            *argv,
        ]


def _process_limit_warning() -> str | None:
    """Said when nothing bounds a kernel's processes: no control group can be made and
    grading runs as root, whose processes the kernel never counts against RLIMIT_NPROC."""
    if likely_available() or os.getuid() != 0:
        return None
    return (
        "WARNING: no writable control groups here (/sys/fs/cgroup), and grading runs as root: "
        "the process limit (GradingLimits.processes) cannot be enforced, since the kernel "
        "does not apply RLIMIT_NPROC to root's processes. Memory stays bounded by the address "
        "space limit. Grade as an unprivileged user, or give the grader a writable cgroup."
    )


_seccomp_path: str | None = None


def _seccomp_file() -> str | None:
    """The seccomp filter, written once per grading process (None on an architecture
    without one: see :func:`autograder.engine.seccomp.missing_filter_warning`)."""
    global _seccomp_path
    if architecture() is None:
        return None
    if _seccomp_path is None or not Path(_seccomp_path).is_file():
        handle, name = tempfile.mkstemp(prefix="itil-seccomp-", suffix=".bpf")
        with os.fdopen(handle, "wb") as out:
            out.write(filter_program())
        atexit.register(_remove, name)
        _seccomp_path = name
    return _seccomp_path


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _probe(bwrap: str) -> str | None:
    """None if bubblewrap can start a sandbox here, else what it said."""
    sandbox = Sandbox(bwrap)
    cmd = sandbox.command([sandbox.python(), "-c", "print('ok')"], env=sandbox.env("/tmp"))
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, env={})
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    if out.returncode != 0 or out.stdout.strip() != "ok":
        return (out.stderr or out.stdout).strip()[:300] or f"exit status {out.returncode}"
    return None


def find_sandbox(
    *, no_sandbox: bool, limits: Limits | None = None, secrets: Sequence[Path] = ()
) -> Sandbox:
    """The sandbox to grade in; refuses (AutograderError) when none works and
    ``no_sandbox`` is false."""
    limits = limits or Limits()
    if no_sandbox:
        return Sandbox(None, limits, tuple(secrets))
    bwrap = shutil.which(BWRAP) or (str(_FALLBACK) if _FALLBACK.exists() else None)
    if bwrap is None:
        raise AutograderError(
            "bubblewrap (bwrap) is not installed, so student code cannot be sandboxed. Install "
            "it (Debian/Ubuntu: apt-get install bubblewrap) or, only for submissions you trust, "
            "pass --no-sandbox."
        )
    problem = _probe(bwrap)
    if problem is not None:
        raise AutograderError(
            f"bubblewrap is installed but cannot create a sandbox here ({problem}). Allow "
            "unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) or, only "
            "for submissions you trust, pass --no-sandbox."
        )
    return Sandbox(bwrap, limits, tuple(secrets))
