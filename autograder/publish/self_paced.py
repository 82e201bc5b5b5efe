"""Write the self-paced edition: the student copy, with a verdict on every graded question.

``make self-paced-copy DEST=../itil-svc-self-paced`` runs
``python -m autograder.publish.self_paced DEST``. It writes the student copy
(:mod:`autograder.publish.student_copy`: ``release/``, ``course/``, ``binder/``, a
student's top-level files) and then, in every notebook, replaces each graded
test cell by a call to :func:`course.graded.self_check` with the question's key
*sealed* (:func:`course.graded.seal_spec`). The key is read from the hidden test
of the same cell in ``source/`` at generation time (a key the hidden test derives
from the content, ``graded.practice_links([...])`` say, is computed then), so the
one answer key stays where it is: nothing is written twice, and no plain key
reaches ``DEST``.

Before anything reaches ``DEST`` the edition is checked as the student copy is
(no instructor-only file, no line of a solution or hidden test), and every
self-paced check cell is checked to hold sealed digests only.

The instructor's ``release/`` and its grading are not touched.
"""

from __future__ import annotations

import ast
import json
import pprint
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.errors import AutograderError
from course.graded import ContentKeyError, SealError, evaluate_key, seal_spec
from course.loader import load_course

from ..nbgrader_settings import REPO_ROOT
from .student_copy import StudentCopyError, leaks, secret_lines, write
from .student_files import _section

__all__ = ["MARKER", "SelfPacedCopy", "SelfPacedError", "main", "self_paced_cells", "write_edition"]

MARKER = ".self-paced-copy"
_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS\n?", re.S)
_CLASSROOM_LINE = re.compile(
    r"It does not tell you whether the answer is right: hidden tests do that when your\s+"
    r"work is marked\."
)
_FORM_ONLY = re.compile(
    r"the check cell under each answer tells you\s+whether its form is right"
    r"(\s+\(\*\*Validate\*\*[^)]*\))?"
)
_SELF_PACED_LINE = (
    "In this self-paced edition it also tells you at once whether the answer is right,\n"
    "   and why, and your result counts in your progress."
)
NOTICE = (
    "> **Self-paced edition.** The check cell under each graded question tells you at once\n"
    "> whether your answer is right, how many points it earns and why, and your result\n"
    "> counts in your progress on the start page. Change your answer and run the check\n"
    "> cell again as often as you like."
)
_CELL_HEAD = (
    "# Self-paced check: run this cell for a verdict on your answer above. The key below\n"
    "# is sealed (digests, not answers), so reading it does not give the answer away.\n"
)


class SelfPacedError(AutograderError):
    """The edition cannot be written; the message names the notebook, the cell and why."""


@dataclass(frozen=True)
class SelfPacedCopy:
    dest: Path
    files: tuple[str, ...]
    questions: int


@dataclass(frozen=True)
class _Graded:
    """One graded question of ``source/``, as its test cell states it."""

    grade_id: str
    answer: str
    scorer: str
    key: object
    kwargs: dict[str, Any]
    check: dict[str, Any]
    title: str


def _text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _nbgrader(cell: dict[str, Any]) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _call(text: str, prefix: str, where: str) -> tuple[str, str, list[ast.expr], list[Any]]:
    """The one ``graded.<prefix>_x(answer, ...)`` call ``text`` holds, parsed."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise SelfPacedError(f"{where}: not valid Python ({exc.msg})") from None
    body = tree.body
    call = body[0].value if len(body) == 1 and isinstance(body[0], ast.Expr) else None
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "graded"
        and call.func.attr.startswith(prefix)
        and call.args
        and isinstance(call.args[0], ast.Name)
    ):
        raise SelfPacedError(
            f"{where}: expected one call graded.{prefix}...(answer, ...), "
            "which the self-paced edition can seal"
        )
    return call.func.attr[len(prefix) :], call.args[0].id, call.args[1:], call.keywords


def _literal(node: ast.expr, where: str) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise SelfPacedError(f"{where}: {ast.unparse(node)} is not a plain value") from None


def _key(node: ast.expr, where: str) -> Any:
    """The hidden test's key: a literal, or what a content helper returns
    (``graded.practice_links(...)``, read from ``course/content`` now)."""
    try:
        return evaluate_key(node)
    except ContentKeyError as exc:
        raise SelfPacedError(f"{where}: {exc}") from None
    except ValueError:
        raise SelfPacedError(f"{where}: {ast.unparse(node)} is not a plain value") from None


def _title(cells: list[dict[str, Any]], grade_id: str, index: int) -> str:
    """The question's heading ("Question 2.1"), from its question cell or the one above."""
    ids = {_nbgrader(c).get("grade_id"): c for c in cells}
    candidates = [ids.get(f"{grade_id}-question"), *cells[index::-1]]
    for cell in candidates:
        if cell is not None and cell.get("cell_type") == "markdown":
            for line in _text(cell).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").split("·")[0].strip()
    return grade_id


