"""The self-paced edition: a verdict on every graded question, from sealed keys only.

The edition is regenerated from a clone of the kit with the guide's command
(``make self-paced-copy DEST=../itil-svc-self-paced``) once for the module. Every
graded question in it is answered right (the source notebook's own solution) and wrong
through the check the edition's cells call (:func:`course.graded.self_check`), and
its points are compared with the instructor's scorer on the plain key of ``source/``.
"""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograder.nbgrader_settings import REPO_ROOT
from autograder.publish.self_paced import (
    MARKER,
    NOTICE,
    SelfPacedError,
    graded_questions,
    main,
    unsealed,
    write_edition,
)
from autograder.publish.student_copy import leaks, secret_lines
from course import graded
from course.graded import NOT_ANSWERED, Problem, SealError, Verdict, seal_spec, self_check
from course.loader import load_course
from course.mastery import summarise
from course.quizbank.keys import is_seal
from course.records import load_records
from tests.instructor.kit import Machine, command, kit_clone, make

SOURCE = REPO_ROOT / "source"
_SOLUTION = "### BEGIN SOLUTION"


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition, made with the guide's own command from a clone of the kit."""
    clone = kit_clone(tmp_path_factory.mktemp("self-paced") / "kit")
    machine = Machine(clone.parent / "machine")
    done = machine.run(make(command("make self-paced-copy DEST=../itil-svc-self-paced")), clone)
    graded_cells = sum(1 for nb in SOURCE.rglob("*.ipynb") for _ in graded_questions(nb, nb.name))
    assert f"{graded_cells} graded questions answer at once" in done.stdout
    return clone.parent / "itil-svc-self-paced"


def _cells(notebook: Path) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return cells


def _text(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else str(source)


def _specs(edition: Path) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    """(notebook, answer variable, spec, cell text) of every self-paced check cell."""
    for notebook in sorted((edition / "release").rglob("*.ipynb")):
        for cell in _cells(notebook):
            text = _text(cell)
            if "graded.self_check(" in text:
                call = ast.parse(text).body[0]
                assert isinstance(call, ast.Expr)
                assert isinstance(call.value, ast.Call)
                answer = call.value.args[0]
                assert isinstance(answer, ast.Name)
                yield notebook.name, answer.id, ast.literal_eval(call.value.args[1]), text


def _solutions() -> dict[str, dict[str, object]]:
    """notebook name -> the value each answer variable has in the source's solution."""
    out: dict[str, dict[str, object]] = {}
    for notebook in sorted(SOURCE.rglob("*.ipynb")):
        values: dict[str, object] = {}
        for cell in _cells(notebook):
            text = _text(cell)
            if _SOLUTION in text:
                exec(text.split(_SOLUTION, 1)[1].split("### END SOLUTION")[0], {}, values)
        out[notebook.name] = values
    return out


def _wrong(scorer: str, key: Any, kwargs: dict[str, Any], check: dict[str, Any], right: Any) -> Any:
    """An answer that is wrong in every part, built from the plain key."""
    acts = [a.id for a in load_course().activities]
    if scorer == "mapping":
        pool = list(check.get("choices") or acts)
        if kwargs.get("kind") == "text":
            pool = [str(c).lower() for c in pool]

        def other(value: Any) -> Any:
            wanted = [value] if isinstance(value, str) else list(value)
            return next(c for c in pool if c.lower() not in [str(w).lower() for w in wanted])

        return {k: other(v) for k, v in key.items()}
    if scorer == "choice":
        letters = kwargs.get("options") or check.get("options") or "ABCD"
        rest = [c for c in letters if c not in key]
        return rest if kwargs.get("multiple") else rest[0]
    if scorer == "truth":
        return (not key) if isinstance(key, bool) else {p: not v for p, v in key.items()}
    if scorer == "names":
        course = load_course()
        pool = (
            acts
            if kwargs.get("kind", "activity") == "activity"
            else [p.id for p in course.practices]
        )
        size = kwargs.get("count") or len(key)
        rest = [a for a in pool if a not in key]
        return (rest + [f"Buy stuff {n}" for n in range(size)])[:size]
    return list(reversed(right))


def _plain_score(scorer: str, answer: object, key: Any, kwargs: dict[str, Any]) -> float:
    function = getattr(graded, f"score_{scorer}")
    result = function(answer, **kwargs) if scorer == "stream" else function(answer, key, **kwargs)
    return float(result.points)


def test_edition_holds_no_plain_key_and_no_instructor_file(edition: Path) -> None:
    """The kit's leak check finds no solution or hidden-test line and no instructor-only
    file; every self-paced cell's key is digests only; and every string in a check cell
    is a digest or something the student release shows anyway."""
    assert leaks(edition, secret_lines(SOURCE)) == []
    assert unsealed(edition) == []
    release = REPO_ROOT / "release"
    fields = {"id", "title", "objective", "scorer", "points", "check", "sealed", "question"}
    fields |= {"kind", "options", "multiple", "count", "candidates", "parts"}
    fields |= {"start", "end", "require", "before", "keys", "choices", "statement"}
    specs = list(_specs(edition))
    assert len(specs) >= 20
    for name, _, spec, text in specs:
        public = (next(release.rglob(name))).read_text(encoding="utf-8")
        strings = [n.value for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Constant)]
        for value in (s for s in strings if isinstance(s, str)):
            known = {spec["id"], spec["title"], spec["objective"], spec["scorer"]}
            assert is_seal(value) or value in fields or value in known or value in public, (
                f"{name}, {spec['id']}: {value!r} is neither sealed nor public"
            )


