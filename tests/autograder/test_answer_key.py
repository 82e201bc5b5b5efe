"""An assignment is brought into the gradebook from source/, and its key derived."""

from __future__ import annotations

from pathlib import Path

from autograder.course_layout import open_course
from autograder.engine.answer_key import hidden_test_text, prepare_assignment
from tests.autograder.fixtures.course_fixture import HIDDEN, POINTS


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_fresh_clone_gets_its_gradebook_and_release_stays_untouched(course_dir: Path) -> None:
    release = _tree(course_dir / "release")
    key = prepare_assignment(open_course(course_dir), "ps1")
    assert (course_dir / "gradebook.db").exists()
    assert _tree(course_dir / "release") == release
    assert [nb.name for nb in key.notebooks] == ["bonus", "problems"]
    assert key.max_score == 9.0


def test_the_program_holds_the_tests_and_the_cells_they_need(course_dir: Path) -> None:
    key = prepare_assignment(open_course(course_dir), "ps1")
    problems = key.notebook("problems")
    assert [(c.cell_id, c.kind) for c in problems.program] == [
        ("setup", "setup"),
        ("q1-test", "test"),
        ("q2-test", "test"),
        ("q3-test", "test"),
    ]
    assert {c.cell_id: c.points for c in problems.tests} == {
        k: v for k, v in POINTS.items() if k != "q4-test"
    }
    assert problems.student_names == {"activities", "answer", "stream"}
    assert [c.reads for c in problems.tests] == [("activities",), ("answer",), ("stream",)]


def test_hidden_test_lines_are_known(course_dir: Path) -> None:
    key = prepare_assignment(open_course(course_dir), "ps1")
    q1 = key.notebook("problems").tests[0]
    assert HIDDEN[0] in q1.hidden_text
    assert sorted(hidden_test_text(open_course(course_dir), "ps1")) == sorted(
        h
        for h in (
            *HIDDEN,
            "given = plain(stream)",
            "float(sum(1 for a, b in zip(given, expected) if a == b))",
        )
    )
