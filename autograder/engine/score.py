"""Join the two runs into nbgrader's autograded notebook, and grade it.

The student's cells keep the outputs of the student's kernel; every test cell
gets the source from the answer key and the outputs of the clean room. The
score of each test is what nbgrader's ``determine_grade`` reads from those
outputs (an error: 0; a number as the last value: partial credit; otherwise
full marks). Errors are shown without the hidden test's text, and any hidden
text that a printed value carries is masked, so the notebook can become
feedback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nbformat import NotebookNode
from nbgrader import utils

from autograder import notebook_io as nbio
from autograder.engine.answer_key import NotebookKey, ProgramCell
from autograder.engine.results import QuestionResult, SubmissionResult
from autograder.engine.student_run import RunOutcome
from autograder.publish.secrets import HIDDEN, secret_lines
from autograder.testroom.job import Job
from course.graded import JSON

__all__ = ["assemble", "build_job", "cell_label", "hidden_fragments", "mask"]

_MASK = "(hidden)"


def build_job(
    key: NotebookKey,
    outcome: RunOutcome,
    widget_answers: Mapping[str, JSON],
    timeout: int,
    max_stdout: int,
) -> Job:
    """The test room's job: the instructor's cells and the student's plain values."""
    return Job(
        cells=tuple((c.cell_id, c.source) for c in key.program),
        values={pid: dict(snap.values) for pid, snap in outcome.snapshots.items()},
        widget_answers=widget_answers,
        timeout=timeout,
        max_stdout=max_stdout,
    )


def hidden_fragments(key: NotebookKey) -> list[str]:
    """The secret lines of the notebook's hidden tests (:mod:`autograder.publish.secrets`)."""
    return list(secret_lines(((c.cell_id, c.source) for c in key.tests), HIDDEN))


def mask(text: str, fragments: list[str]) -> str:
    for fragment in fragments:
        if fragment in text:
            text = text.replace(fragment, _MASK)
    return text


def _outputs(cell: ProgramCell, outcome: dict[str, Any], fragments: list[str]) -> list[Any]:
    outputs: list[Any] = []
    if outcome.get("stdout"):
        text = mask(str(outcome["stdout"]), fragments)
        outputs.append(nbio.node(output_type="stream", name="stdout", text=text))
    error = outcome.get("error")
    if error:
        line = error.get("line")
        lines = cell.source.splitlines()
        if isinstance(line, int) and line in cell.hidden_lines:
            where = "in a hidden test"
        elif isinstance(line, int) and 0 < line <= len(lines):
            where = f"at line {line}: {lines[line - 1].strip()}"
        else:
            where = ""
        evalue = mask(str(error.get("evalue", "")), fragments)
        ename = str(error.get("ename", "Error"))
        traceback = [f"\x1b[0;31m{ename}\x1b[0m: {evalue}" if evalue else ename]
        if where:
            traceback.append(f"(raised {where})")
        outputs.append(
            nbio.node(output_type="error", ename=ename, evalue=evalue, traceback=traceback)
        )
    elif outcome.get("value"):
        data = {k: mask(str(v), fragments) for k, v in outcome["value"].items()}
        outputs.append(
            nbio.node(output_type="execute_result", data=data, metadata={}, execution_count=None)
        )
    return outputs


def _test_cell(nb: NotebookNode, key: NotebookKey, test: ProgramCell) -> NotebookNode:
    info = key.cells[test.cell_id]
    meta = {
        "grade": True,
        "grade_id": test.cell_id,
        "locked": True,
        "points": test.points,
        "schema_version": 3,
        "solution": False,
        "task": False,
        "checksum": info.checksum,
    }
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == test.cell_id:
            cell.cell_type = "code"
            cell.source = info.source
            cell.metadata["nbgrader"] = meta
            found: NotebookNode = cell
            return found
    cell = nbio.code_cell(info.source, metadata={"nbgrader": meta, "editable": False})
    nb.cells.append(cell)
    return cell


def cell_label(nb: NotebookNode, number: int) -> str:
    """Cell ``number`` (1-based, of the notebook as run) as the formgrader shows it: its
    grade id and prompt (``pq3-answer (In [7])``), or, for a cell without a grade id, its
    prompt and the graded cell before it (``the cell In [2] after setup``)."""
    if not 0 < number <= len(nb.cells):
        return f"cell {number}"

    def prompt(cell: NotebookNode) -> str:
        count = cell.get("execution_count")
        return f"In [{count}]" if isinstance(count, int) else "In [ ]"

    def grade_id(cell: NotebookNode) -> str:
        return str(cell.metadata.get("nbgrader", {}).get("grade_id") or "")

    cell = nb.cells[number - 1]
    if grade_id(cell):
        return f"{grade_id(cell)} ({prompt(cell)})"
    before = next((grade_id(c) for c in reversed(nb.cells[: number - 1]) if grade_id(c)), "")
    return f"the cell {prompt(cell)} after {before}" if before else f"the cell {prompt(cell)}"


def _number_prompt(nb: NotebookNode, number: int) -> None:
    """Give cell ``number``, which started running, the prompt it ran with when the
    kernel died before saying it (whether it said so is a race): one after the last."""
    if not 0 < number <= len(nb.cells) or nb.cells[number - 1].cell_type != "code":
        return
    if isinstance(nb.cells[number - 1].get("execution_count"), int):
        return
    counts = [c.get("execution_count") for c in nb.cells[: number - 1]]
    nb.cells[number - 1].execution_count = (
        max((n for n in counts if isinstance(n, int)), default=0) + 1
    )


