"""Self-check quizzes, pure layer: questions, the bank, sealed keys and marking.

Nothing here imports a widget library. The pieces:

- :mod:`course.quizbank.model` -- :class:`Question`, :class:`Option`, :class:`Key`;
- :mod:`course.quizbank.bank` -- :func:`load_bank` reads
  ``course/content/quizzes/<objective-id>.yaml`` (built on
  :mod:`course._yamlread`, so a broken file names file, line and reason);
- :mod:`course.quizbank.derive` -- questions whose key comes from the content model;
- :mod:`course.quizbank.keys` -- :func:`seal`, the salted hash keys are stored as;
- :mod:`course.quizbank.answers` and :mod:`course.quizbank.check` -- turn an answer
  into plain JSON and mark it (:func:`check_answer` returns a :class:`Result`);
- :mod:`course.quizbank.select` -- :func:`assemble` picks and lays out a quiz.

The notebook entry point, ``course.quiz("six-activities")``, is the widget of
:mod:`course.widgets.quiz`, which ``course`` hands out lazily.
"""

from __future__ import annotations

from .answers import AnswerProblem, parse_answer
from .bank import Bank, load_bank, read_bank
from .check import REVEAL_AFTER, Mark, Result, check_answer
from .errors import QuizError, UnknownObjectiveError, UnknownQuestionError
from .keys import seal
from .model import KINDS, Key, Kind, Option, Question
from .select import arrange, assemble

__all__ = [
    "KINDS",
    "REVEAL_AFTER",
    "AnswerProblem",
    "Bank",
    "Key",
    "Kind",
    "Mark",
    "Option",
    "Question",
    "QuizError",
    "Result",
    "UnknownObjectiveError",
    "UnknownQuestionError",
    "arrange",
    "assemble",
    "check_answer",
    "load_bank",
    "parse_answer",
    "question_ids",
    "read_bank",
    "seal",
]


def question_ids(objective_id: str | None = None) -> tuple[str, ...]:
    """The ids of the bank's questions (of one objective, when given)."""
    return load_bank().ids(objective_id)
