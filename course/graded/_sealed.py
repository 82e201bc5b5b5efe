"""Graded questions with sealed keys: the self-paced edition's verdicts.

The self-paced edition (``make self-paced-copy``) gives a learner without an
instructor a verdict on every graded question the moment they run its check
cell. Its check cells carry the question's key *sealed* (salted BLAKE2b
digests, :func:`course.quizbank.keys.seal`), never the plain key:

- :func:`seal_spec` turns a hidden test's key (the scorer's arguments, read
  from ``source/`` when the edition is generated) into a JSON-able *spec*
  whose key material is digests only;
- :func:`unseal` recovers the key by sealing every candidate answer (the six
  activities, the practices, the letters, True/False) and comparing digests;
- a value-stream question's key is its scenario's rubric (in the instructor-only
  ``graded_keys.yaml``): each constraint is sealed as one digest of its kind,
  weight (one of :data:`WEIGHTS`) and activities (any-of sets, or a pair of
  them), each activity's step budget (0 to :data:`MAX_BUDGET`) as another. The
  checker enumerates every such constraint and budget, and scores with the
  rubric engine itself (:func:`course.graded._stream.score_on_rubric`). The
  ``why`` texts and the model answer are not sealed, so a verdict names the
  checks met and missed, never why;
- :func:`course.graded._verdict.self_check`, which the edition's check cells
  call, scores with the very scorer the instructor's grading uses on that key.

So the self-paced score of an answer is the graded score of that answer by
construction: one scoring rule, one answer key (the hidden tests). As with the
self-check quizzes, sealing keeps keys out of sight of a reader of the files;
it is no defence against running the checker on every possible answer.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..constraints import Before, Constraint, End, Require, Start, Then
from ..loader import load_course
from ..quizbank.keys import RIGHT, WRONG, is_seal, seal
from ..rubric import Budget, Rubric
from ..scenarios import SEALED_MAX_BUDGET, SEALED_WEIGHTS, KeyNotInCopyError
from ..scenarios import scenario as find_scenario
from ._common import as_ids
from ._grade import _choices

__all__ = ["MAX_BUDGET", "SCORERS", "WEIGHTS", "SealError", "seal_spec", "unseal", "validate"]

#: The scorers a self-paced check cell can stand in for, by their short name.
SCORERS = ("mapping", "choice", "truth", "names", "stream")
_TRUTH = {"true": True, "false": False}
_SPEC_FIELDS = ("id", "title", "objective", "scorer", "points", "check", "sealed")


class SealError(ValueError):
    """A hidden test the self-paced edition cannot seal; the message says why."""


Spec = dict[str, Any]


# --- sealing: from a hidden test's key to digests ----------------------------------------------


def _universe(kind: str, candidates: Iterable[str] | None = None) -> tuple[str, ...]:
    """Every answer a slot of ``kind`` can hold, as the scorers compare them (ids)."""
    course = load_course()
    if kind == "activity":
        return tuple(a.id for a in course.activities)
    if kind == "practice":
        return tuple(p.id for p in course.practices)
    if kind == "text":
        return tuple(dict.fromkeys(as_ids(list(candidates or ()), "text")))
    raise SealError(f"unknown kind {kind!r}: expected activity, practice or text")


def _require_within(values: Iterable[str], universe: Sequence[str], what: str) -> None:
    stray = [v for v in values if v not in universe]
    if stray:
        raise SealError(
            f"{what}: {stray[0]!r} is not among the answers the checker tries "
            f"({', '.join(universe)}); for kind='text', list it in the check's choices="
        )


def _seal_mapping(qid: str, key: Mapping[str, Any], kind: str, universe: Sequence[str]) -> Spec:
    sealed: dict[str, list[str]] = {}
    for slot, names in key.items():
        ids = as_ids(names, kind)
        _require_within(ids, universe, f"key {slot!r}")
        sealed[str(slot)] = sorted(seal(qid, str(slot), i) for i in ids)
    return sealed


#: The weights a sealed rubric constraint may carry (the checker tries each of them), and
#: the largest step budget of one activity (it tries 0 to this); the loader holds graded
#: keys to both.
WEIGHTS = SEALED_WEIGHTS
MAX_BUDGET = SEALED_MAX_BUDGET
_GROUPED: dict[str, type[Require | Start | End]] = {"require": Require, "start": Start, "end": End}
_PAIRED: dict[str, type[Before | Then]] = {"before": Before, "then": Then}


def _group(ids: Iterable[str]) -> str:
    """An any-of set of activities, in the course's order (its order does not score)."""
    wanted = set(ids)
    return " ".join(a for a in _universe("activity") if a in wanted)


