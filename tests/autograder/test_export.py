"""``export``: the grades CSV, exactly."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.cli import main
from autograder.course_layout import open_course
from autograder.engine.grade import BatchResult
from autograder.engine.sandbox import Sandbox
from autograder.outputs.export import export_csv

pytestmark = pytest.mark.slow

FRANK_WHY = (
    "bonus.ipynb: is not valid JSON (line 1, column 2: Expecting property name enclosed in "
    "double quotes); problems.ipynb: q2-answer (In [3]) ran longer than the time limit and "
    "was stopped"
)
EXPECTED = (
    "student,first_name,last_name,email,q4-test,q1-test,q2-test,q3-test,total,max_score,status,"
    "reason\n"
    "alice,,,,2,2,1,4,9,9,ok,\n"
    "bob,,,,0,0,0,0,0,9,ok,\n"
    "carol,,,,1,2,1,2,6,9,ok,\n"
    "dave,,,,2,2,1,4,9,9,ok,\n"
    "erin,,,,0,2,0,4,6,9,ok,\n"
    f'frank,,,,,2,0,4,6,9,needs-review,"{FRANK_WHY}"\n'
)


def test_the_csv_has_a_row_per_student_and_a_column_per_question(
    graded_class: tuple[Path, BatchResult],
) -> None:
    course, _ = graded_class
    assert export_csv(open_course(course), "ps1") == EXPECTED


def test_export_writes_to_standard_output_or_a_file(
    graded_class: tuple[Path, BatchResult], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course, _ = graded_class
    assert main(["--course-dir", str(course), "export", "ps1"]) == 0
    assert capsys.readouterr().out == EXPECTED
    target = tmp_path / "out" / "grades.csv"
    assert main(["export", "ps1", "--course-dir", str(course), "--output", str(target)]) == 0
    assert target.read_text() == EXPECTED


def test_a_grade_set_by_hand_is_exported_and_closes_the_review(
    graded_class: tuple[Path, BatchResult], tmp_path: Path
) -> None:
    """As the formgrader does: a manual score clears 'needs manual grade'."""
    course = tmp_path / "course"
    shutil.copytree(graded_class[0], course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "itil-svc") as gb:
        for nb in gb.find_submission("ps1", "frank").notebooks:
            for grade in nb.grades:
                grade.manual_score = 1.0 if grade.name == "q4-test" else grade.auto_score
                grade.needs_manual_grade = False
        gb.db.commit()
    rows = list(csv.DictReader(io.StringIO(export_csv(open_course(course), "ps1"))))
    frank = next(r for r in rows if r["student"] == "frank")
    assert (frank["q4-test"], frank["total"], frank["status"]) == ("1", "7", "ok")
    assert frank["reason"] == f"reviewed by hand (was: {FRANK_WHY})"


def test_export_before_grading_says_what_to_do(
    course_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--course-dir", str(course_dir), "export", "ps1"]) == 2
    err = capsys.readouterr().err
    assert "no gradebook yet: run 'grade ps1' first" in err
    assert "Traceback" not in err


def test_a_late_submission_gets_the_course_penalty(course_dir: Path, sandbox: Sandbox) -> None:
    """The course's late-penalty plugin (nbgrader's AssignLatePenalties) is applied when
    the grade is recorded, and the export's total is net of it."""
    from nbgrader.preprocessors import AssignLatePenalties

    from autograder.engine.grade import GradeOptions, grade_assignment
    from tests.autograder.fixtures.course_fixture import CORRECT, answered, submit

    layout = open_course(course_dir)
    with Gradebook(layout.db_url, "itil-svc") as gb:
        gb.update_or_create_assignment("ps1", duedate="2025-01-14 04:00:00 UTC")
    notebooks = {n: answered(course_dir, n, CORRECT) for n in ("problems", "bonus")}
    submit(course_dir, "late", notebooks, timestamp="2025-01-15 10:00:00 UTC")  # 30 h late
    grade_assignment(layout, "ps1", GradeOptions(sandbox=sandbox, workers=2, timeout=5))
    late = AssignLatePenalties(config=layout.config)
    late.init_plugin()
    expected = {
        name: late.plugin_inst.late_submission_penalty("late", points, 30 * 3600)
        for name, points in (("problems", 7.0), ("bonus", 2.0))
    }
    with Gradebook(layout.db_url, "itil-svc") as gb:
        found = {
            nb.name: nb.late_submission_penalty
            for nb in gb.find_submission("ps1", "late").notebooks
        }
    assert found == {k: (v or None) for k, v in expected.items()}
    penalty = sum(v or 0.0 for v in expected.values())
    assert penalty > 0
    row = next(csv.DictReader(io.StringIO(export_csv(layout, "ps1"))))
    assert float(row["total"]) == round(9.0 - penalty, 6)
    assert row["reason"] == f"late penalty {penalty:g}"