def graded_questions(notebook: Path, name: str) -> Iterator[_Graded]:
    """Every graded test cell of a source notebook, with its hidden test's key."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        meta = _nbgrader(cell)
        if not meta.get("grade") or cell.get("cell_type") != "code":
            continue
        where = f"{name}, cell {index + 1} ({meta.get('grade_id')})"
        text = _text(cell)
        hidden = _HIDDEN.search(text)
        if hidden is None:
            raise SelfPacedError(f"{where}: a graded cell without hidden tests has no key to seal")
        check_name, answer, check_args, check_kw = _call(_HIDDEN.sub("", text), "check_", where)
        scorer, answer_scored, args, keywords = _call(hidden.group(1), "score_", where)
        if answer_scored != answer or check_args or scorer != check_name:
            raise SelfPacedError(
                f"{where}: the check and the hidden test must be check_X(answer, ...) and "
                "score_X(answer, key, ...) on the same answer"
            )
        kwargs = {k.arg: _literal(k.value, where) for k in keywords if k.arg}
        check = {k.arg: _literal(k.value, where) for k in check_kw if k.arg}
        key = _key(args[0], where) if args else None
        yield _Graded(
            meta["grade_id"],
            answer,
            scorer,
            key,
            kwargs,
            check,
            _title(cells, meta["grade_id"], index),
        )


def _objective(folder: str, grade_id: str) -> str:
    """The learning objective a graded question counts for.

    A lesson's folder is ``NN-<objective id>``; in the practice assignment a question
    counts for its practice question's objective (``pq3-stream`` is practice question ``pq3``).
    """
    course = load_course()
    ids = {o.id for o in course.objectives}
    topic = folder.split("-", 1)[-1]
    if topic in ids:
        return topic
    for practice in course.practice_questions:
        if grade_id == practice.id or grade_id.startswith(practice.id + "-"):
            return practice.objective
    raise SelfPacedError(
        f"{folder}: {grade_id} belongs to no learning objective (name the folder NN-<objective> "
        "or the question after a practice question of objectives.yaml)"
    )


def self_paced_cell(question: _Graded, objective: str) -> str:
    """The check cell that replaces a graded test cell in the edition."""
    spec = seal_spec(
        question.scorer,
        question.key,
        question.kwargs,
        question.check,
        question_id=question.grade_id,
        title=question.title,
        objective=objective,
    )
    literal = pprint.pformat(spec, width=84, sort_dicts=False).replace("\n", "\n    ")
    return f"{_CELL_HEAD}graded.self_check(\n    {question.answer},\n    {literal},\n)"


def self_paced_cells(source: Path) -> dict[str, dict[str, str]]:
    """notebook path (relative to ``source``) -> grade id -> its self-paced check cell."""
    out: dict[str, dict[str, str]] = {}
    for notebook in sorted(source.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        rel = notebook.relative_to(source).as_posix()
        cells = {}
        for question in graded_questions(notebook, rel):
            objective = _objective(notebook.parent.name, question.grade_id)
            try:
                cells[question.grade_id] = self_paced_cell(question, objective)
            except (SealError, ValueError) as exc:
                raise SelfPacedError(f"{rel}, {question.grade_id}: {exc}") from None
        out[rel] = cells
    return out


def _rewrite(notebook: Path, cells: dict[str, str]) -> int:
    data = json.loads(notebook.read_text(encoding="utf-8"))
    present = {_nbgrader(c).get("grade_id") for c in data["cells"]}
    done = 0
    for cell in data["cells"]:
        grade_id = _nbgrader(cell).get("grade_id")
        if cell.get("cell_type") == "code" and grade_id in cells:
            cell["source"] = cells[grade_id]
            # Not an nbgrader test any more (its checksum would no longer match):
            # a plain cell the learner runs but does not edit.
            cell["metadata"].pop("nbgrader", None)
            cell["metadata"].update(editable=False, deletable=False)
            done += 1
        elif cell.get("cell_type") == "markdown":
            cell["source"] = _CLASSROOM_LINE.sub(_SELF_PACED_LINE, _text(cell))
    missing = sorted(set(cells) - present)
    if missing:
        raise SelfPacedError(f"{notebook.name}: release/ has no cell {', '.join(missing)}")
    if cells:
        notice = {"cell_type": "markdown", "metadata": {}, "source": NOTICE}
        if any("id" in c for c in data["cells"]):
            notice["id"] = "self-paced-notice"
        data["cells"].insert(1, notice)
    notebook.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return done


_README_INTRO = """\
This is the **self-paced edition** of the course, for learners working without an
instructor: the lessons, self-check quizzes and value-stream builder of the student
edition, and every graded question tells you **at once** whether your answer is right,
how many points it earns and why. Nobody marks your work: the check cell under each
question does, and your results count in the progress table on the start page.