def _constraint_text(
    kind: str, weight: float, first: Iterable[str], then: Iterable[str] = ()
) -> str:
    """One constraint as the text its digest seals: kind, weight and activities."""
    text = f"{kind} w{round(weight * 100)} first {_group(first)}"
    return f"{text} then {_group(then)}" if kind in _PAIRED else text


def _constraint_seal(qid: str, constraint: Constraint) -> str:
    if isinstance(constraint, (Require, Start, End)):
        return seal(
            qid,
            "constraint",
            _constraint_text(constraint.kind, constraint.weight, constraint.any_of),
        )
    if isinstance(constraint, (Before, Then)):
        text = _constraint_text(
            constraint.kind, constraint.weight, constraint.first, constraint.then
        )
        return seal(qid, "constraint", text)
    raise SealError(f"a {constraint.kind!r} constraint cannot be sealed")


def _seal_stream(qid: str, scenario_id: object) -> Spec:
    """The rubric of the scenario ``scenario_id`` as digests: one per constraint (its
    kind, weight and activities), one per activity's step budget."""
    try:
        task = find_scenario(str(scenario_id))
        rubric = task.rubric
    except (LookupError, KeyNotInCopyError) as exc:
        raise SealError(f"score_stream: {exc}") from None
    if not task.graded:
        raise SealError(
            f"score_stream: {task.id!r} is a self-check exercise, whose model answer learners "
            "see; a graded question scores a scenario with 'graded: true'"
        )
    sealed: Spec = {"constraints": [_constraint_seal(qid, c) for c in rubric.constraints]}
    if rubric.budget is not None:
        counts = rubric.budget.at_most
        sealed["budget"] = sorted(
            seal(qid, "budget", f"{a} {counts.get(a, 0)}") for a in _universe("activity")
        )
    return sealed


def seal_spec(
    scorer: str,
    key: object,
    kwargs: Mapping[str, Any],
    check: Mapping[str, Any],
    *,
    question_id: str,
    title: str,
    objective: str,
) -> Spec:
    """The self-paced spec of one graded question, its key sealed.

    ``scorer`` is the hidden test's scorer without ``score_`` (``"mapping"``...),
    ``key`` its key argument (``None`` for a stream, whose key is the rubric of
    the scenario its ``scenario=`` argument names), ``kwargs`` its keyword
    arguments and ``check`` the keyword arguments of the visible check, which
    stay as they are (they are public).
    """
    if scorer not in SCORERS:
        raise SealError(
            f"score_{scorer} has no self-paced form; the ones that do: "
            + ", ".join(f"score_{s}" for s in SCORERS)
        )
    known = {"points", "kind", "question", "options", "multiple", "count"}
    known |= {"scenario"} if scorer == "stream" else set()
    unknown = sorted(set(kwargs) - known)
    if unknown:
        raise SealError(f"score_{scorer}: cannot seal the argument(s) {', '.join(unknown)}")
    qid = question_id
    spec: Spec = {
        "id": qid,
        "title": title,
        "objective": objective,
        "scorer": scorer,
        "points": kwargs["points"],
        "check": dict(check),
    }
    spec.update(
        {k: kwargs[k] for k in ("kind", "question", "options", "multiple", "count") if k in kwargs}
    )
    kind = str(kwargs.get("kind", "activity"))
    if scorer == "mapping":
        if not isinstance(key, Mapping):
            raise SealError("score_mapping: the key is not a dict")
        candidates = check.get("choices") if kind == "text" else None
        if candidates is not None:
            spec["candidates"] = list(candidates)
        spec["sealed"] = _seal_mapping(qid, key, kind, _universe(kind, candidates))
    elif scorer == "choice":
        letters, _ = _choices(kwargs.get("options"), kwargs.get("question"))
        wanted = set(str(key).upper())
        _require_within(sorted(wanted), letters, "the key")
        spec["sealed"] = {
            letter: seal(qid, letter, RIGHT if letter in wanted else WRONG) for letter in letters
        }
    elif scorer == "truth":
        parts = {"statement": key} if isinstance(key, bool) else key
        if not isinstance(parts, Mapping) or not all(isinstance(v, bool) for v in parts.values()):
            raise SealError("score_truth: the key is neither True/False nor a dict of them")
        spec["sealed"] = {str(p): seal(qid, str(p), str(v).lower()) for p, v in parts.items()}
        spec["parts"] = isinstance(key, Mapping)
    elif scorer == "names":
        ids = as_ids(list(key) if isinstance(key, Iterable) else [], kind)
        _require_within(ids, _universe(kind), "the key")
        spec["sealed"] = sorted(seal(qid, "name", i) for i in ids)
    else:
        spec["sealed"] = _seal_stream(qid, kwargs.get("scenario"))
    return spec