def test_every_graded_question_gives_the_graders_verdict_right_and_wrong(edition: Path) -> None:
    """Answered with the source's solution, each question is right with full points;
    answered wrong in every part, it is not right (a wrongly matched activity explained by
    its purpose); both times the sealed check awards
    exactly the points the instructor's scorer awards on the plain key."""
    solutions = _solutions()
    plain = {
        q.grade_id: q
        for notebook in sorted(SOURCE.rglob("*.ipynb"))
        for q in graded_questions(notebook, notebook.name)
    }
    specs = list(_specs(edition))
    assert {s["id"] for _, _, s, _ in specs} == set(plain)
    for name, variable, spec, _ in specs:
        question = plain[spec["id"]]
        right = solutions[name][variable]
        verdict = self_check(right, spec, record=False)
        assert isinstance(verdict, Verdict), f"{spec['id']}: {verdict}"
        assert verdict.right, f"{spec['id']}: {verdict}"
        assert verdict.headline == "Right"
        assert verdict.result.points == spec["points"]
        wrong = _wrong(question.scorer, question.key, question.kwargs, question.check, right)
        verdict = self_check(wrong, spec, record=False)
        assert isinstance(verdict, Verdict), f"{spec['id']} with {wrong!r}: {verdict}"
        assert not verdict.right, f"{spec['id']}: {wrong!r} was judged right"
        assert "Read again: lesson" in str(verdict)
        if question.scorer == "mapping" and question.kwargs.get("kind", "activity") == "activity":
            assert " is there to " in str(verdict), "a wrong activity is explained by its purpose"
        for answer in (right, wrong):
            assert verdict is not None
            sealed_points = self_check(answer, spec, record=False)
            assert isinstance(sealed_points, Verdict)
            assert sealed_points.result.points == _plain_score(
                question.scorer, answer, question.key, question.kwargs
            ), f"{spec['id']} with {answer!r}"


