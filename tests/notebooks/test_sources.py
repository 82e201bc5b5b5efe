"""The source notebooks: one nbgrader assignment per objective, prose and calls, sound keys."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

import course
from course import graded
from course.quizbank import check_answer, load_bank

from .nbgrading import RELEASE, SOURCE, answer_cells, assignments, graded_ids, notebook_path

LESSONS = [a for a in assignments() if a[:2] in {"01", "02", "03", "04", "05"}]
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
ALLOWED_STATEMENTS = (ast.Import, ast.ImportFrom, ast.Expr, ast.Assign)
FORBIDDEN_NODES = (ast.Lambda, ast.comprehension, ast.FunctionDef, ast.ClassDef, ast.If, ast.For)


def _source(assignment: str) -> Any:
    return nbformat.read(notebook_path(SOURCE, assignment), 4)


def _nbgrader(cell: Any) -> dict[str, Any]:
    return dict(cell.metadata.get("nbgrader", {}))


def _test_cells(nb: Any) -> list[Any]:
    return [c for c in nb.cells if _nbgrader(c).get("grade")]


def test_one_assignment_per_objective_in_order_then_practice() -> None:
    objectives = [o.id for o in course.load_course().objectives]
    lessons = [f"{number:02d}-{name}" for number, name in enumerate(objectives, start=1)]
    assert assignments() == ["00-start-here", *lessons, "06-practice"]


@pytest.mark.parametrize("assignment", assignments())
def test_source_notebooks_are_valid_and_committed_clean(assignment: str) -> None:
    nb = _source(assignment)
    nbformat.validate(nb)
    for cell in nb.cells:
        assert not cell.get("outputs"), cell.id
        assert cell.get("execution_count") is None, cell.id
    assert "widgets" not in nb.metadata
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("assignment", assignments())
def test_notebooks_hold_prose_and_calls_not_logic(assignment: str) -> None:
    """Code cells are imports, calls and answer values: no functions, loops or branches."""
    for cell in _source(assignment).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for statement in tree.body:
            assert isinstance(statement, ALLOWED_STATEMENTS), (cell.id, ast.unparse(statement))
        forbidden = [n for n in ast.walk(tree) if isinstance(n, FORBIDDEN_NODES)]
        assert forbidden == [], cell.id


@pytest.mark.parametrize("assignment", LESSONS)
def test_each_lesson_states_its_objective_and_embeds_its_quiz(assignment: str) -> None:
    objective = course.load_course().objectives[int(assignment[:2]) - 1]
    nb = _source(assignment)
    assert "**Objective.**" in nb.cells[0].source
    calls = [c.source for c in nb.cells if c.cell_type == "code"]
    assert f'course.quiz("{objective.id}")' in calls
    assert any(call.startswith(("diagram.", "course.builder(")) for call in calls), "no picture"


@pytest.mark.parametrize("assignment", LESSONS)
def test_each_lesson_ends_with_two_to_four_graded_questions(assignment: str) -> None:
    nb = _source(assignment)
    questions = graded_ids(nb)
    assert 2 <= len(questions) <= 4
    first_graded = min(
        i for i, c in enumerate(nb.cells) if _nbgrader(c).get("grade_id", "").endswith("-question")
    )
    quiz = max(i for i, c in enumerate(nb.cells) if "course.quiz(" in c.source)
    assert quiz < first_graded, "the graded questions come after the lesson"


def test_the_practice_assignment_asks_the_five_practice_questions_and_gives_the_takeaways() -> None:
    nb = _source("06-practice")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for question in course.load_course().practice_questions:
        assert question.text.replace('"', "") in text.replace('"', ""), question.id
        assert question.id in graded_ids(nb)
    assert "diagram.takeaways()" in [c.source for c in nb.cells]


@pytest.mark.parametrize("assignment", [a for a in assignments() if a != "00-start-here"])
def test_every_graded_question_is_question_answer_and_locked_test(assignment: str) -> None:
    nb = _source(assignment)
    answers = answer_cells(nb)
    for test in _test_cells(nb):
        meta = _nbgrader(test)
        question = meta["grade_id"]
        assert meta["locked"], question
        assert meta["points"] > 0, question
        answer = answers[question]
        placeholder = answer.source.splitlines()[0]
        assert re.fullmatch(r"\w+ = (\.\.\.  # .+|\{.*)", placeholder), placeholder
        assert len(SOLUTION.findall(answer.source)) == 1, question
        visible, _ = test.source.split("### BEGIN HIDDEN TESTS")
        assert visible.strip().startswith("graded.check_"), question
        (scorer,) = HIDDEN.findall(test.source)
        call = ast.parse(scorer).body[-1]
        assert isinstance(call, ast.Expr), question
        assert ast.unparse(call.value.func).startswith("graded.score_"), question  # type: ignore[attr-defined]
        keywords = {k.arg: ast.literal_eval(k.value) for k in call.value.keywords}  # type: ignore[attr-defined]
        assert keywords["points"] == meta["points"], question


def _bank_bound_scorers() -> list[tuple[str, str, dict[str, Any], list[Any]]]:
    found = []
    for assignment in assignments():
        for test in _test_cells(_source(assignment)):
            for scorer in HIDDEN.findall(test.source):
                call = ast.parse(scorer).body[-1].value  # type: ignore[attr-defined]
                keywords = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
                args = [graded.evaluate_key(a) for a in call.args[1:]]
                if keywords.get("question") in load_bank().ids():
                    found.append((ast.unparse(call.func), keywords["question"], keywords, args))
    return found


def test_graded_questions_answered_with_a_quiz_widget_agree_with_its_bank_question() -> None:
    """The widget records option texts; the hidden key (letters or names) must pick the
    options the bank itself marks right, so both ways of answering grade alike."""
    bound = _bank_bound_scorers()
    assert {question for _, question, _, _ in bound} == {"six-names", "six-engage-purpose"}
    for function, question_id, _keywords, args in bound:
        question = load_bank().question(question_id)
        if function == "graded.score_choice":
            (letters,) = args
            response: Any = [question.options[ord(letter) - ord("A")].text for letter in letters]
            response = response[0] if question.kind == "single" else response
        else:
            (ids,) = args
            response = [course.activity(i).name for i in ids]
        assert check_answer(question, response).correct, question_id


def test_the_start_page_links_every_lesson_under_its_objective_title() -> None:
    nb = _source("00-start-here")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    links = re.findall(r"\[([^\]]+)\]\(\.\./([^)]+)\)", text)
    targets = {target for _, target in links}
    for assignment in assignments()[1:]:
        assert f"{assignment}/{assignment}.ipynb" in targets, assignment
    for _, target in links:
        assert (RELEASE / target).is_file(), target
    titles = [title for title, target in links if target[:2] in {"01", "02", "03", "04", "05"}]
    assert titles[:5] == [o.title for o in course.load_course().objectives]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", assignments())
def test_nbgrader_validate_passes_on_the_source_notebooks(
    assignment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """nbgrader's own validator runs each source notebook: every graded cell passes."""
    from nbgrader.validator import Validator

    from autograder.nbgrader_settings import course_config

    monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path))
    monkeypatch.delenv("ITIL_WIDGET_ANSWERS", raising=False)
    result = Validator(config=course_config()).validate(str(notebook_path(SOURCE, assignment)))
    assert result == {}
