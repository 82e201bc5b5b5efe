"""What a wheel says about itself: name, version, dependencies in the browser, modules."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

__all__ = ["BROWSER_MARKERS", "LiteError", "Wheel", "read_wheel"]

#: How Pyodide's Python answers environment markers (PEP 508) in a wheel's
#: ``Requires-Dist``: Python 3.14 on Emscripten.
BROWSER_MARKERS = {
    "implementation_name": "cpython",
    "implementation_version": "3.14.2",
    "os_name": "posix",
    "platform_machine": "wasm32",
    "platform_python_implementation": "CPython",
    "platform_release": "",
    "platform_system": "Emscripten",
    "platform_version": "",
    "python_full_version": "3.14.2",
    "python_version": "3.14",
    "sys_platform": "emscripten",
    "extra": "",
}


class LiteError(RuntimeError):
    """The site cannot be built: the message says what is missing and how to fix it."""


@dataclass(frozen=True)
class Wheel:
    """A wheel file and what the browser needs to know of it."""

    path: Path
    name: str  # canonical (PEP 503)
    version: str
    requires: tuple[Requirement, ...]  # those that apply in the browser
    imports: tuple[str, ...]  # top-level modules and packages

    @property
    def pure(self) -> bool:
        return self.path.name.endswith("-none-any.whl")

    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def _top_level(names: list[str]) -> tuple[str, ...]:
    tops = set()
    for name in names:
        first = name.split("/", 1)[0]
        if first.endswith((".dist-info", ".data")):
            continue
        if "/" in name or first.endswith(".py"):
            tops.add(first.removesuffix(".py"))
    return tuple(sorted(t for t in tops if t.isidentifier()))


def read_wheel(path: Path) -> Wheel:
    """Read ``path``'s metadata; ``Requires-Dist`` is kept where it applies in Pyodide."""
    try:
        name, version, _build, _tags = parse_wheel_filename(path.name)
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
            metadata = Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
    except (ValueError, StopIteration, zipfile.BadZipFile) as exc:
        raise LiteError(f"{path}: not a readable wheel ({exc}); delete it and fetch again") from exc
    requires = []
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(BROWSER_MARKERS):
            requires.append(requirement)
    return Wheel(
        path=path,
        name=canonicalize_name(name),
        version=str(version),
        requires=tuple(requires),
        imports=_top_level(names),
    )
