"""The site's package list (lite/): every package the kit needs in the browser is found,
its dependencies follow, and what cannot be had is refused with a message saying what to
pin. Tiny wheels made here stand in for the real ones; nothing is downloaded."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from autograder.publish.lite import pins
from autograder.publish.lite.build import _clear, site_config
from autograder.publish.lite.lock import resolve, write_lock
from autograder.publish.lite.sources import KERNEL_PRELOAD, Cache, Sources
from autograder.publish.lite.wheels import LiteError, read_wheel


def _wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dist = f"{name.replace('-', '_')}-{version}"
    path = folder / f"{dist}-py3-none-any.whl"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name.replace('-', '_')}/__init__.py", "")
        archive.writestr(f"{dist}.dist-info/METADATA", metadata)
    return path


def _lock(**entries: dict[str, Any]) -> dict[str, Any]:
    return {"info": {"python": "3.14.2"}, "packages": entries}


def _entry(name: str, version: str, file_name: str, depends: list[str]) -> dict[str, Any]:
    return {
        "name": name, "version": version, "file_name": file_name, "depends": depends,
        "sha256": "0" * 64, "imports": [name], "install_dir": "site", "package_type": "package",
    }  # fmt: skip


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache")


def test_a_wheels_dependencies_follow_it_and_lock_packages_keep_their_own(cache: Cache) -> None:
    kit = read_wheel(_wheel(cache.root / "kit", "itil-svc-course", "0.1.0", ("ipywidgets>=8",)))
    _wheel(cache.wheels, "ipywidgets", pins.BROWSER_WHEELS["ipywidgets"], ("traitlets>=4",))
    _wheel(cache.wheels, "traitlets", "5.14.3", ("never-loaded",))
    lock = _lock(traitlets=_entry("traitlets", "5.14.3", "traitlets-5.14.3-py3-none-any.whl", []))
    sources = Sources(cache, lock, download=False)
    sources.add(kit)
    packages = resolve(["itil-svc-course"], sources)
    assert set(packages) == {"itil-svc-course", "ipywidgets", "traitlets"}
    assert packages["itil-svc-course"].depends == ("ipywidgets",)
    assert packages["traitlets"].depends == ()  # the lock's word, not the wheel's

    out = cache.root / "site"
    out.mkdir()
    written = write_lock(lock, packages, out)["packages"]
    for key, entry in written.items():
        wheel = out / entry["file_name"]
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"], key
    assert written["itil-svc-course"]["imports"] == ["itil_svc_course"]


def test_a_package_with_no_browser_wheel_is_refused_by_name(cache: Cache) -> None:
    kit = read_wheel(_wheel(cache.root / "kit", "itil-svc-course", "0.1.0", ("nbgrader",)))
    sources = Sources(cache, _lock(), download=False)
    sources.add(kit)
    with pytest.raises(
        LiteError, match=r"nbgrader: no wheel for the browser.*autograder/publish/lite/pins.py"
    ):
        resolve(["itil-svc-course"], sources)


def test_a_version_the_kit_cannot_use_is_refused(cache: Cache) -> None:
    kit = read_wheel(_wheel(cache.root / "kit", "itil-svc-course", "0.1.0", ("ipywidgets>=99",)))
    _wheel(cache.wheels, "ipywidgets", pins.BROWSER_WHEELS["ipywidgets"])
    sources = Sources(cache, _lock(), download=False)
    sources.add(kit)
    with pytest.raises(LiteError, match=r"itil-svc-course needs ipywidgets>=99.*change its pin"):
        resolve(["itil-svc-course"], sources)


def test_a_webassembly_only_package_is_refused(cache: Cache) -> None:
    lock = _lock(numpy=_entry("numpy", "2.0", "numpy-2.0-cp314-cp314-pyemscripten_wasm32.whl", []))
    sources = Sources(cache, lock, download=False)
    with pytest.raises(LiteError, match=r"numpy: Pyodide .* builds it for WebAssembly"):
        sources.wheel("numpy")


def test_a_missing_download_says_to_fetch_first(cache: Cache) -> None:
    lock = _lock(six=_entry("six", "1.17.0", "six-1.17.0-py2.py3-none-any.whl", []))
    with pytest.raises(LiteError, match=r"no wheel of six==1.17.0 .*make lite-fetch"):
        Sources(cache, lock, download=False).wheel("six")


def test_markers_are_read_as_pyodide_answers_them(cache: Cache) -> None:
    """A dependency for Windows only, or for an extra, is not the browser's."""
    path = _wheel(
        cache.wheels, "demo", "1.0",
        ('colorama; sys_platform == "win32"', 'pytest; extra == "test"',
         'tomli; python_version < "3.11"', 'comm; sys_platform == "emscripten"'),
    )  # fmt: skip
    assert [r.name for r in read_wheel(path).requires] == ["comm"]


def test_the_kernel_preloads_the_kit_and_never_falls_back_to_pypi() -> None:
    config = site_config([*KERNEL_PRELOAD, "itil-svc-course"])["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["loadPyodideOptions"]["packages"][-1] == "itil-svc-course"
    json.dumps(config)  # plain JSON


def test_the_build_replaces_a_site_but_never_another_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "jupyter-lite.json").write_text("{}")
    _clear(site)
    assert not site.exists()
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep me")
    with pytest.raises(LiteError, match="not a site to replace"):
        _clear(other)
    assert (other / "mine.txt").exists()
