"""The grading pipeline end to end: real kernels in bubblewrap, real nbgrader gradebook."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.course_layout import open_course
from autograder.engine.grade import BatchResult, GradeOptions, grade_assignment
from autograder.engine.results import load_notes
from autograder.engine.sandbox import Sandbox
from tests.autograder.fixtures.course_fixture import CORRECT, HIDDEN, submit, submit_answers
from tests.autograder.fixtures.pytest_fixtures import CLASS

pytestmark = pytest.mark.slow


def _scores(batch: BatchResult) -> dict[str, dict[str, float | None]]:
    return {r.student: {q.id: q.score for q in r.questions} for r in batch.results}


def test_every_student_gets_the_exact_score_per_question(
    graded_class: tuple[Path, BatchResult],
) -> None:
    """Right, wrong, partly right, answered with a widget, unanswered, broken."""
    _, batch = graded_class
    assert _scores(batch) == {student: scores for student, (scores, _) in CLASS.items()}
    assert {r.student: bool(r.reasons) for r in batch.results} == {
        student: review for student, (_, review) in CLASS.items()
    }


def test_a_broken_submission_is_flagged_with_its_reasons(
    graded_class: tuple[Path, BatchResult],
) -> None:
    _, batch = graded_class
    frank = next(r for r in batch.results if r.student == "frank")
    assert frank.reasons == [
        "bonus.ipynb: is not valid JSON (line 1, column 2: Expecting property name enclosed "
        "in double quotes)",
        "problems.ipynb: q2-answer (In [3]) ran longer than the time limit and was stopped",
    ]


def test_a_fresh_clone_gets_a_gradebook_holding_the_same_scores(
    graded_class: tuple[Path, BatchResult],
) -> None:
    """There was no gradebook: grading created it from source/ and recorded every grade,
    flagging (and marking for manual grading) the submission that needs review."""
    course, batch = graded_class
    expected = _scores(batch)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "itil-svc") as gb:
        assert [a.name for a in gb.assignments] == ["ps1"]
        for student, scores in expected.items():
            submission = gb.find_submission("ps1", student)
            grades = {g.name: g.auto_score for nb in submission.notebooks for g in nb.grades}
            assert grades == scores, student
            flagged = {nb.name: nb.flagged for nb in submission.notebooks}
            assert flagged == {"bonus": student == "frank", "problems": student == "frank"}


def test_autograded_notebooks_hold_the_clean_room_results(
    graded_class: tuple[Path, BatchResult],
) -> None:
    """Test cells show the tests' outcome; a failed hidden test shows no hidden line."""
    course, _ = graded_class
    nb = json.loads((course / "autograded" / "bob" / "ps1" / "problems.ipynb").read_text())
    tests = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    assert [c["metadata"]["nbgrader"]["grade_id"] for c in tests] == [
        "q1-test",
        "q2-test",
        "q3-test",
    ]
    q1_error = tests[0]["outputs"][-1]
    assert q1_error["output_type"] == "error"
    assert q1_error["traceback"][-1] == "(raised in a hidden test)"
    outputs = json.dumps([c.get("outputs", []) for c in nb["cells"]])
    assert not [h for h in HIDDEN if h in outputs]


def test_the_review_reasons_head_the_autograded_notebook(
    graded_class: tuple[Path, BatchResult],
) -> None:
    course, _ = graded_class
    nb = json.loads((course / "autograded" / "frank" / "ps1" / "problems.ipynb").read_text())
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown"
    assert "needs review" in "".join(first["source"])
    shown = "".join(first["source"]).replace("\\", "")  # markdown escapes, as rendered
    assert "q2-answer (In [3]) ran longer than the time limit" in shown


def test_the_notes_beside_the_gradebook_keep_everything_but_the_scores(
    graded_class: tuple[Path, BatchResult],
) -> None:
    """The gradebook is the one home of a score: the saved JSON holds the reasons, notes
    and answers of each submission, and no score."""
    course, batch = graded_class
    layout = open_course(course)
    for result in batch.results:
        path = layout.result_file(result.student, "ps1")
        saved = load_notes(path)
        assert saved is not None
        assert (saved.reasons, saved.notes, saved.status) == (
            tuple(result.reasons),
            tuple(result.notes),
            result.status,
        )
        assert saved.answers == {q.id: q.answers for q in result.questions if q.answers}
        text = path.read_text()
        assert '"score"' not in text
        assert '"total"' not in text


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_regrading_is_idempotent_and_never_touches_the_originals(
    course_dir: Path, sandbox: Sandbox
) -> None:
    submit_answers(course_dir, "alice", CORRECT)
    submit(course_dir, "bob", {"problems": "{oops"})
    originals = _digest(course_dir / "submitted")
    layout = open_course(course_dir)
    options = GradeOptions(sandbox=sandbox, workers=2, timeout=5)
    first = grade_assignment(layout, "ps1", options)
    with Gradebook(layout.db_url, "itil-svc") as gb:
        before = sorted(
            (g.student.id, g.name, g.auto_score, g.needs_manual_grade)
            for nb in gb.notebook_submissions("problems", "ps1")
            for g in nb.grades
        )
    second = grade_assignment(layout, "ps1", options)
    with Gradebook(layout.db_url, "itil-svc") as gb:
        after = sorted(
            (g.student.id, g.name, g.auto_score, g.needs_manual_grade)
            for nb in gb.notebook_submissions("problems", "ps1")
            for g in nb.grades
        )
    assert _scores(first) == _scores(second)
    assert [r.reasons for r in first.results] == [r.reasons for r in second.results]
    assert before == after
    assert _digest(course_dir / "submitted") == originals


def test_a_failed_regrade_leaves_no_stale_grade(course_dir: Path, sandbox: Sandbox) -> None:
    """Alice is graded, then her file is damaged and she is graded again: her old
    scores must not survive as if they were current."""
    submit_answers(course_dir, "alice", CORRECT)
    layout = open_course(course_dir)
    options = GradeOptions(sandbox=sandbox, workers=1, timeout=5)
    grade_assignment(layout, "ps1", options)
    (course_dir / "submitted" / "alice" / "ps1" / "problems.ipynb").write_text("{oops")
    again = grade_assignment(layout, "ps1", options)
    alice = again.results[0]
    assert alice.status == "needs-review"
    with Gradebook(layout.db_url, "itil-svc") as gb:
        grades = {
            g.name: (g.auto_score, g.needs_manual_grade)
            for g in gb.find_submission_notebook("problems", "ps1", "alice").grades
        }
    assert grades == {"q1-test": (None, True), "q2-test": (None, True), "q3-test": (None, True)}
    assert not (course_dir / "autograded" / "alice" / "ps1" / "problems.ipynb").exists()
    assert (course_dir / "autograded" / "alice" / "ps1" / "bonus.ipynb").exists()


def test_only_the_named_students_are_graded(course_dir: Path, sandbox: Sandbox) -> None:
    submit_answers(course_dir, "alice", CORRECT)
    submit_answers(course_dir, "bob", CORRECT)
    layout = open_course(course_dir)
    batch = grade_assignment(
        layout, "ps1", GradeOptions(sandbox=sandbox, workers=2, timeout=5, students=["bob"])
    )
    assert [r.student for r in batch.results] == ["bob"]
    assert not (course_dir / "autograded" / "alice").exists()
