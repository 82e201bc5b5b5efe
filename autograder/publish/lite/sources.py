"""Where each artefact of the site lives in the cache, and how it gets there.

Every download goes through an ordinary client, by name and pinned version:
``pip download`` and ``pip wheel`` for Python packages, ``npm pack`` for the
Pyodide runtime. With ``download=False`` (what the build uses) a missing
artefact is an error that says to fetch first: the build never reaches out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from . import pins
from .wheels import LiteError, Wheel, read_wheel

__all__ = ["KERNEL_PRELOAD", "Cache", "Sources"]

#: What the Pyodide kernel installs when it starts, unless preloaded: the names
#: its worker checks (``initPackageManager`` and ``initKernel``), spelt as it does.
KERNEL_PRELOAD = ("micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython")

_FETCH_FIRST = "run `make lite-fetch` (with network) first"


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise LiteError(f"{what} failed ({' '.join(command[:4])} ...):\n{tail}")


@dataclass(frozen=True)
class Cache:
    """The folder that holds every downloaded artefact (kept between builds)."""

    root: Path

    @property
    def tools(self) -> Path:
        """A virtual environment with ``jupyter lite`` and the widgets' lab extensions."""
        return self.root / "tools"

    @property
    def jupyter(self) -> Path:
        return self.tools / "bin" / "jupyter"

    @property
    def kernel_wheels(self) -> Path:
        """The Pyodide kernel's own wheels, shipped inside its lab extension."""
        return (
            self.tools / "share" / "jupyter" / "labextensions" / "@jupyterlite"
            / "pyodide-kernel-extension" / "static" / "pypi"
        )  # fmt: skip

    @property
    def wheels(self) -> Path:
        return self.root / "wheels"

    @property
    def build_deps(self) -> Path:
        return self.root / "build-deps"

    @property
    def pyodide_tgz(self) -> Path:
        return self.root / "npm" / f"pyodide-{pins.PYODIDE}.tgz"

    # --- fetching (network) ------------------------------------------------------------------

    def fetch_tools(self) -> None:
        stamp = self.tools / ".pins"
        wanted = "\n".join(pins.BUILD_TOOLS)
        if stamp.exists() and stamp.read_text() == wanted and self.jupyter.exists():
            return
        shutil.rmtree(self.tools, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(self.tools)], "creating the build environment")
        python = str(self.tools / "bin" / "python")
        _run([python, "-m", "pip", "install", "--quiet", *pins.BUILD_TOOLS], "pip install")
        stamp.write_text(wanted)

    def fetch_pyodide(self) -> None:
        if self.pyodide_tgz.exists():
            return
        self.pyodide_tgz.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.root) as scratch:
            _run(
                ["npm", "pack", f"pyodide@{pins.PYODIDE}", "--pack-destination", scratch],
                "npm pack pyodide",
            )
            packed = Path(scratch) / self.pyodide_tgz.name
            if not packed.exists():
                raise LiteError(f"npm pack made no {packed.name} in {scratch}")
            packed.replace(self.pyodide_tgz)

    def fetch_build_deps(self) -> None:
        self.build_deps.mkdir(parents=True, exist_ok=True)
        if list(self.build_deps.glob(f"setuptools-{pins.SETUPTOOLS}-*.whl")):
            return
        _run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "-d", str(self.build_deps), f"setuptools=={pins.SETUPTOOLS}"],
            "pip download setuptools",
        )  # fmt: skip

    # --- reading (no network) ----------------------------------------------------------------

    def pyodide_lock(self) -> dict[str, Any]:
        """Pyodide's own ``pyodide-lock.json``, read from the npm tarball."""
        self.require(self.pyodide_tgz)
        with tarfile.open(self.pyodide_tgz) as archive:
            member = archive.extractfile("package/pyodide-lock.json")
            if member is None:
                raise LiteError(f"{self.pyodide_tgz} holds no package/pyodide-lock.json")
            lock: dict[str, Any] = json.load(member)
        return lock

    def extract_pyodide(self, dest: Path) -> None:
        """The runtime files (``package/*`` of the tarball) into ``dest``."""
        self.require(self.pyodide_tgz)
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(self.pyodide_tgz) as archive:
            for member in archive.getmembers():
                parts = Path(member.name).parts
                if not member.isfile() or len(parts) != 2 or parts[0] != "package":
                    continue
                source = archive.extractfile(member)
                assert source is not None
                (dest / parts[1]).write_bytes(source.read())

    def require(self, path: Path) -> None:
        if not path.exists():
            raise LiteError(f"{path} is missing: {_FETCH_FIRST}")

    def build_kit_wheel(self, stage: Path, dest: Path) -> Wheel:
        """``pip wheel`` the staged student package, offline (setuptools from the cache)."""
        if not list(self.build_deps.glob("setuptools-*.whl")):
            self.require(self.build_deps / f"setuptools-{pins.SETUPTOOLS}-py3-none-any.whl")
        dest.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(self.build_deps)}
        _run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
             "--find-links", str(self.build_deps), "-w", str(dest), str(stage)],
            "building the course's wheel", env=env,
        )  # fmt: skip
        built = sorted(dest.glob("*.whl"))
        if len(built) != 1:
            raise LiteError(f"building the course's wheel left {len(built)} wheels in {dest}")
        return read_wheel(built[0])


