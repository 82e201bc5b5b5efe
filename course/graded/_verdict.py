"""The self-paced check cell: a verdict on an answer, from a sealed key.

:func:`self_check` is what the self-paced edition's check cells call (see
:mod:`course.graded._sealed` for the sealed specs): it checks the answer's
form (nothing is recorded for an unfinished answer), scores it with the very
scorer the instructor's grading uses on the key recovered from the seals,
explains a wrongly matched activity by its purpose, records the result for
the progress page and returns a :class:`Verdict`.
"""

from __future__ import annotations

import contextlib
import html
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..loader import load_course
from ..records import record_result
from ..rubric import Rubric
from ._common import resolve
from ._grade import (
    check_choice,
    check_mapping,
    check_names,
    check_truth,
    score_choice,
    score_mapping,
    score_names,
    score_truth,
)
from ._plain import AnswerError
from ._read import read_mapping
from ._result import Problem, Result, format_points
from ._sealed import unseal, validate
from ._stream import check_stream, score_on_rubric

__all__ = ["Verdict", "score", "self_check"]

_CHECKS: dict[str, Callable[..., Problem | None]] = {
    "mapping": check_mapping,
    "choice": check_choice,
    "truth": check_truth,
    "names": check_names,
    "stream": check_stream,
}
_SCORES: dict[str, Callable[..., Result]] = {
    "mapping": score_mapping,
    "choice": score_choice,
    "truth": score_truth,
    "names": score_names,
}
_GOOD, _PART, _BAD = "#2e7d32", "#ef6c00", "#c62828"


@dataclass(frozen=True, repr=False)
class Verdict:
    """Right or not, the points, why, and where to read again."""

    title: str
    result: Result
    lesson: str
    lesson_link: str

    @property
    def right(self) -> bool:
        return self.result.points >= self.result.max_points

    @property
    def headline(self) -> str:
        if self.right:
            return "Right"
        return "Partly right" if self.result.points > 0 else "Not right yet"

    def __repr__(self) -> str:
        return repr(self.result)

    def __str__(self) -> str:
        lines = [f"{self.title}: {self.headline}. {self.result}"]
        if not self.right:
            lines.append(f"Read again: {self.lesson}, then change your answer and run this cell.")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = _GOOD if self.right else _PART if self.result.points > 0 else _BAD
        mark = "&#10004;" if self.right else "&#10008;"
        points = (
            f"{format_points(self.result.points)} of {format_points(self.result.max_points)} points"
        )
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.result.lines)
        link = f'<a href="{html.escape(self.lesson_link)}">{html.escape(self.lesson)}</a>'
        again = (
            ""
            if self.right
            else f'<p style="margin:4px 0 0 0">Read again: {link}, then change your answer '
            "and run this cell again.</p>"
        )
        return (
            f'<div class="itil-verdict" role="status" style="border-left:4px solid {colour};'
            "padding:6px 10px;margin:4px 0;background:var(--jp-layout-color1, #fff);"
            f'color:var(--jp-content-font-color1, #111)">'
            f'<b style="color:{colour}">{mark} {html.escape(self.headline)}</b> &middot; '
            f"{html.escape(self.title)} &middot; {points}"
            f'<ul style="margin:4px 0 0 0;padding-left:20px">{items}</ul>{again}</div>'
        )


def _lesson(objective_id: str) -> tuple[str, str]:
    objective = load_course().objective(objective_id)
    folder = f"{objective.number:02d}-{objective.id}"
    return f"lesson {objective.number}, {objective.title}", f"../{folder}/{folder}.ipynb"


def _hints(answer: object, spec: Mapping[str, Any], key: object) -> tuple[str, ...]:
    """Why a matched activity is not the one: its purpose, for each activity given wrongly."""
    if spec["scorer"] != "mapping" or spec.get("kind", "activity") != "activity":
        return ()
    assert isinstance(key, Mapping)
    value, _ = resolve(answer, spec.get("question"))
    found, _ = read_mapping(value, key.keys(), "activity")
    wrong = {ident for k, (_, ident) in found.items() if ident and ident not in key[k]}
    course = load_course()
    return tuple(
        f"{a.name} is there {a.purpose[0].lower()}{a.purpose[1:]}"
        for a in course.activities
        if a.id in wrong
    )


def score(answer: object, spec: Mapping[str, Any]) -> Result:
    """The points ``answer`` earns under the sealed key of ``spec`` (no record, no form check)."""
    key, kwargs = unseal(spec)
    if spec["scorer"] == "stream":
        assert isinstance(key, Rubric)
        return score_on_rubric(answer, key, **kwargs)
    return _SCORES[spec["scorer"]](answer, key, **kwargs)


def self_check(
    answer: object, spec: Mapping[str, Any], *, record: bool = True
) -> Verdict | Problem:
    """The self-paced check cell: a :class:`Verdict` on ``answer`` (recorded for the
    progress page), or the :class:`Problem` that keeps it from being judged yet."""
    validate(spec)
    with contextlib.redirect_stdout(io.StringIO()):  # the "Format OK... graded later" line
        try:
            problem = _CHECKS[spec["scorer"]](answer, **spec["check"])
        except AnswerError as exc:
            problem = Problem(str(exc))
    if problem is not None:
        return problem
    try:
        resolve(answer, spec.get("question"))
    except AnswerError as exc:
        return Problem(str(exc))
    result = score(answer, spec)
    hints = _hints(answer, spec, unseal(spec)[0])
    if hints:
        result = Result(result.points, result.max_points, (*result.lines, *hints))
    lesson, link = _lesson(spec["objective"])
    verdict = Verdict(spec["title"], result, lesson, link)
    if record:
        record_result(
            "graded",
            spec["id"],
            spec["objective"],
            result.points / result.max_points if result.max_points else 0.0,
            {"title": spec["title"], "points": result.points, "max": result.max_points},
        )
    return verdict
