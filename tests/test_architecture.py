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


# -- the grader's house --------------------------------------------------------

#: autograder/'s folders, in the order a submission travels, and the top-level modules.
GROUPS = ("intake", "engine", "testroom", "outputs", "publish", "commands")
TOP_LEVEL = {
    "__init__", "__main__", "cli", "config", "course_layout", "errors",
    "nbgrader_settings", "notebook_io",
}  # fmt: skip


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_level_imports(path: Path, known: set[str]) -> set[str]:
    """The first-party modules ``path`` imports when it is imported (not inside functions):
    ``from a.b import c`` is ``a.b.c`` when that is a module, else ``a.b``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rsplit(".", 1)[0]
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in known else base)
    return {m for m in found if m in known and m != here}


def test_the_grader_is_grouped_by_job() -> None:
    """Every module of autograder/ sits in a folder named after its job, or is one of
    the few shared top-level modules; none is over 400 lines."""
    for path in _modules("autograder"):
        inside = path.relative_to(REPO / "autograder").parts
        if len(inside) == 1:
            assert path.stem in TOP_LEVEL, f"{path.name}: put it in one of {GROUPS}"
        else:
            assert inside[0] in GROUPS, path
        assert len(path.read_text().splitlines()) <= 400, path


def test_no_import_cycles() -> None:
    """No first-party module imports itself back through others at import time."""
    modules = {_module_name(p): p for p in _modules("autograder") + _modules("course")}
    graph = {name: _module_level_imports(path, set(modules)) for name, path in modules.items()}
    assert "autograder.engine.score" in graph["autograder.engine.grade"]  # the graph sees
    assert "course.errors" in graph["course._yamlread"]  # absolute and relative imports
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        trail.append(name)
        for nxt in sorted(graph[name]):
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt) :], nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        trail.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_the_test_room_never_loads_nbgrader_or_a_widget_library() -> None:
    """The test room's process imports neither nbgrader (no gradebook, no converter) nor
    any widget library: statically, and in a fresh interpreter."""
    for path in sorted((REPO / "autograder" / "testroom").glob("*.py")):
        assert not _top(_imports(path)) & {"nbgrader", "nbconvert", "ipywidgets"}, path
    code = (
        "import sys, autograder.testroom.server, autograder.testroom.job;"
        "print(sorted(m for m in ('nbgrader', 'nbconvert', 'ipywidgets', 'ipycytoscape')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_grading_engine_never_reaches_for_the_outputs_or_the_command_line() -> None:
    """Data flows one way: intake -> engine -> outputs; the command line is on top."""
    for group in ("intake", "engine", "testroom"):
        for path in sorted((REPO / "autograder" / group).glob("*.py")):
            names = _imports(path)
            assert not {
                n for n in names
                if n.startswith(("autograder.outputs", "autograder.commands", "autograder.cli"))
            }, path  # fmt: skip
