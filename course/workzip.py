"""Pack a student's assignment folder into one zip, to download and keep.

Binder sessions end after a while without activity, and what is in them is
gone then; the "download my work" button of the start page and of every
lesson calls :func:`zip_work`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

__all__ = ["SKIPPED_DIRS", "zip_name", "zip_work"]

#: Folders that hold no work of the student's.
SKIPPED_DIRS = frozenset({".ipynb_checkpoints", "__pycache__", ".virtual_documents"})
_PREFIX = "my-work-"


def zip_name(folder: Path) -> str:
    """The file name of the zip for ``folder``, e.g. ``my-work-02-six-activities.zip``."""
    return f"{_PREFIX}{folder.resolve().name}.zip"


def zip_work(folder: str | Path) -> tuple[Path, list[str]]:
    """Zip every file of ``folder`` (recursively) into ``folder/<zip_name>``.

    Earlier work zips and editor caches are left out. The zip is written to a
    temporary name first and then renamed, so an interrupted run never leaves
    a half-written zip behind. Returns the zip's path and the member names.
    """
    root = Path(folder).resolve()
    if not root.is_dir():
        raise NotADirectoryError(f"cannot zip {root}: it is not a folder")
    target = root / zip_name(root)
    partial = target.with_suffix(".zip.partial")
    members = []
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if path.is_dir() or set(relative.parts[:-1]) & SKIPPED_DIRS:
                continue
            if relative.parts[0].startswith(_PREFIX) and path.suffix in (".zip", ".partial"):
                continue
            if path.is_symlink():
                continue
            name = relative.as_posix()
            archive.write(path, f"{root.name}/{name}")
            members.append(name)
    partial.replace(target)
    return target, members