def test_unfinished_answers_get_the_form_message_and_are_not_recorded(edition: Path) -> None:
    """``...`` or a malformed answer is not judged: the learner sees what to fix, and
    nothing reaches the progress records."""
    before = len(load_records())
    specs = {s["id"]: s for _, _, s, _ in _specs(edition)}
    for spec, answer in ((specs["q2-1"], NOT_ANSWERED), (specs["q2-3"], ["Z"])):
        problem = self_check(answer, spec)
        assert isinstance(problem, Problem)
        assert "Not answered" in problem.message or "'Z'" in problem.message
    assert len(load_records()) == before


def test_verdicts_are_recorded_and_counted_on_the_progress_page(edition: Path) -> None:
    """A judged answer is a 'graded' record with the question's title, and the progress
    summary counts it under the question's learning objective."""
    spec = next(s for _, _, s, _ in _specs(edition) if s["id"] == "q2-3")
    verdict = self_check(["A"], spec)
    assert isinstance(verdict, Verdict)
    assert 0 < verdict.result.points < spec["points"]
    record = load_records()[-1]
    assert (record.kind, record.item, record.objective) == ("graded", "q2-3", "six-activities")
    assert record.detail["title"] == "Question 2.3"
    objective = next(o for o in summarise(load_records()).objectives if o.id == "six-activities")
    assert [(i.item, i.title) for i in objective.graded] == [("q2-3", "Question 2.3")]
    assert "Partly right" in verdict._repr_html_()


def test_edition_tells_the_learner_what_it_is(edition: Path) -> None:
    """Its README says it is the self-paced edition; lessons with graded questions carry
    the notice; the start page no longer says the check cell cannot tell right from wrong."""
    readme = (edition / "README.md").read_text(encoding="utf-8")
    assert "self-paced edition" in readme
    assert "Binder" in readme
    assert "Trade mark" in readme
    assert "whether its form is right" not in readme
    assert "tells you at once whether it is right, and why" in readme
    assert (edition / MARKER).is_file()
    assert not (edition / ".student-copy").exists()
    start = (edition / "release/00-start-here/00-start-here.ipynb").read_text(encoding="utf-8")
    assert "does not tell you whether" not in start
    for name in ("02-six-activities", "06-practice"):
        cells = _cells(edition / "release" / name / f"{name}.ipynb")
        assert _text(cells[1]) == NOTICE


def test_seal_spec_refuses_what_it_cannot_seal() -> None:
    """An unknown scorer, or a key outside what the checker tries, is an authoring error
    that says how to fix it; a spec holding a plain value is refused at check time."""
    with pytest.raises(SealError, match="score_essay has no self-paced form"):
        seal_spec("essay", "x", {"points": 1}, {}, question_id="q", title="Q", objective="x")
    with pytest.raises(SealError, match="list it in the check's choices"):
        seal_spec(
            "mapping",
            {"a": "flexible"},
            {"points": 1, "kind": "text"},
            {"choices": ["Universal"]},
            question_id="q",
            title="Q",
            objective="what-is-svc",
        )
    spec = seal_spec(
        "truth", True, {"points": 1}, {}, question_id="q", title="Q", objective="what-is-svc"
    )
    spec["sealed"]["statement"] = "true"
    with pytest.raises(SealError, match="plain value"):
        self_check(True, spec, record=False)


def test_command_writes_and_refuses_a_foreign_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``main`` writes an edition and reports the count; over a non-empty folder that is
    not an edition it refuses and names the folder; the kit's release is untouched."""
    before = {p: p.read_bytes() for p in (REPO_ROOT / "release").rglob("*.ipynb")}
    assert main([str(tmp_path / "ed")]) == 0
    assert "graded questions answer at once" in capsys.readouterr().out
    assert main([str(tmp_path / "ed")]) == 0  # an update over the same edition
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    assert main([str(tmp_path / "other")]) == 2
    assert "is not a self-paced edition" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (REPO_ROOT / "release").rglob("*.ipynb")} == before
    with pytest.raises(SelfPacedError, match="inside the kit"):
        write_edition(REPO_ROOT / "release" / "x")
    assert os.path.isdir(tmp_path / "ed" / "release")
