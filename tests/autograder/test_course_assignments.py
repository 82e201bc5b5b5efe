"""The kit's own assignments (``source/``), graded by the autograder.

For each assignment: the release with the source's solutions typed in earns
full marks, the untouched release earns zero, and neither needs review. A
practice question answered only through its widget (saved widget state, the
typed answer left as ``...``) earns its points too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode

from autograder.course_layout import open_course
from autograder.engine.grade import GradeOptions, grade_assignment
from autograder.engine.sandbox import Sandbox
from tests.autograder.fixtures.course_fixture import with_widget_answer

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(
    p.name for p in (REPO / "source").glob("*") if p.is_dir() and any(p.glob("*.ipynb"))
)
_DELIMITER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)
SIX = ["Plan", "Improve", "Engage", "Design & Transition", "Obtain/Build", "Deliver & Support"]


def _solved(source: NotebookNode, release: NotebookNode) -> NotebookNode:
    solutions = {
        c.metadata.nbgrader["grade_id"]: _DELIMITER.sub("", c.source)
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    solved = nbformat.from_dict(release)
    for cell in solved.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell.source = solutions[grade_id]
    return solved


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ASSIGNMENTS or not (REPO / "release").is_dir():
        pytest.skip("the kit's source/ and release/ are not there yet")
    course = tmp_path_factory.mktemp("kit") / "course"
    shutil.copytree(REPO / "source", course / "source")
    shutil.copytree(REPO / "release", course / "release")
    return course


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_earn_full_marks_and_the_release_earns_zero(
    kit: Path, sandbox: Sandbox, assignment: str
) -> None:
    for path in sorted((kit / "source" / assignment).glob("*.ipynb")):
        source = nbformat.read(path, as_version=4)
        release = nbformat.read(kit / "release" / assignment / path.name, as_version=4)
        for student, nb in (("solved", _solved(source, release)), ("blank", release)):
            folder = kit / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / path.name)
    batch = grade_assignment(
        open_course(kit), assignment, GradeOptions(sandbox=sandbox, workers=2, timeout=10)
    )
    results = {r.student: r for r in batch.results}
    assert results["solved"].reasons == []
    assert results["blank"].reasons == []
    assert results["solved"].total == results["solved"].max_score
    assert results["blank"].total == 0.0


def test_a_practice_question_answered_only_with_its_widget(kit: Path, sandbox: Sandbox) -> None:
    if "06-practice" not in ASSIGNMENTS:
        pytest.skip("no practice assignment")
    release = nbformat.read(kit / "release" / "06-practice" / "06-practice.ipynb", as_version=4)
    by_widget = with_widget_answer(release, "six-names", SIX)
    folder = kit / "submitted" / "widget-user" / "06-practice"
    folder.mkdir(parents=True)
    nbformat.write(by_widget, folder / "06-practice.ipynb")
    batch = grade_assignment(
        open_course(kit),
        "06-practice",
        GradeOptions(sandbox=sandbox, workers=1, timeout=10, students=["widget-user"]),
    )
    result = batch.results[0]
    pq1 = result.question("pq1")
    assert pq1 is not None
    assert pq1.max_score > 0
    assert pq1.score == pq1.max_score
    assert result.total == pq1.max_score  # every other question was left unanswered