# --- unsealing: the key back, by sealing every candidate ---------------------------------------


def _seals(node: object) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        for value in node.values():
            yield from _seals(value)
    elif isinstance(node, list):
        for value in node:
            yield from _seals(value)


def validate(spec: Mapping[str, Any]) -> None:
    missing = [f for f in _SPEC_FIELDS if f not in spec]
    if missing:
        raise SealError(f"the self-paced spec lacks {', '.join(missing)}")
    if spec["scorer"] not in SCORERS:
        raise SealError(f"the self-paced spec names an unknown scorer {spec['scorer']!r}")
    plain = [s for s in _seals(spec["sealed"]) if not is_seal(s)]
    if plain:
        raise SealError(f"the self-paced spec of {spec['id']} holds a plain value: {plain[0]!r}")


@functools.lru_cache(maxsize=64)
def _constraint_candidates(qid: str) -> dict[str, Constraint]:
    """Every constraint a sealed rubric of ``qid`` can hold, by its digest: each kind,
    each weight of :data:`WEIGHTS`, each any-of set (or pair of sets) of activities."""
    acts = _universe("activity")
    groups = [
        combo for size in range(1, len(acts) + 1) for combo in itertools.combinations(acts, size)
    ]
    found: dict[str, Constraint] = {}
    for weight in WEIGHTS:
        for kind, grouped in _GROUPED.items():
            for group in groups:
                text = _constraint_text(kind, weight, group)
                found[seal(qid, "constraint", text)] = grouped(any_of=group, weight=weight)
        for kind, paired in _PAIRED.items():
            for first, then in itertools.product(groups, groups):
                text = _constraint_text(kind, weight, first, then)
                found[seal(qid, "constraint", text)] = paired(first=first, then=then, weight=weight)
    return found


def _stream_rubric(qid: str, sealed: Mapping[str, Any]) -> Rubric:
    """The rubric back from its digests (no ``why``: the reasons are not sealed)."""
    candidates = _constraint_candidates(qid)
    unknown = [d for d in sealed.get("constraints", []) if d not in candidates]
    if unknown:
        raise SealError(f"the self-paced spec of {qid} holds a constraint no checker knows")
    constraints = tuple(candidates[d] for d in sealed.get("constraints", []))
    if "budget" not in sealed:
        return Rubric(constraints)
    counts = {
        a: n
        for a in _universe("activity")
        for n in range(MAX_BUDGET + 1)
        if seal(qid, "budget", f"{a} {n}") in sealed["budget"]
    }
    return Rubric(constraints, Budget(counts))


def unseal(spec: Mapping[str, Any]) -> tuple[object, dict[str, Any]]:
    """The key and keyword arguments of the scorer that ``spec`` stands for.

    Found by sealing every candidate answer and keeping those whose digest is in
    the spec: what the learner's checker does, never stored.
    """
    validate(spec)
    qid, scorer, sealed = spec["id"], spec["scorer"], spec["sealed"]
    kwargs = {"points": spec["points"]}
    kwargs |= {
        k: spec[k] for k in ("kind", "question", "options", "multiple", "count") if k in spec
    }
    kind = str(spec.get("kind", "activity"))
    if scorer == "mapping":
        universe = _universe(kind, spec.get("candidates"))
        key: object = {
            slot: [c for c in universe if seal(qid, slot, c) in digests]
            for slot, digests in sealed.items()
        }
        return key, kwargs
    if scorer == "choice":
        letters = "".join(c for c, d in sealed.items() if d == seal(qid, c, RIGHT))
        return letters, kwargs
    if scorer == "truth":
        truth = {
            part: next((v for t, v in _TRUTH.items() if seal(qid, part, t) == d), None)
            for part, d in sealed.items()
        }
        return (truth if spec.get("parts") else truth["statement"]), kwargs
    if scorer == "names":
        return [c for c in _universe(kind) if seal(qid, "name", c) in sealed], kwargs
    kwargs.pop("kind", None)
    return _stream_rubric(qid, sealed), kwargs
