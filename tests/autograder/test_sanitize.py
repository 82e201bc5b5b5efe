"""The preparation of a submission: an ordered list of steps, and the run plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds

from autograder.course_layout import open_course
from autograder.engine.answer_key import AssignmentKey, prepare_assignment
from autograder.engine.prepare import (
    END,
    EXECUTE,
    PIPELINE,
    DropUnknownIds,
    RestoreLockedCells,
    RestoreMetadata,
    prepare_notebook,
)
from autograder.engine.widget_answers import WidgetAnswers
from tests.autograder.fixtures.course_fixture import CORRECT, answered, with_widget_answer


@pytest.fixture(scope="module")
def key(template: Path, tmp_path_factory: pytest.TempPathFactory) -> AssignmentKey:
    from tests.autograder.fixtures.course_fixture import copy_course

    course = copy_course(template, tmp_path_factory.mktemp("sanitize") / "course")
    return prepare_assignment(open_course(course), "ps1")


def test_widget_answers_are_handed_over_before_the_student_code_runs() -> None:
    """The kit's WidgetAnswers step is in the pipeline, after the locked cells are
    restored and before execution."""
    assert WidgetAnswers in PIPELINE
    assert PIPELINE.index(RestoreLockedCells) < PIPELINE.index(WidgetAnswers)
    assert PIPELINE.index(WidgetAnswers) < PIPELINE.index(EXECUTE)
    assert PIPELINE[-1] == EXECUTE


def test_ids_and_metadata_are_settled_before_nbgrader_checks_them() -> None:
    """Outputs cleared, unknown ids dropped, duplicates resolved, metadata and locked
    cells restored, and only then nbgrader's metadata check."""
    steps = (
        ClearOutput,
        DropUnknownIds,
        DeduplicateIds,
        RestoreMetadata,
        RestoreLockedCells,
        CheckCellMetadata,
    )
    order = [PIPELINE.index(s) for s in steps]
    assert order == sorted(order)
    assert order[-1] < PIPELINE.index(EXECUTE)


def test_the_plan_skips_tests_and_reads_answers_where_the_tests_stand(
    key: AssignmentKey, template: Path, tmp_path: Path
) -> None:
    nb = answered(template, "problems", CORRECT)
    nb, resources = prepare_notebook(nb, key.notebook("problems"), "ps1", "ada", str(tmp_path))
    plan = resources["autograder"]["plan"]
    assert plan.steps == [
        ("run", 1),
        ("run", 3),
        ("snap", "q1-test"),
        ("run", 6),
        ("snap", "q2-test"),
        ("run", 9),
        ("snap", "q3-test"),
    ]
    assert plan.names == {
        "q1-test": ("activities",),
        "q2-test": ("answer",),
        "q3-test": ("stream",),
    }


def test_deleted_tests_are_read_at_the_end(
    key: AssignmentKey, template: Path, tmp_path: Path
) -> None:
    nb = answered(template, "problems", CORRECT)
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    nb, resources = prepare_notebook(nb, key.notebook("problems"), "ps1", "ada", str(tmp_path))
    plan = resources["autograder"]["plan"]
    assert plan.steps[-3:] == [("snap", "q1-test"), ("snap", "q2-test"), ("snap", "q3-test")]
    assert plan.notes == ["test cells missing from the submission: q1-test, q2-test, q3-test"]
    assert END == -1


def test_an_altered_locked_cell_is_restored_and_an_invented_id_dropped(
    key: AssignmentKey, template: Path, tmp_path: Path
) -> None:
    nb = answered(template, "problems", CORRECT)
    nb.cells[1].source = "import os; os.system('rm -rf /')"  # the locked setup cell
    nb.cells[3].metadata["nbgrader"]["grade_id"] = "mine"
    nb, resources = prepare_notebook(nb, key.notebook("problems"), "ps1", "ada", str(tmp_path))
    assert nb.cells[1].source == key.notebook("problems").cells["setup"].source
    assert "nbgrader" not in nb.cells[3].metadata
    assert resources["autograder"]["notes"] == ["cell ids not in the assignment: mine"]


def test_the_widget_answers_reach_the_kernel_folder(
    key: AssignmentKey, template: Path, tmp_path: Path
) -> None:
    nb = with_widget_answer(answered(template, "bonus", CORRECT), "q4", {"A": "Plan"})
    (tmp_path / ".widget_answers.json").write_text('{"q4": "forged by the student"}')
    _, resources = prepare_notebook(nb, key.notebook("bonus"), "ps1", "ada", str(tmp_path))
    assert resources["widget_answers"] == {"q4": {"A": "Plan"}}
    assert (tmp_path / ".widget_answers.json").read_text().replace(" ", "").replace(
        "\n", ""
    ) == '{"q4":{"A":"Plan"}}'


def test_answer_cell_metadata_cannot_be_turned_into_a_grade(
    key: AssignmentKey, template: Path, tmp_path: Path
) -> None:
    nb = answered(template, "problems", CORRECT)
    nb.cells[3].metadata["nbgrader"].update(grade=True, points=100)
    nb, resources = prepare_notebook(nb, key.notebook("problems"), "ps1", "ada", str(tmp_path))
    meta = nb.cells[3].metadata["nbgrader"]
    assert (meta["grade"], meta["solution"], "points" in meta) == (False, True, False)
    assert resources["autograder"]["notes"] == ["cell metadata restored: q1-answer"]
