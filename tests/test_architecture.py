"""The layers point one way, and the public surface is what it claims to be."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import course

REPO = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def _top(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


@pytest.mark.parametrize(
    "path",
    [p for p in _modules("course") if "widgets" not in p.parts],
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_pure_layer_imports_no_widget_library(path: Path) -> None:
    """course/ outside course/widgets/ imports neither ipywidgets nor ipycytoscape."""
    names = _imports(path)
    assert not _top(names) & {"ipywidgets", "ipycytoscape", "autograder"}
    assert not {n for n in names if n.startswith("course.widgets")}


def test_only_one_module_imports_ipycytoscape() -> None:
    users = [
        str(p.relative_to(REPO))
        for p in _modules("course") + _modules("autograder")
        if "ipycytoscape" in _top(_imports(p))
    ]
    assert users in ([], ["course/widgets/_cytoscape.py"])


def test_autograder_never_imports_the_widgets() -> None:
    for path in _modules("autograder"):
        names = _imports(path)
        assert not {n for n in names if n.startswith("course.widgets")}, path
        assert not _top(names) & {"ipywidgets", "ipycytoscape"}, path


def test_import_course_loads_no_widget_library() -> None:
    """`import course` and the whole pure model load without ipywidgets."""
    code = (
        "import sys, course; course.load_course(); course.activity('plan');"
        "print(sorted(m for m in ('ipywidgets', 'ipycytoscape', 'nbgrader') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_surface() -> None:
    """__all__ is exactly the model, the look-up, the seven widget entry points and the
    four learning aids, each of which resolves (lazily) to a callable."""
    assert set(course.__all__) == {
        "Activity", "ContentError", "Course", "Objective", "Practice", "PracticeQuestion",
        "Step", "UnknownActivityError", "ValueStream", "activity", "load_content",
        "load_course", "builder", "check_setup", "download_work", "practice_graph",
        "progress", "quiz", "review", "cheat_sheet", "glossary", "lesson_header",
        "lesson_plan",
    }  # fmt: skip
    assert set(course._LAZY) <= set(course.__all__) <= set(dir(course))
    for name in course.__all__:
        assert callable(getattr(course, name)), name
    assert (REPO / "course" / "py.typed").exists()
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = course.nonsense  # type: ignore[attr-defined]


def test_lazy_entry_points_never_shadow_a_submodule() -> None:
    """`course.quiz()` and friends must not share a name with a module of `course`:
    whichever was imported first would hide the other."""
    for name in course._LAZY:
        assert not (REPO / "course" / f"{name}.py").exists(), name
        assert not (REPO / "course" / name / "__init__.py").exists(), name
