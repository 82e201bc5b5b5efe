"""The bubblewrap sandbox every student kernel (and the test room) runs in.

Inside: the Python installation and the course packages, read-only; a fresh
``/proc`` and ``/dev``; a private ``/tmp``; the one scratch folder of this
submission, writable; no network, no other namespace shared, no capability.
Not inside: ``source/``, the gradebook, other students' work, the grader's
home or anything else of the host. The sandboxed process gets a minimal
environment (bubblewrap's own process too, since ``/proc/1/environ`` is
readable from inside), and limits on memory, file size and core dumps.

Without bubblewrap, grading refuses to run unless the instructor passes
``--no-sandbox``; then the same command runs unconfined, with a loud warning.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograder.errors import AutograderError

__all__ = ["Limits", "Sandbox", "boot_command", "find_sandbox", "minimal_env"]

BWRAP = "bwrap"
_FALLBACK = Path("/usr/bin/bwrap")
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime")
NO_SANDBOX_WARNING = (
    "WARNING: grading WITHOUT a sandbox (--no-sandbox). Student code runs as you: it can read "
    "source/ (the answer keys), change gradebook.db and other students' files, and use the "
    "network. Only do this with submissions you trust."
)


@dataclass(frozen=True)
class Limits:
    """Resource limits of a sandboxed process (per process, set before it starts)."""

    memory_mb: int = 1024
    file_mb: int = 64
    tmp_mb: int = 64


def _package_dirs(names: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            found.extend(Path(p).resolve() for p in spec.submodule_search_locations)
    return found


def _within(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def _collapse(paths: Iterable[Path]) -> list[Path]:
    """Drop paths inside others; keep order."""
    unique = sorted({p.resolve() for p in paths if p.exists()}, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for path in unique:
        if not any(_within(path, k) for k in kept):
            kept.append(path)
    return kept


def minimal_env(home: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The whole environment a grading process gets: nothing of the grader's."""
    bindir = str(Path(sys.executable).parent)
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
        "NBGRADER_EXECUTION": "autograde",
    }
    env.update(extra or {})
    return env


def boot_command(
    module: str, args: Sequence[str], limits: Limits, blocked: Sequence[str] = ()
) -> list[str]:
    """``python`` running ``module`` (like ``-m``) after setting the resource limits;
    the ``blocked`` modules cannot be imported (ipykernel's debugger, for one, is not
    needed to grade and costs a fifth of a kernel's start-up)."""
    mem = limits.memory_mb * 1024 * 1024
    size = limits.file_mb * 1024 * 1024
    code = (
        "import resource as r, runpy, sys\n"
        f"sys.modules.update(dict.fromkeys({list(blocked)!r}))\n"
        f"r.setrlimit(r.RLIMIT_DATA, ({mem}, {mem}))\n"
        f"r.setrlimit(r.RLIMIT_FSIZE, ({size}, {size}))\n"
        "r.setrlimit(r.RLIMIT_CORE, (0, 0))\n"
        f"sys.argv[0] = {module!r}\n"
        f"runpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n"
    )
    return [sys.executable, "-c", code, *args]


@dataclass(frozen=True)
class Sandbox:
    """How to run a grading process: inside bubblewrap, or (``--no-sandbox``) not."""

    bwrap: str | None
    limits: Limits = field(default_factory=Limits)
    secrets: tuple[Path, ...] = ()

    @property
    def enabled(self) -> bool:
        return self.bwrap is not None

    def readonly_paths(self, packages: Iterable[str]) -> list[Path]:
        """Python installation + the named packages, checked against the secrets."""
        roots = [Path(sys.base_prefix), Path(sys.prefix), Path(sys.exec_prefix)]
        roots += [Path(sys.executable).resolve().parent.parent]
        paths = _collapse([*roots, *_package_dirs(packages)])
        for path in paths:
            for secret in self.secrets:
                if _within(secret.resolve(), path):
                    raise AutograderError(
                        f"the sandbox would expose {secret} through {path}: keep the course "
                        "outside the Python installation and the course packages"
                    )
        return paths

    def command(
        self,
        argv: Sequence[str],
        *,
        writable: Sequence[Path],
        workdir: Path,
        env: dict[str, str],
        packages: Iterable[str] = ("course",),
    ) -> list[str]:
        """``argv`` wrapped in bubblewrap (or unchanged without a sandbox)."""
        if self.bwrap is None:
            return list(argv)
        args = [self.bwrap, "--unshare-all", "--die-with-parent", "--new-session"]
        args += ["--cap-drop", "ALL", "--hostname", "grader"]
        for name in _SYSTEM_DIRS:
            path = Path(name)
            if path.is_symlink():
                args += ["--symlink", os.readlink(path), name]
            elif path.is_dir():
                args += ["--ro-bind", name, name]
        for name in _ETC_FILES:
            if Path(name).exists():
                args += ["--ro-bind", name, name]
        # The private /tmp first: Python or the course may live under /tmp (a
        # fresh clone there), and a later tmpfs would hide their binds.
        args += ["--size", str(self.limits.tmp_mb * 1024 * 1024), "--tmpfs", "/tmp"]
        for path in self.readonly_paths(packages):
            args += ["--ro-bind", str(path), str(path)]
        args += ["--proc", "/proc", "--dev", "/dev"]
        for path in writable:
            args += ["--bind", str(path), str(path)]
        args += ["--chdir", str(workdir), "--clearenv"]
        for key, value in sorted(env.items()):
            args += ["--setenv", key, value]
        return [*args, "--", *argv]


def _probe(bwrap: str) -> str | None:
    """None if bubblewrap can start a sandbox here, else what it said."""
    sandbox = Sandbox(bwrap)
    tmp = Path("/tmp")
    cmd = sandbox.command(
        [sys.executable, "-c", "print('ok')"], writable=[], workdir=tmp, env=minimal_env("/tmp")
    )
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
