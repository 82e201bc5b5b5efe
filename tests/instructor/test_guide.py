"""The instructor guide in the README: every command it gives is one a test runs.

Tests take their command lines from the guide with ``kit.command(text)``, which fails if
the guide does not say ``text``. Here every ``command(...)`` call of the workflow tests
is read from their source, and the set must be exactly the guide's commands: a command
added to the guide without a test, or a test of a command the guide dropped, fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.instructor.kit import REPO, guide_commands, guide_text

WORKFLOW_TESTS = [
    *sorted((REPO / "tests" / "instructor").glob("test_*.py")),
    REPO / "tests" / "browser" / "test_formgrader_browser.py",
]


def _commands_run(path: Path) -> set[str]:
    """The text of every ``command(...)`` call in ``path`` (literals or module constants)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        if name != "command":
            continue
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            found.add(arg.value)
        elif isinstance(arg, ast.Name) and arg.id in constants:
            found.add(constants[arg.id])
        else:
            raise AssertionError(f"{path.name}, line {node.lineno}: command() needs a literal")
    return found


def test_every_command_of_the_guide_is_run_by_a_test_and_no_other() -> None:
    run = set().union(*(_commands_run(path) for path in WORKFLOW_TESTS))
    guide = set(guide_commands())
    assert sorted(guide - run) == [], "commands of the guide that no test runs"
    assert sorted(run - guide) == [], "commands tests run that the guide does not give"


def test_the_guide_covers_both_routes_review_the_student_copy_and_late_work() -> None:
    guide = guide_text()
    for heading in (
        "### Adapt the content",
        "### Route 1: the nbgrader exchange",
        "### Route 2: an LMS",
        "### Review by hand",
        "### Publish a student-only copy",
        "### Late submissions",
    ):
        assert heading in guide
    commands = guide_commands()
    steps = [
        "nbgrader release_assignment",
        "nbgrader fetch_assignment",
        "nbgrader submit",
        "nbgrader collect",
        "python -m autograder grade",
        "python -m autograder feedback",
        "nbgrader release_feedback",
        "nbgrader fetch_feedback",
        "python -m autograder export",
    ]
    order = [next(i for i, c in enumerate(commands) if c.startswith(s)) for s in steps]
    assert order == sorted(order), "the exchange route's steps are out of order"


def test_the_guide_is_below_the_existing_sections_of_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Trade mark") < readme.index("## For instructors")