def _student_problems(
    nb: NotebookNode,
    key: NotebookKey,
    outcome: RunOutcome,
    result: SubmissionResult,
    label: str,
) -> set[str]:
    """Record what went wrong in the student's run; the questions it concerns (the
    test cells whose answers could not be read)."""
    concerned: set[str] = set()
    started = [*outcome.timeouts, outcome.stuck_at, outcome.died_at]
    for number in (n for n in started if n is not None):
        _number_prompt(nb, number)
    for cell in key.program:
        snap = outcome.snapshots.get(cell.cell_id)
        if cell.cell_id in outcome.unreadable or (snap is not None and snap.problems):
            concerned.add(cell.cell_id)
        if cell.cell_id in outcome.unreadable:
            why = outcome.unreadable[cell.cell_id]
            result.review(f"{label}: the answers read by {cell.cell_id} could not be read ({why})")
        if snap is None:
            continue
        for name, problem in sorted(snap.problems.items()):
            if problem.startswith("unplain:"):
                kind = problem.split(":", 1)[1]
                result.review(
                    f"{label}: answer '{name}' (read by {cell.cell_id}) is a {kind} object, "
                    "not a plain value"
                )
            elif problem.startswith("error:"):
                why = problem.split(":", 1)[1]
                result.review(
                    f"{label}: answer '{name}' (read by {cell.cell_id}) could not be read ({why})"
                )
    for number in outcome.timeouts:
        if number != outcome.stuck_at:
            where = cell_label(nb, number)
            result.review(f"{label}: {where} ran longer than the time limit and was stopped")
    if outcome.stuck_at is not None:
        result.review(
            f"{label}: the kernel stopped responding during {cell_label(nb, outcome.stuck_at)} "
            "and was shut down"
        )
    if outcome.overtime is not None:
        _, seconds = outcome.overtime
        result.review(
            f"{label}: the notebook ran longer than its time limit ({seconds} s in all) "
            "and was stopped"
        )
    if outcome.died_at is not None:
        result.review(f"{label}: the kernel died while running {cell_label(nb, outcome.died_at)}")
    if outcome.flooded:
        cells = ", ".join(cell_label(nb, n) for n in outcome.flooded)
        result.note(f"{label}: output of {cells} truncated")
    return concerned


def _whole_run_failed(outcome: RunOutcome) -> bool:
    """The student's run stopped or lost time: every answer it held may be short."""
    return bool(
        outcome.timeouts
        or outcome.stuck_at is not None
        or outcome.overtime is not None
        or outcome.died_at is not None
    )


def assemble(
    nb: NotebookNode,
    key: NotebookKey,
    outcome: RunOutcome,
    room: dict[str, Any],
    result: SubmissionResult,
) -> NotebookNode:
    """Fill ``nb``'s test cells from the clean room, grade them into ``result``."""
    label = f"{key.name}.ipynb"
    fragments = hidden_fragments(key)
    concerned = _student_problems(nb, key, outcome, result, label)
    first = len(result.questions)
    crash = room.get("crash")
    outcomes = {o.get("id"): o for o in room.get("cells", [])} if not crash else {}
    failed_setup: dict[str, str] = {}
    for cell in key.program:
        got = outcomes.get(cell.cell_id, {})
        if cell.kind == "setup":
            if got.get("error"):
                error = got["error"]
                failed_setup[cell.cell_id] = f"{error.get('ename')}: {error.get('evalue')}"[:200]
            continue
        target = _test_cell(nb, key, cell)
        target.outputs = _outputs(cell, got, fragments) if got else []
        snap = outcome.snapshots.get(cell.cell_id)
        answers = {n: v for n, v in (snap.values.items() if snap else ()) if n in cell.reads}
        question = QuestionResult(cell.cell_id, key.name, cell.points, None, answers)
        result.questions.append(question)
        question.needs_review = cell.cell_id in concerned
        if crash or not got:
            result.review(f"{label}: {cell.cell_id} could not be graded ({crash or 'no result'})")
            question.needs_review = True
            continue
        try:
            score, _ = utils.determine_grade(target)
        except (ValueError, KeyError, TypeError) as exc:
            result.review(f"{label}: {cell.cell_id} gave an unreadable score ({exc})")
            question.needs_review = True
            continue
        question.score = None if score is None else float(score)
        if got.get("error"):
            for setup_id, why in failed_setup.items():
                setup = next(c for c in key.program if c.cell_id == setup_id)
                if setup.binds & cell.uses:
                    result.review(f"{label}: the grader's cell {setup_id} failed ({why})")
                    question.needs_review = True
    _manual(nb, key, result, label)
    if _whole_run_failed(outcome):  # a person decides what the lost answers were worth
        for question in result.questions[first:]:
            if question.score is None or question.score < question.max_score:
                question.needs_review = True
    return nb


def _manual(nb: NotebookNode, key: NotebookKey, result: SubmissionResult, label: str) -> None:
    """Graded answer cells (written answers) keep nbgrader's rule: unchanged means 0,
    anything else needs a person."""
    tests = {c.cell_id for c in key.tests}
    for grade_id, info in key.cells.items():
        if info.max_score is None or grade_id in tests:
            continue
        cell = next(
            (c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id),
            None,
        )
        question = QuestionResult(grade_id, key.name, info.max_score, None, {}, kind="manual")
        result.questions.append(question)
        if cell is None:
            question.score = 0.0
            continue
        try:
            score, _ = utils.determine_grade(cell)
        except (ValueError, KeyError, TypeError):
            score = None
        if score is None:
            result.review(f"{label}: {grade_id} needs grading by hand")
            question.needs_review = True
        else:
            question.score = float(score)
