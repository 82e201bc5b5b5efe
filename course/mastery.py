"""A learner's progress per learning objective, computed from the records.

Pure Python: :func:`summarise` turns the records that quizzes and the
value-stream builder append (:mod:`course.records`) into a
:class:`Progress`, which the progress widget only draws. Because the records
live in a file, the summary is the same after a kernel restart.

Records name an item by its id; :func:`item_title` gives what a learner
recognises instead (the question's prompt, the exercise's title), and
:func:`question_counts` how many questions each objective's quiz holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .loader import load_course
from .model import Course
from .quizbank import QuizError, load_bank, question_ids
from .records import Record, load_records
from .scenarios import UnknownScenarioError, scenario

__all__ = [
    "ItemResult",
    "ObjectiveProgress",
    "Progress",
    "current_progress",
    "item_title",
    "question_counts",
    "shorten",
    "summarise",
]

#: An objective counts as mastered when its best scores average at least this.
MASTERY = 0.8
#: Question prompts are cut to at most this many characters when they name an item.
TITLE_LENGTH = 60


@dataclass(frozen=True)
class ItemResult:
    """The learner's history with one quiz question or one value-stream exercise."""

    kind: str
    item: str
    best: float
    last: float
    attempts: int
    #: When it was last answered (seconds since the epoch); 0 when unknown.
    when: float = field(default=0.0, compare=False)
    #: The name the record gave it (graded questions carry theirs); "" when none.
    title: str = field(default="", compare=False)


@dataclass(frozen=True)
class ObjectiveProgress:
    """Where the learner stands on one learning objective."""

    id: str
    number: int
    title: str
    quizzes: tuple[ItemResult, ...]
    streams: tuple[ItemResult, ...]
    available: int | None
    #: Graded questions answered in the self-paced edition.
    graded: tuple[ItemResult, ...] = ()

    @property
    def items(self) -> tuple[ItemResult, ...]:
        return self.quizzes + self.streams + self.graded

    @property
    def score(self) -> float:
        """The mean best score over what was tried (0 when nothing was)."""
        items = self.items
        return sum(i.best for i in items) / len(items) if items else 0.0

    @property
    def coverage(self) -> float | None:
        """The share of this objective's quiz questions answered at least once."""
        if not self.available:
            return None
        return min(1.0, len(self.quizzes) / self.available)

    @property
    def revisit(self) -> tuple[ItemResult, ...]:
        """Items never got fully right, weakest first."""
        return tuple(sorted((i for i in self.items if i.best < 1.0), key=lambda i: i.best))

    @property
    def status(self) -> str:
        if not self.items:
            return "not started"
        if self.score >= MASTERY and (self.coverage is None or self.coverage >= 0.5):
            return "mastered"
        return "in progress"


@dataclass(frozen=True)
class Progress:
    objectives: tuple[ObjectiveProgress, ...]

    @property
    def attempted(self) -> int:
        return sum(len(o.items) for o in self.objectives)


def _items(records: Iterable[Record]) -> dict[tuple[str, str, str], ItemResult]:
    grouped: dict[tuple[str, str, str], list[Record]] = {}
    for record in records:
        grouped.setdefault((record.objective, record.kind, record.item), []).append(record)
    out = {}
    for key, group in grouped.items():
        group.sort(key=lambda r: r.time)
        out[key] = ItemResult(
            kind=key[1],
            item=key[2],
            best=max(r.score for r in group),
            last=group[-1].score,
            attempts=len(group),
            when=group[-1].time,
            title=str(group[-1].detail.get("title", "")),
        )
    return out


def summarise(
    records: Iterable[Record],
    course: Course | None = None,
    available: Mapping[str, int] | None = None,
) -> Progress:
    """Progress per objective; ``available`` counts the quiz questions of each.

    Records for an objective the course does not know (for instance after a
    content change) are kept out of the summary, never an error.
    """
    model = course or load_course()
    items = _items(records)
    result = []
    for objective in model.objectives:
        mine = [v for (obj, _, _), v in sorted(items.items()) if obj == objective.id]
        result.append(
            ObjectiveProgress(
                id=objective.id,
                number=objective.number,
                title=objective.title,
                quizzes=tuple(i for i in mine if i.kind == "quiz"),
                streams=tuple(i for i in mine if i.kind == "stream"),
                available=(available or {}).get(objective.id),
                graded=tuple(i for i in mine if i.kind == "graded"),
            )
        )
    return Progress(tuple(result))


def current_progress(available: Mapping[str, int] | None = None) -> Progress:
    """The progress of the learner on this machine, from the records file.

    ``available`` defaults to the quiz bank's question counts (:func:`question_counts`).
    """
    counts = question_counts() if available is None else available
    return summarise(load_records(), available=counts)


def question_counts() -> dict[str, int]:
    """How many self-check questions the bank holds for each learning objective."""
    return {objective: len(question_ids(objective)) for objective in load_bank().objectives}


def shorten(text: str, limit: int = TITLE_LENGTH) -> str:
    """``text`` on one line, cut after a whole word to at most ``limit`` characters.

    A cut text ends with "…" (counted in ``limit``); a single word longer than
    ``limit`` is cut inside the word.
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit - 1]
    if flat[limit - 1] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:") + "…"


def item_title(kind: str, item: str) -> str:
    """What the learner knows an item by, rather than its id.

    A quiz question: its prompt, shortened (:func:`shorten`); a value-stream
    exercise: its title; a graded question: its id (the records carry its title,
    :attr:`ItemResult.title`). An id the course no longer knows (a retired question,
    a renamed exercise) is shown as it is.
    """
    try:
        if kind == "quiz":
            return shorten(load_bank().question(item).prompt)
        if kind == "stream":
            return scenario(item).title
    except (QuizError, UnknownScenarioError):
        pass
    return item
