"""Repository hygiene that CI enforces: clean notebooks, lint, types."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _tracked_notebooks() -> list[Path]:
    if not (REPO / ".git").exists():
        return sorted(REPO.glob("[sr][oe]*/**/*.ipynb"))
    out = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True, text=True, check=True
    )
    return [REPO / line for line in out.stdout.split()]


def test_committed_notebooks_carry_no_outputs_or_execution_counts() -> None:
    """Every tracked notebook is valid JSON with clean cells."""
    dirty = []
    for path in _tracked_notebooks():
        try:
            nb = json.loads(path.read_text())
        except ValueError as exc:
            dirty.append(f"{path.relative_to(REPO)}: not valid JSON ({exc})")
            continue
        for index, cell in enumerate(nb.get("cells", [])):
            if cell.get("outputs") or cell.get("execution_count") is not None:
                dirty.append(f"{path.relative_to(REPO)}: cell {index} has outputs or a count")
                break
        if "widgets" in nb.get("metadata", {}):
            dirty.append(f"{path.relative_to(REPO)}: saved widget state in the metadata")
    assert dirty == []


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed in this environment: run `make test`")
    return found


def test_ruff_is_clean() -> None:
    targets = ["course", "autograder", "tests"]
    check = subprocess.run(
        [_tool("ruff"), "check", *targets], cwd=REPO, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [_tool("ruff"), "format", "--check", *targets], cwd=REPO, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@pytest.mark.slow
def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([_tool("mypy")], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
