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
- :func:`course.graded._verdict.self_check`, which the edition's check cells
  call, scores with the very scorer the instructor's grading uses on that key.

So the self-paced score of an answer is the graded score of that answer by
construction: one scoring rule, one answer key (the hidden tests). As with the
self-check quizzes, sealing keeps keys out of sight of a reader of the files;
it is no defence against running the checker on every possible answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..loader import load_course
from ..quizbank.keys import RIGHT, WRONG, is_seal, seal
from ._common import as_ids
from ._grade import _choices

__all__ = ["SCORERS", "SealError", "seal_spec", "unseal", "validate"]

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


def _seal_stream(qid: str, kwargs: Mapping[str, Any]) -> Spec:
    sealed: Spec = {}
    for end in ("start", "end"):
        if kwargs.get(end):
            sealed[end] = sorted(seal(qid, end, a) for a in as_ids(kwargs[end], "activity"))
    sealed["require"] = [
        sorted(seal(qid, f"require {n}", a) for a in as_ids(group, "activity"))
        for n, group in enumerate(kwargs.get("require", ()))
    ]
    sealed["before"] = [
        sorted(
            seal(qid, f"before {n} {a}", b)
            for a, b in itertools.product(as_ids(first, "activity"), as_ids(then, "activity"))
        )
        for n, (first, then) in enumerate(kwargs.get("before", ()))
    ]
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
    ``key`` its key argument (``None`` for a stream, whose key is its keyword
    arguments), ``kwargs`` its keyword arguments and ``check`` the keyword
    arguments of the visible check, which stay as they are (they are public).
    """
    if scorer not in SCORERS:
        raise SealError(
            f"score_{scorer} has no self-paced form; the ones that do: "
            + ", ".join(f"score_{s}" for s in SCORERS)
        )
    known = {"points", "kind", "question", "options", "multiple", "count"}
    known |= {"start", "end", "require", "before"} if scorer == "stream" else set()
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
        spec["sealed"] = _seal_stream(qid, kwargs)
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


def _stream_key(qid: str, sealed: Mapping[str, Any]) -> dict[str, Any]:
    acts = _universe("activity")
    out: dict[str, Any] = {}
    for end in ("start", "end"):
        if end in sealed:
            out[end] = [a for a in acts if seal(qid, end, a) in sealed[end]]
    out["require"] = [
        [a for a in acts if seal(qid, f"require {n}", a) in group]
        for n, group in enumerate(sealed.get("require", []))
    ]
    before = []
    for n, group in enumerate(sealed.get("before", [])):
        pairs = [
            (a, b)
            for a, b in itertools.product(acts, acts)
            if seal(qid, f"before {n} {a}", b) in group
        ]
        before.append(
            (list(dict.fromkeys(a for a, _ in pairs)), list(dict.fromkeys(b for _, b in pairs)))
        )
    out["before"] = before
    return out


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
    return None, kwargs | _stream_key(qid, sealed)
