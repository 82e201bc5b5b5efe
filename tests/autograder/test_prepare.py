"""The preparation of a submission: repaired ids and metadata, notes, and the run plan."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest

from autograder.course_layout import open_course
from autograder.engine.answer_key import AssignmentKey, prepare_assignment
from autograder.engine.prepare import END, prepare_notebook
from tests.autograder.fixtures.course_fixture import CORRECT, answered, with_widget_answer


@pytest.fixture(scope="module")
def key(template: Path, tmp_path_factory: pytest.TempPathFactory) -> AssignmentKey:
    from tests.autograder.fixtures.course_fixture import copy_course

    course = copy_course(template, tmp_path_factory.mktemp("sanitize") / "course")
    return prepare_assignment(open_course(course), "ps1")


def test_a_tampered_submission_passes_nbgraders_metadata_check_with_notes(
    key: AssignmentKey, template: Path
) -> None:
    """Ids and metadata settle before nbgrader's own check: an invented id, a duplicated
    id and altered metadata are repaired and noted, never an error."""
    nb = answered(template, "problems", CORRECT)
    by_id = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    by_id["q1-answer"].metadata["nbgrader"]["grade_id"] = "mine"
    by_id["q3-answer"].metadata["nbgrader"].update(grade=True, points=50)
    twin = copy.deepcopy(by_id["q2-answer"])
    twin.id = "twin-cell"
    nb.cells.insert(nb.cells.index(by_id["q2-answer"]) + 1, twin)
    prepared = prepare_notebook(nb, key.notebook("problems"), "ps1", "ada")
    assert prepared.plan.notes == [
        "cell ids not in the assignment: mine",
        "duplicated cell ids: q2-answer",
        "cell metadata restored: q3-answer",
    ]


def test_widget_answers_are_read_once_from_the_submitted_file(
    course_dir: Path, template: Path
) -> None:
    """The submission carries the answers saved in each notebook's widget state; a
    `.widget_answers.json` the student put beside it is never read."""
    from autograder.intake.submission import load_submission

    layout = open_course(course_dir)
    key = prepare_assignment(layout, "ps1")
    folder = layout.submitted_dir("ada", "ps1")
    folder.mkdir(parents=True)
    nb = with_widget_answer(answered(template, "bonus", CORRECT), "q4", {"A": "Plan"})
    nbformat.write(nb, folder / "bonus.ipynb")
    (folder / ".widget_answers.json").write_text('{"q4": "forged by the student"}')
    submitted = load_submission(layout, key, "ada")
    assert submitted.widget_answers["bonus"] == {"q4": {"A": "Plan"}}
    assert "problems" in submitted.missing
    assert "problems" not in submitted.widget_answers


def test_the_plan_skips_tests_and_reads_answers_where_the_tests_stand(
    key: AssignmentKey, template: Path, tmp_path: Path
) -> None:
    nb = answered(template, "problems", CORRECT)
    plan = prepare_notebook(nb, key.notebook("problems"), "ps1", "ada").plan
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
    plan = prepare_notebook(nb, key.notebook("problems"), "ps1", "ada").plan
    assert plan.steps[-3:] == [("snap", "q1-test"), ("snap", "q2-test"), ("snap", "q3-test")]
    assert plan.notes == ["test cells missing from the submission: q1-test, q2-test, q3-test"]
    assert END == -1


def test_an_altered_locked_cell_is_restored_and_an_invented_id_dropped(
    key: AssignmentKey, template: Path, tmp_path: Path
) -> None:
    nb = answered(template, "problems", CORRECT)
    nb.cells[1].source = "import os; os.system('rm -rf /')"  # the locked setup cell
    nb.cells[3].metadata["nbgrader"]["grade_id"] = "mine"
    prepared = prepare_notebook(nb, key.notebook("problems"), "ps1", "ada")
    nb = prepared.nb
    assert nb.cells[1].source == key.notebook("problems").cells["setup"].source
    assert "nbgrader" not in nb.cells[3].metadata
    assert prepared.plan.notes == ["cell ids not in the assignment: mine"]


def test_answer_cell_metadata_cannot_be_turned_into_a_grade(
    key: AssignmentKey, template: Path, tmp_path: Path
) -> None:
    nb = answered(template, "problems", CORRECT)
    nb.cells[3].metadata["nbgrader"].update(grade=True, points=100)
    prepared = prepare_notebook(nb, key.notebook("problems"), "ps1", "ada")
    meta = prepared.nb.cells[3].metadata["nbgrader"]
    assert (meta["grade"], meta["solution"], "points" in meta) == (False, True, False)
    assert prepared.plan.notes == ["cell metadata restored: q1-answer"]
