"""Load the question bank: ``course/content/quizzes/<objective-id>.yaml``.

Each file holds the questions of one learning objective::

    objective: six-activities
    questions:
      - id: six-engage-scenario          # unique in the whole bank
        type: single                     # single | multiple | true_false |
                                         # matching | ordering | short_text
        prompt: A team procures servers ...
        options:
          - text: Obtain/Build
            why: Procuring hardware is one of its key activities.
            mark: 5d1c...                # sealed: right or wrong (python -m autograder seal)
        explanation: Shown once the answer is right (or after two tries).

      - id: six-match-purposes
        type: matching
        prompt: Match each purpose to its activity.
        from: activity-purpose           # options and key come from the content model

Authored keys are sealed digests (:mod:`course.quizbank.keys`); questions whose key
is a fact of the content model (which activity an output belongs to, the order
of a value stream...) name a generator with ``from:`` instead, so the key is
never written a second time (:mod:`course.quizbank.derive`). Every sealed key is
checked when the bank loads: a key that fits no option (say, after an option's
text was edited) fails with the file, line and question.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .._yamlread import Node, read_document
from ..errors import ContentError, ContentProblems, Problems
from ..loader import CONTENT_DIR, load_course
from ..model import Course
from ._spec import identifier
from .authored import authored_question
from .derive import derived_question
from .errors import UnknownObjectiveError, UnknownQuestionError
from .model import KINDS, Kind, Question

__all__ = ["QUIZ_DIR", "Bank", "load_bank", "read_bank"]

QUIZ_DIR = CONTENT_DIR / "quizzes"


@dataclass(frozen=True)
class Bank:
    """Every self-check question, in file order, objective by objective."""

    objectives: tuple[str, ...]
    questions: tuple[Question, ...]

    def for_objective(self, objective_id: object) -> tuple[Question, ...]:
        """The questions of one objective; an unknown id raises a listing error."""
        if not isinstance(objective_id, str) or objective_id not in self.objectives:
            raise UnknownObjectiveError(objective_id, self.objectives)
        return tuple(q for q in self.questions if q.objective == objective_id)

    def question(self, question_id: object) -> Question:
        for item in self.questions:
            if item.id == question_id:
                return item
        raise UnknownQuestionError(question_id, self.ids())

    def ids(self, objective_id: str | None = None) -> tuple[str, ...]:
        chosen = self.questions if objective_id is None else self.for_objective(objective_id)
        return tuple(q.id for q in chosen)


@functools.lru_cache(maxsize=1)
def load_bank() -> Bank:
    """The question bank shipped with the package (loaded once, then cached)."""
    return read_bank(QUIZ_DIR, load_course())


def read_bank(directory: str | Path, course: Course) -> Bank:
    """Load and validate every quiz file in ``directory`` against ``course``."""
    folder = Path(directory)
    known = tuple(o.id for o in course.objectives)
    problems = Problems()
    for path in sorted(folder.glob("*.yaml")):
        if path.stem not in known:
            problems.errors.append(
                ContentError(
                    path.relative_to(folder.parent).as_posix(),
                    f"no learning objective is called {path.stem!r}; quiz files are named "
                    f"after an objective id: {', '.join(known)}",
                )
            )
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for objective in known:
        with problems.guard():
            questions += _file(folder, objective, course, seen, problems)
    problems.raise_any()
    return Bank(known, tuple(questions))


def _file(
    folder: Path, objective: str, course: Course, seen: dict[str, str], problems: Problems
) -> list[Question]:
    """The questions of one quiz file; each broken question is recorded in ``problems``."""
    # Named from the content folder: quizzes/value-streams.yaml, not value_streams.yaml.
    doc = read_document(folder / f"{objective}.yaml", folder.parent)
    stated = doc.field("objective")
    if stated.text() != objective:
        stated.fail(f"this file holds the questions of {objective!r}, not {stated.text()!r}")
    questions = []
    for node in doc.field("questions").items():
        with problems.guard():
            question = _named(node, objective, course)
            if question.id in seen:
                node.field("id").fail(
                    f"duplicate question id {question.id!r} (also in {seen[question.id]})"
                )
            seen[question.id] = doc.file
            questions.append(question)
    return questions


def _named(node: Node, objective: str, course: Course) -> Question:
    """The question of ``node``; each error in it names the question's id first."""
    try:
        return _question(node, objective, course)
    except ContentError as exc:
        ident = _id_of(node)
        if not isinstance(ident, str):
            raise
        errors = [_with_id(e, ident) for e in getattr(exc, "errors", (exc,))]
        if len(errors) == 1:
            raise errors[0] from None
        raise ContentProblems(errors) from None


def _with_id(exc: ContentError, ident: str) -> ContentError:
    if exc.reason.startswith("question "):
        return exc
    return ContentError(
        exc.file,
        f"question {ident!r}: {exc.reason}",
        where=exc.where,
        line=exc.line,
        column=exc.column,
    )


def _id_of(node: Node) -> object:
    try:
        fields = node.mapping()
    except ContentError:
        return None
    return fields["id"].node.value if "id" in fields else None


def _question(node: Node, objective: str, course: Course) -> Question:
    ident = identifier(node.field("id"))
    kind_node = node.field("type")
    kind = kind_node.text()
    if kind not in KINDS:
        kind_node.fail(f"unknown question type {kind!r}; the types are: {', '.join(KINDS)}")
    typed: Kind = kind
    if node.has("from"):
        return derived_question(node, ident, objective, typed, course)
    return authored_question(node, ident, objective, typed, course)