class Sources:
    """Finds (and, when allowed, fetches) the wheel of each package the browser needs."""

    def __init__(self, cache: Cache, lock: dict[str, Any], *, download: bool) -> None:
        self.cache = cache
        self.download = download
        #: canonical name -> the key Pyodide's lock uses for it
        self.lock_keys: dict[str, str] = {
            str(canonicalize_name(k)): str(k) for k in lock["packages"]
        }
        self.lock = lock["packages"]
        self.extra: dict[str, Wheel] = {}

    def add(self, wheel: Wheel) -> None:
        """A wheel made here (the course's own), found before any other source."""
        self.extra[wheel.name] = wheel

    def lock_entry(self, name: str) -> dict[str, Any] | None:
        key = self.lock_keys.get(str(canonicalize_name(name)))
        return None if key is None else dict(self.lock[key])

    def key(self, name: str) -> str:
        """The name the lock file knows ``name`` by (its own spelling, if it has one)."""
        canonical = str(canonicalize_name(name))
        return self.lock_keys.get(canonical, canonical)

    def wheel(self, name: str) -> Wheel:
        canonical = canonicalize_name(name)
        if canonical in self.extra:
            return self.extra[canonical]
        kernel = self._kernel_wheel(canonical)
        if kernel is not None:
            return kernel
        if canonical == "pyyaml":
            return self._pyyaml()
        pinned = {canonicalize_name(k): v for k, v in pins.BROWSER_WHEELS.items()}
        if canonical in pinned:
            return self._pypi(canonical, pinned[canonical])
        entry = self.lock_entry(canonical)
        if entry is not None:
            if not entry["file_name"].endswith("-none-any.whl"):
                raise LiteError(
                    f"{name}: Pyodide {pins.PYODIDE} builds it for WebAssembly "
                    f"({entry['file_name']}), which PyPI does not have; the site needs a pure "
                    "wheel: add a build for it in autograder/publish/lite/sources.py, as for PyYAML"
                )
            return self._pypi(canonical, str(entry["version"]))
        raise LiteError(
            f"{name}: no wheel for the browser: it is neither in Pyodide {pins.PYODIDE}'s lock "
            "nor in BROWSER_WHEELS of autograder/publish/lite/pins.py (pin a pure wheel there)"
        )

    def _kernel_wheel(self, canonical: str) -> Wheel | None:
        found = [read_wheel(p) for p in sorted(self.cache.kernel_wheels.glob("*.whl"))]
        if not found and self.cache.tools.exists():
            raise LiteError(f"{self.cache.kernel_wheels} holds no wheels: {_FETCH_FIRST}")
        matching = [w for w in found if w.name == canonical]
        # widgetsnbextension ships as 3.6.999 and 4.0.999: ipywidgets 8 wants the 4.
        return (
            max(matching, key=lambda w: tuple(map(int, w.version.split(".")))) if matching else None
        )

    def _cached(self, canonical: str, version: str) -> Wheel | None:
        for path in sorted(self.cache.wheels.glob("*.whl")):
            wheel = read_wheel(path)
            if wheel.name == canonical and wheel.version == version:
                return wheel
        return None

    def _pypi(self, canonical: str, version: str) -> Wheel:
        cached = self._cached(canonical, version)
        if cached is not None or not self.download:
            return cached or self._missing(canonical, version)
        self.cache.wheels.mkdir(parents=True, exist_ok=True)
        _run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "--python-version", "3.14", "--implementation", "py",
             "--abi", "none", "--platform", "any",
             "-d", str(self.cache.wheels), f"{canonical}=={version}"],
            f"pip download {canonical}=={version}",
        )  # fmt: skip
        return self._cached(canonical, version) or self._missing(canonical, version)

    def _pyyaml(self) -> Wheel:
        cached = self._cached("pyyaml", pins.PYYAML)
        if cached is not None and cached.pure:
            return cached
        if not self.download:
            return self._missing("pyyaml", pins.PYYAML)
        self.cache.wheels.mkdir(parents=True, exist_ok=True)
        _run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-binary=:all:",
             "-w", str(self.cache.wheels), f"pyyaml=={pins.PYYAML}"],
            "building a pure PyYAML wheel",
            env={**os.environ, "PYYAML_FORCE_LIBYAML": "0"},
        )  # fmt: skip
        built = self._cached("pyyaml", pins.PYYAML)
        if built is None or not built.pure:
            raise LiteError("pip wheel pyyaml did not give a pure (py3-none-any) wheel")
        return built

    def _missing(self, canonical: str, version: str) -> Wheel:
        raise LiteError(
            f"no wheel of {canonical}=={version} in {self.cache.wheels}: {_FETCH_FIRST}"
        )