```bash
make lab    # set up (first run only) and open the course in JupyterLab
```

A fresh machine needs Python 3.10+ and git: `make lab` creates `.venv/` and installs
the course into it on first use, then opens the start page,
`release/00-start-here/00-start-here.ipynb`. Work through the notebooks in order.

The answers are checked against sealed keys (digests, not answers), so reading the
files does not give them away; looking is up to you, and learning is in the trying.
On Binder, point the link below at this edition's repository.
"""


def _readme(kit_readme: str) -> str:
    title = kit_readme.splitlines()[0] if kit_readme.startswith("# ") else None
    trade_mark = _section(kit_readme, "Trade mark")
    if title is None or trade_mark is None:
        raise SelfPacedError("README.md needs a '# ' title line and a '## Trade mark' section")
    parts = [title.rstrip() + " (self-paced edition)\n", _README_INTRO]
    parts += [
        s
        for t in ("For students and self-paced learners", "On Binder")
        if (s := _section(kit_readme, t))
    ]
    verdict = "the check cell under each answer tells you at once whether it is right, and why"
    return "\n".join([*(_FORM_ONLY.sub(verdict, p) for p in parts), trade_mark])


def _check_dest(dest: Path, root: Path) -> None:
    if dest == root or root in dest.parents or dest in root.parents:
        raise SelfPacedError(
            f"{dest} is inside the kit (or holds it): choose a folder outside {root}"
        )
    if dest.exists() and not dest.is_dir():
        raise SelfPacedError(f"{dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / MARKER).is_file():
        raise SelfPacedError(
            f"{dest} is not empty and is not a self-paced edition made by this command "
            f"(it has no {MARKER}): choose a new or empty folder"
        )


def unsealed(copy: Path) -> list[str]:
    """Self-paced check cells of ``copy`` whose key is not all digests (none, when right)."""
    from course.graded._sealed import validate

    found = []
    for notebook in sorted((copy / "release").rglob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            text = _text(cell)
            if "graded.self_check(" not in text:
                continue
            call = ast.parse(text).body[0]
            assert isinstance(call, ast.Expr)
            assert isinstance(call.value, ast.Call)
            try:
                validate(ast.literal_eval(call.value.args[1]))
            except (SealError, ValueError, IndexError) as exc:
                found.append(f"{notebook.relative_to(copy).as_posix()}: {exc}")
    return found


def write_edition(dest: Path, root: Path = REPO_ROOT) -> SelfPacedCopy:
    """Write the self-paced edition of the kit at ``root`` into ``dest`` (checked first)."""
    root, dest = root.resolve(), dest.resolve()
    _check_dest(dest, root)
    cells = self_paced_cells(root / "source")
    secrets = secret_lines(root / "source")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".self-paced-", dir=dest.parent) as scratch:
        stage = Path(scratch) / "copy"
        try:
            write(stage, root)
        except StudentCopyError as exc:
            raise SelfPacedError(str(exc)) from exc
        (stage / ".student-copy").unlink()
        questions = sum(_rewrite(stage / "release" / rel, c) for rel, c in cells.items())
        readme = _readme((root / "README.md").read_text(encoding="utf-8"))
        (stage / "README.md").write_text(readme, encoding="utf-8")
        (stage / MARKER).write_text(
            "The self-paced edition of the ITIL 4 Service Value Chain course kit, written by\n"
            "`make self-paced-copy`. Do not edit: the kit regenerates it.\n"
        )
        problems = leaks(stage, secrets) + unsealed(stage)
        if problems:
            raise SelfPacedError(
                "the edition was not written, it would give away answers:\n  "
                + "\n  ".join(problems)
            )
        dest.mkdir(exist_ok=True)
        for entry in sorted(stage.iterdir()):
            old = dest / entry.name
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            elif old.exists() or old.is_symlink():
                old.unlink()
            entry.rename(old)
    files = tuple(sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()))
    return SelfPacedCopy(dest, files, questions)


def main(argv: Sequence[str] | None = None) -> int:
    """The module entry point, an alias of ``python -m autograder self-paced-copy``."""
    from autograder.cli import main as cli_main

    return cli_main(["self-paced-copy", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    raise SystemExit(main())
