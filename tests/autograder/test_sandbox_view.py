"""The kit image the sandbox shows: no file names a host path of the course."""

from __future__ import annotations

import importlib.util
import marshal
import os
import py_compile
from pathlib import Path

from autograder.engine.sandbox_view import _image, _mirror, _specific


def _site(root: Path, hidden: str) -> Path:
    site = root / "lib" / "python3" / "site-packages"
    (site / "pkg").mkdir(parents=True)
    (site / "pkg" / "__init__.py").write_text("VALUE = 1\n")
    py_compile.compile(str(site / "pkg" / "__init__.py"), doraise=True)  # names root
    (site / "pkg" / "stub.pyi").write_text("VALUE: int\n")
    (site / "__editable___kit_finder.py").write_text(f"MAPPING = {{'course': '{hidden}'}}\n")
    (site / "__editable__.kit.pth").write_text("import __editable___kit_finder\n")
    (site / "other.pth").write_text("import __editable___kit_finder; x()\n")
    (site / "plain.pth").write_text("extra\n")
    (site / "notes.txt").write_text(f"built in {hidden}/build\n")
    (site / "kit.dist-info").mkdir()
    (site / "kit.dist-info" / "direct_url.json").write_text('{"url": "file:///x"}')
    (site / "kit.dist-info" / "METADATA").write_text("Name: kit\n")
    os.symlink("notes.txt", site / "alias.txt")  # relative: kept (a dangling one here)
    os.symlink("/etc/passwd", site / "outside")
    return site


def test_the_mirror_leaves_out_every_record_of_where_the_kit_lives(tmp_path: Path) -> None:
    hidden = str(tmp_path / "repo")
    site = _site(tmp_path / "env", hidden)
    out = tmp_path / "image"
    _mirror(
        tmp_path / "env" / "lib", out, "/opt/kit/lib", [hidden.encode(), str(tmp_path).encode()]
    )
    mirrored = out / "python3" / "site-packages"
    names = sorted(str(p.relative_to(mirrored)) for p in mirrored.rglob("*"))
    assert names == [
        "alias.txt",
        "kit.dist-info",
        "kit.dist-info/METADATA",
        "pkg",
        "pkg/__init__.py",
        "pkg/__pycache__",
        f"pkg/__pycache__/{Path(importlib.util.cache_from_source('__init__.py')).name}",
        "plain.pth",
    ]
    assert os.readlink(mirrored / "alias.txt") == "notes.txt"
    assert (mirrored / "pkg" / "__init__.py").samefile(site / "pkg" / "__init__.py")
    cached = Path(importlib.util.cache_from_source(str(mirrored / "pkg" / "__init__.py")))
    data = cached.read_bytes()
    assert str(tmp_path).encode() not in data
    code = marshal.loads(data[16:])
    assert code.co_filename == "/opt/kit/lib/python3/site-packages/pkg/__init__.py"


def test_an_image_is_built_once_and_rebuilt_when_its_source_changes(tmp_path: Path) -> None:
    _site(tmp_path / "env", "/nowhere/x")
    home = tmp_path / "home"
    home.mkdir()
    lib = tmp_path / "env" / "lib"
    first = _image("lib", lib, [b"/nowhere/x"], home)
    assert _image("lib", lib, [b"/nowhere/x"], home) == first
    (lib / "python3" / "site-packages" / "new_module.py").write_text("")
    second = _image("lib", lib, [b"/nowhere/x"], home)
    assert second != first
    assert sorted(p.name for p in home.iterdir()) == [second.name]  # the old one is gone


def test_only_specific_folders_are_looked_for() -> None:
    assert _specific(Path("/home/ann"))
    assert not _specific(Path("/opt"))
    assert not _specific(Path("/usr/lib/python3"))
