"""The browser's packages: every one the kit needs, and a ``pyodide-lock.json`` for them.

Pyodide loads a package by its name in the lock file, with the packages the
entry ``depends`` on, from the wheel named beside the lock, and refuses a
wheel whose sha256 differs from the entry's. So the lock the site ships has
exactly the packages it ships, each entry pointing at its own wheel.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from .sources import Sources
from .wheels import LiteError, Wheel

__all__ = ["Package", "resolve", "write_lock"]


@dataclass(frozen=True)
class Package:
    key: str  # the name in the lock file
    wheel: Wheel
    depends: tuple[str, ...]  # lock keys
    base: dict[str, Any] | None  # Pyodide's own entry, when it has one


def resolve(roots: list[str], sources: Sources) -> dict[str, Package]:
    """``roots`` and everything they need in the browser, by lock key.

    A package in Pyodide's lock keeps the lock's dependencies (Pyodide built
    it with them); any other follows its wheel's ``Requires-Dist``. Every
    version required by a wheel is checked against the version chosen.
    """
    chosen: dict[str, Package] = {}
    wanted_by: dict[str, list[tuple[str, Any]]] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        key = sources.key(name)
        if key in chosen:
            continue
        wheel = sources.wheel(name)
        base = sources.lock_entry(name)
        replaced = base is not None and not str(base["file_name"]).endswith("-none-any.whl")
        if base is not None and not replaced:
            depends = [str(d) for d in base.get("depends", [])]
        else:
            depends = []
            for requirement in wheel.requires:
                depends.append(requirement.name)
                wanted_by.setdefault(canonicalize_name(requirement.name), []).append(
                    (wheel.name, requirement.specifier)
                )
        keys = tuple(sorted({sources.key(d) for d in depends}))
        chosen[key] = Package(key, wheel, keys, base)
        todo.extend(depends)
    by_name = {p.wheel.name: p for p in chosen.values()}
    for name, wants in wanted_by.items():
        version = by_name[name].wheel.version
        for who, specifier in wants:
            if specifier and not specifier.contains(version, prereleases=True):
                raise LiteError(
                    f"{who} needs {name}{specifier}, but the site has {name} {version}: "
                    "change its pin in autograder/publish/lite/pins.py"
                )
    return chosen


def write_lock(lock: dict[str, Any], packages: dict[str, Package], folder: Path) -> dict[str, Any]:
    """Copy each package's wheel into ``folder``; return the lock that lists exactly them."""
    entries: dict[str, Any] = {}
    for key, package in sorted(packages.items()):
        wheel = package.wheel
        shutil.copyfile(wheel.path, folder / wheel.path.name)
        entry: dict[str, Any] = {
            "name": key,
            "version": wheel.version,
            "install_dir": "site",
            "package_type": "package",
            "unvendored_tests": False,
            "imports": list(wheel.imports),
            **(package.base or {}),
        }
        if package.base is not None and not package.base["file_name"].endswith("-none-any.whl"):
            # Pyodide's WebAssembly build, replaced by a pure wheel (PyYAML).
            entry["imports"] = list(wheel.imports)
            entry["version"] = wheel.version
        elif str(entry["version"]) != wheel.version:
            raise LiteError(
                f"{key}: Pyodide's lock pins {entry['version']}, the wheel is {wheel.version}"
            )
        entry.update(
            file_name=wheel.path.name,
            sha256=wheel.sha256(),
            depends=list(package.depends),
        )
        entries[key] = entry
    return {"info": lock["info"], "packages": entries}
