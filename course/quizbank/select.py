"""Pick and lay out the questions of one quiz: subset, order and option order.

Layout never gives a key away: the items of a matching question are never
listed in the order of their answers, and the items of an ordering question
never start in the right order. Without ``shuffle`` the layout is fixed per
question (the same every time); with it, it follows ``seed`` (random without).
:func:`shuffle_options` orders the options of a choice question by a seed of
the caller's (the self-check quiz uses the learner's own).
"""

from __future__ import annotations

import dataclasses
import random

from .bank import Bank, load_bank
from .errors import QuizError
from .model import Option, Question

__all__ = ["arrange", "assemble", "shuffle_options"]

_TRIES = 200


def assemble(
    objective_id: str,
    *,
    shuffle: bool = False,
    seed: int | str | None = None,
    n: int | None = None,
    bank: Bank | None = None,
) -> tuple[Question, ...]:
    """The questions of a quiz on ``objective_id``, ready to show.

    ``n`` takes a random subset of that size (the same subset for the same
    ``seed``); ``shuffle`` also shuffles the questions and their options.
    """
    pool = list((bank or load_bank()).for_objective(objective_id))
    rng = random.Random(seed)
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(pool):
            raise QuizError(
                f"n must be a whole number from 1 to {len(pool)} (the questions on "
                f"{objective_id!r}), not {n!r}"
            )
        keep = set(rng.sample(range(len(pool)), n))
        pool = [q for i, q in enumerate(pool) if i in keep]
    if shuffle:
        rng.shuffle(pool)
    return tuple(arrange(q, shuffle=shuffle, seed=seed) for q in pool)


def arrange(
    question: Question, *, shuffle: bool = False, seed: int | str | None = None
) -> Question:
    """``question`` with its options and items laid out for display."""
    if shuffle:
        rng = random.Random(f"{seed}:{question.id}") if seed is not None else random.Random()
    else:
        rng = random.Random(f"layout:{question.id}")
    if question.kind in ("single", "multiple") and shuffle:
        options = list(question.options)
        rng.shuffle(options)
        return dataclasses.replace(question, options=tuple(options))
    if question.kind == "matching":
        return dataclasses.replace(question, items=_scrambled_items(question, rng))
    if question.kind == "ordering":
        return dataclasses.replace(question, options=_scrambled_steps(question, rng))
    return question


def shuffle_options(question: Question, seed: int | str) -> Question:
    """``question`` with its choice options in an order of ``seed``'s own.

    Self-check quizzes pass the learner's seed (:func:`course.learner.layout_seed`),
    so each learner sees their own order, the same in every session.
    """
    if question.kind not in ("single", "multiple"):
        return question
    options = list(question.options)
    random.Random(f"options:{seed}:{question.id}").shuffle(options)
    return dataclasses.replace(question, options=tuple(options))


def _answer_index(question: Question, item: Option) -> int:
    for index, choice in enumerate(question.options):
        if question.key.accepts(item.text, choice.text):
            return index
    return -1


def _scrambled_items(question: Question, rng: random.Random) -> tuple[Option, ...]:
    """Items in an order whose answers do not run down the list of choices."""
    items = list(question.items)
    if len({_answer_index(question, i) for i in items}) < 2:
        rng.shuffle(items)
        return tuple(items)
    for _ in range(_TRIES):
        rng.shuffle(items)
        answers = [_answer_index(question, i) for i in items]
        if answers != sorted(answers):
            break
    return tuple(items)


def _scrambled_steps(question: Question, rng: random.Random) -> tuple[Option, ...]:
    steps = list(question.options)
    right = [
        next(s for s in steps if question.key.accepts(f"step {n}", s.text))
        for n in range(1, len(steps) + 1)
    ]
    for _ in range(_TRIES):
        rng.shuffle(steps)
        if steps != right:
            break
    return tuple(steps)
