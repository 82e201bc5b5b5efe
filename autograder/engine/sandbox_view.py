"""What the Python installation looks like from inside the sandbox: neutral paths only.

Student code must not learn where the course lives on the grader's machine
(the course root, the repository, the virtual environment inside it). So the
sandbox never shows a host path of them:

- the virtual environment appears at :data:`KIT` (``/opt/kit``), its base
  Python at :data:`BASE` (``/opt/python``) unless that is a system folder
  (``/usr``), and the course packages that live outside the environment (an
  editable install) at :data:`SRC` (``/opt/kit/src``, on ``PYTHONPATH``);
- what is shown is a *kit image*: a mirror of the environment's ``lib``
  folder and of those packages (hard links where the filesystem allows, else
  copies) without the files that name a host path of them (an editable
  install's ``.pth`` and finder, ``direct_url.json``) and with byte code
  compiled for the neutral paths (byte code compiled where the environment
  lives records that path in every file);
- each mirror is built once per state of what it mirrors (a fingerprint of
  file names and times) under :func:`image_home` and reused by every later
  grading run (building the environment's takes seconds to a minute, once).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import shutil
import sys
import sysconfig
import tempfile
import types
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BASE", "KIT", "SRC", "View", "build_view", "image_home"]

KIT = "/opt/kit"
BASE = "/opt/python"
SRC = "/opt/kit/src"
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_SCAN_LIMIT = 4 << 20  # larger files are data or libraries, never install records
_VERSION = "3"  # bump when the image's rules change


@dataclass(frozen=True)
class View:
    """Read-only binds (host, inside), symlinks (target, inside), the interpreter inside,
    the folder of its commands, ``PYTHONPATH``, every host path the view hides, and the
    host folders whose content it shows (mirrored or bound)."""

    binds: tuple[tuple[str, str], ...]
    links: tuple[tuple[str, str], ...]
    python: str
    bindir: str
    pythonpath: str
    hidden: tuple[str, ...]
    sources: tuple[str, ...]
    masks: tuple[str, ...] = ()  # folders inside shown empty


def _is_system(path: Path) -> bool:
    return any(path == Path(d) or Path(d) in path.parents for d in SYSTEM_DIRS)


def _specific(folder: Path) -> bool:
    """A folder specific enough to look for in files (``/home/ann`` yes, ``/opt`` no: short
    names appear in files for other reasons, and dropping those would break them)."""
    return len(folder.parts) >= 3 and not _is_system(folder)


def package_dirs(names: Iterable[str]) -> dict[str, Path]:
    """The folder of each named package (``course`` -> ``<repo>/course``)."""
    found: dict[str, Path] = {}
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            found[name] = Path(next(iter(spec.submodule_search_locations))).resolve()
    return found


def _walk(root: Path) -> Iterable[tuple[Path, list[str]]]:
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        yield Path(folder), sorted(names)


def _fingerprint(roots: dict[str, Path]) -> str:
    """Names of every file, and times: of every file of a package (small, edited by
    hand), of every folder of the environment (changed by any install: quick)."""
    digest = hashlib.sha256(_VERSION.encode())
    for label, root in sorted(roots.items()):
        digest.update(f"{label}={root}\n".encode())
        for folder, names in _walk(root):
            with contextlib.suppress(OSError):
                digest.update(f"{folder}:{os.lstat(folder).st_mtime_ns}\n".encode())
            for name in names:
                digest.update(f"{name}\n".encode())
                if label != "lib":
                    with contextlib.suppress(OSError):
                        st = os.lstat(folder / name)
                        digest.update(f"{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]


def _renamed(code: types.CodeType, filename: str) -> types.CodeType:
    consts = tuple(
        _renamed(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts
    )
    return code.replace(co_filename=filename, co_consts=consts)


def _relocated_bytecode(source: Path, inside: str, hidden: list[bytes]) -> bytes | None:
    """The byte code cached beside ``source``, its file names changed to ``inside``
    (None: no usable cache, or it would still name a hidden path)."""
    cached = Path(importlib.util.cache_from_source(str(source)))
    try:
        data = cached.read_bytes()
        if data[:4] != importlib.util.MAGIC_NUMBER or len(data) < 16:
            return None
        code = marshal.loads(data[16:])
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(code, types.CodeType):
        return None
    out = data[:16] + marshal.dumps(_renamed(code, inside))
    return None if any(h in out for h in hidden) else out


def _names_a_host_path(path: Path, hidden: list[bytes]) -> bool:
    try:
        if path.stat().st_size > _SCAN_LIMIT:
            return False
        data = path.read_bytes()
    except OSError:
        return True
    return any(h in data for h in hidden)


def _dropped_by_name(name: str) -> bool:
    """Files an install writes to record where it came from (an editable install's finder
    and ``.pth``, ``direct_url.json``, ``.egg-link``), and type stubs (never run)."""
    return (
        name.startswith("__editable__")
        or name in ("direct_url.json",)
        or name.endswith((".egg-link", ".pyi"))
    )


def _mirror(source: Path, target: Path, inside: str, hidden: list[bytes]) -> None:
    """``source`` into ``target``: links (or copies), byte code relocated to ``inside``,
    no file naming a hidden path (nor a ``.pth`` file importing one), no install record;
    symbolic links kept only when relative and inside; empty folders left out."""
    target.mkdir(parents=True, exist_ok=True)
    for folder, names in _walk(source):
        rel = folder.relative_to(source)
        out = target / rel
        dropped: list[bytes] = []
        # .pth files last: they may import a module dropped here
        for name in sorted(names, key=lambda n: n.endswith(".pth")):
            path = folder / name
            if _dropped_by_name(name) or not (path.is_file() or path.is_symlink()):
                dropped.append(name.rpartition(".")[0].encode())
                continue
            out.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():
                link = os.readlink(path)
                if not os.path.isabs(link) and ".." not in Path(link).parts:
                    os.symlink(link, out / name)
                continue
            if _names_a_host_path(path, hidden) or (
                name.endswith(".pth") and _names_a_host_path(path, dropped)
            ):
                dropped.append(name.rpartition(".")[0].encode())
                continue
            try:
                os.link(path, out / name)
            except OSError:
                shutil.copy2(path, out / name)
            if name.endswith(".py"):
                code = _relocated_bytecode(path, f"{inside}/{rel / name}", hidden)
                if code is not None:
                    cached = Path(importlib.util.cache_from_source(str(out / name)))
                    cached.parent.mkdir(exist_ok=True)
                    cached.write_bytes(code)


def image_home() -> Path:
    """Where kit images are kept: beside the environment when it is writable."""
    beside = Path(sys.prefix) / ".itil-sandbox"
    with contextlib.suppress(OSError):
        beside.mkdir(exist_ok=True)
        if os.access(beside, os.W_OK):
            return beside
    home = Path(tempfile.gettempdir()) / f"itil-sandbox-{os.getuid()}"
    home.mkdir(mode=0o700, exist_ok=True)
    return home


def _image(label: str, root: Path, hidden: list[bytes], home: Path) -> Path:
    """The mirror of ``root`` (``lib``: the environment's; ``src/<name>``: a package),
    built if missing; each root apart, so an edited package leaves the rest as built."""
    safe = label.replace("/", "-")
    key = hashlib.sha256(_fingerprint({label: root}).encode() + b"\0".join(hidden))
    image = home / f"{safe}-{key.hexdigest()[:20]}"
    if image.is_dir():
        return image
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=home))
    try:
        _mirror(root, building, f"{KIT}/{label}", hidden)
        try:
            building.rename(image)
        except OSError:  # another run built it meanwhile
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    for old in home.glob(f"{safe}-*"):
        if old != image:
            shutil.rmtree(old, ignore_errors=True)
    return image


def _venv_config(base_bin: str) -> str:
    """The neutral ``pyvenv.cfg``: the environment's settings, the base at its inside path."""
    keep = []
    cfg = Path(sys.prefix) / "pyvenv.cfg"
    for line in cfg.read_text().splitlines() if cfg.is_file() else []:
        key = line.partition("=")[0].strip()
        if key in ("include-system-site-packages", "version", "version_info"):
            keep.append(line)
    return "\n".join([f"home = {base_bin}", *keep]) + "\n"


def build_view(packages: Iterable[str], home: Path | None = None) -> View:
    """The neutral view for a sandbox that imports ``packages``."""
    base = Path(sys.base_prefix).resolve()
    prefix = Path(sys.prefix).resolve()
    executable = Path(sys.executable).resolve()
    base_inside = str(base) if _is_system(base) else BASE
    binds: list[tuple[str, str]] = []
    if base_inside != str(base):
        binds.append((str(base), BASE))
    interpreter = executable.name
    try:
        base_python = f"{base_inside}/{executable.relative_to(base)}"
    except ValueError:
        base_python = str(executable)  # outside its prefix (a system python in /usr/bin)
    venv = prefix != base
    outside = {
        name: path
        for name, path in package_dirs(packages).items()
        if not (path == prefix or prefix in path.parents) and not (not venv and _is_system(path))
    }
    # what each mirror must not name: the environment and the folder holding it (a
    # project's .venv), and for a package the folder holding it (the repository)
    near = {str(p) for p in (prefix, prefix.parent) if _specific(p)}
    hidden = {"lib": sorted(near)}
    roots: dict[str, Path] = {}
    for name, path in outside.items():
        roots[f"src/{name}"] = path
        hidden[f"src/{name}"] = sorted(
            near | ({str(path.parent)} if _specific(path.parent) else set())
        )
    if venv:
        roots["lib"] = prefix / "lib"
    links: list[tuple[str, str]] = []
    home = home or image_home()
    for label, root in roots.items():
        image = _image(label, root, [h.encode() for h in hidden[label]], home)
        binds.append((str(image), f"{KIT}/{label}"))
    if venv:
        config = home / "pyvenv.cfg"
        text = _venv_config(str(Path(base_python).parent))
        if not config.is_file() or config.read_text() != text:
            config.write_text(text)
        binds.append((str(config), f"{KIT}/pyvenv.cfg"))
        if (prefix / "lib64").is_symlink():
            links.append(("lib", f"{KIT}/lib64"))
        for name in {"python", "python3", interpreter}:
            links.append((base_python, f"{KIT}/bin/{name}"))
        python, bindir = f"{KIT}/bin/{interpreter}", f"{KIT}/bin"
    else:
        python, bindir = base_python, str(Path(base_python).parent)
    pythonpath = SRC if outside else ""
    masks = []
    if venv and base_inside == BASE:
        # the base's own packages are not the environment's (nor its test suite)
        stdlib = Path(sysconfig.get_path("stdlib", vars={"installed_base": BASE}))
        purelib = sysconfig.get_path("purelib", vars={"base": BASE})
        for folder in (purelib, str(stdlib / "test")):
            if (base / Path(folder).relative_to(BASE)).is_dir():
                masks.append(folder)
    sources = [str(root) for root in roots.values()]
    sources += [host for host, _inside in binds if host == str(base)]
    every = tuple(sorted({h for names in hidden.values() for h in names}))
    return View(
        tuple(binds), tuple(links), python, bindir, pythonpath, every, tuple(sources), tuple(masks)
    )
