"""Every value-stream scenario can be reached from a notebook a student receives."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import nbformat
import pytest

from course.practice import exercises
from course.scenarios import load_scenarios

from .nbgrading import RELEASE, assignments, notebook_path

IDS = [s.id for s in load_scenarios()]


def _calls(assignment: str) -> Iterator[ast.Call]:
    nb = nbformat.read(notebook_path(RELEASE, assignment), 4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from (n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Call))


def _named(call: ast.Call) -> str:
    return ast.unparse(call.func)


def _builders(assignment: str) -> list[str]:
    """The scenario ids the builder cells of ``assignment`` open."""
    return [
        call.args[0].value
        for call in _calls(assignment)
        if _named(call) == "course.builder"
        and call.args
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    ]


def reachable() -> dict[str, list[str]]:
    """scenario id -> where a student reaches it in release/ (empty: nowhere)."""
    found: dict[str, list[str]] = {scenario_id: [] for scenario_id in IDS}
    for assignment in assignments():
        for scenario_id in _builders(assignment):
            found.setdefault(scenario_id, []).append(f"{assignment}: course.builder")
        if any(_named(call) == "more_practice" for call in _calls(assignment)):
            for item in exercises():
                found[item.id].append(f"{assignment}: more practice")
    return found


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_scenario_is_reached_from_a_released_notebook(scenario_id: str) -> None:
    assert reachable()[scenario_id], f"{scenario_id} is opened by no notebook in release/"


def test_every_builder_cell_names_a_known_scenario() -> None:
    assert set(reachable()) == set(IDS)


def test_the_lessons_open_the_patterns_the_worked_examples_and_the_further_exercises() -> None:
    written = [s.id for s in load_scenarios() if s.source == "scenario" and not s.graded]
    assert set(_builders("03-activities-together")) >= {
        s.id for s in load_scenarios() if s.source == "pattern"
    }
    lesson4 = _builders("04-value-streams")
    assert {"new-service-request", "incident-resolution", "change-implementation"} <= set(lesson4)
    assert set(written) <= set(lesson4)
    diagrams = [call for call in _calls("04-value-streams") if _named(call) == "diagram.stream"]
    assert diagrams == [], "a worked example's diagram is revealed only after a Check"
    assert any(_named(call) == "more_practice" for call in _calls("06-practice"))


def test_the_reachability_check_finds_a_scenario_nobody_opens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Drop every builder call: only the chooser's exercises stay reachable."""
    monkeypatch.setattr(f"{__name__}._builders", lambda assignment: [])
    lost = [scenario_id for scenario_id, where in reachable().items() if not where]
    assert lost == [s.id for s in load_scenarios() if s.graded]
