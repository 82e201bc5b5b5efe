"""Errors of the quiz layer, each saying what is wrong and what would be right."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

__all__ = ["QuizError", "UnknownObjectiveError", "UnknownQuestionError"]


class QuizError(ValueError):
    """A quiz was asked for with arguments that cannot work (the message says why)."""


def _hint(given: object, valid: Sequence[str]) -> str:
    if not isinstance(given, str):
        return ""
    close = difflib.get_close_matches(given.strip().lower(), valid, n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


class UnknownObjectiveError(QuizError):
    """An objective id that is not one of the course's learning objectives."""

    def __init__(self, given: object, valid: Sequence[str]) -> None:
        self.given = given
        self.valid = list(valid)
        super().__init__(
            f"{given!r} is not a learning objective of the course.{_hint(given, valid)} "
            f"The objective ids are: {', '.join(valid)}."
        )


class UnknownQuestionError(QuizError):
    """A question id that is not in the question bank."""

    def __init__(self, given: object, valid: Sequence[str]) -> None:
        self.given = given
        super().__init__(
            f"{given!r} is not a question of the quiz bank.{_hint(given, valid)} "
            "course.quizbank.question_ids() lists the ids of every question."
        )
