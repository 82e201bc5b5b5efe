"""Load ``course/content/*.yaml`` into the frozen model of :mod:`course.model`.

Every check that can fail names the file, the position and the reason
(:class:`~course.errors.ContentError`). Cross-file rules are checked here too:
value streams and practices may only name real activities, ids are unique,
and every activity is supported by at least one practice.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ._yamlread import Node, read_document
from .errors import ContentError, Problems
from .lookup import find_activity, normalise
from .model import (
    Activity,
    Characteristic,
    Course,
    Example,
    ImproveLink,
    Objective,
    Pattern,
    Practice,
    PracticeQuestion,
    Step,
    Takeaway,
    ValueStream,
)

__all__ = ["CONTENT_DIR", "CONTENT_ENV", "load_content", "load_course"]

#: Names another content folder to run the course on (an author's trial copy, the tests
#: of an adaptation); by default the package's own ``content/``.
CONTENT_ENV = "ITIL_COURSE_CONTENT"
CONTENT_DIR = Path(os.environ.get(CONTENT_ENV) or Path(__file__).parent / "content")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ACTIVITY_FIELDS = ("name", "summary", "colour", "purpose", "key_activities", "outputs", "example")
_ACTIVITY_HINTS = {
    "practices": "activities do not list their practices; list the activity under `supports` "
    "of the practice in practices.yaml"
}


@functools.lru_cache(maxsize=1)
def load_course() -> Course:
    """The course material shipped with the package (loaded once, then cached)."""
    return load_content(CONTENT_DIR)


def load_content(directory: str | Path) -> Course:
    """Load and validate the content files in ``directory`` (not cached).

    Every file, and every entry of a list, is checked on its own: a broken load raises
    one :class:`ContentError`, or :class:`~course.errors.ContentProblems` listing them all.
    Files that name activities are checked only once ``activities.yaml`` loads.
    """
    folder = Path(directory)
    problems = Problems()
    parts: dict[str, Any] = {}
    with problems.guard():
        parts.update(_chain(read_document(folder / "chain.yaml", folder)))
    with problems.guard():
        parts.update(_goals(read_document(folder / "objectives.yaml", folder), problems))
    activities: tuple[Activity, ...] | None = None
    with problems.guard():
        activities = _activities(read_document(folder / "activities.yaml", folder), problems)
    if activities is not None and not problems.errors:
        with problems.guard():
            doc = read_document(folder / "practices.yaml", folder)
            practices = _practices(doc, activities, problems)
            parts["practices"] = practices
            parts["activities"] = _attach_practices(activities, practices)
        with problems.guard():
            doc = read_document(folder / "value_streams.yaml", folder)
            parts.update(_streams(doc, activities, problems))
    problems.raise_any()
    return Course(**parts)


def _chain(chain: Node) -> dict[str, Any]:
    chain.only("title", "level", "definition", "place_in_svs", "characteristics", "reminder")
    return {
        "title": chain.str_field("title"),
        "level": chain.str_field("level"),
        "definition": chain.str_field("definition"),
        "place_in_svs": chain.str_field("place_in_svs"),
        "characteristics": tuple(
            Characteristic(item.str_field("name"), item.str_field("text"))
            for item in _entries(chain.field("characteristics"), "name", "text")
        ),
        "reminder": chain.str_field("reminder"),
    }


def _goals(goals: Node, problems: Problems) -> dict[str, Any]:
    goals.only("objectives", "practice_questions", "takeaways", "related_topics", "references")
    objectives = _objectives(goals)
    return {
        "objectives": objectives,
        "practice_questions": _practice_questions(goals, objectives, problems),
        "takeaways": tuple(
            Takeaway(item.str_field("title"), item.str_field("text"))
            for item in _entries(goals.field("takeaways"), "title", "text")
        ),
        "related_topics": goals.texts_field("related_topics"),
        "references": goals.texts_field("references"),
    }


def _streams(streams: Node, activities: tuple[Activity, ...], problems: Problems) -> dict[str, Any]:
    streams.only("definition", "combining", "rules", "improve_links", "examples", "patterns")
    rules = streams.field("rules")
    rules.only("any_order", "improve_connects_to_any")
    out: dict[str, Any] = {
        "value_stream_definition": streams.str_field("definition"),
        "value_stream_combining": streams.str_field("combining"),
        "rule_any_order": rules.str_field("any_order"),
        "rule_improve_connects_to_any": rules.str_field("improve_connects_to_any"),
    }
    links = []
    for item in _entries(streams.field("improve_links"), "to", "meaning"):
        with problems.guard():
            links.append(
                ImproveLink(_activity_ref(item.field("to"), activities), item.str_field("meaning"))
            )
    out["improve_links"] = tuple(links)
    out["value_streams"] = _value_streams(streams, activities, problems)
    patterns = []
    for item in _unique_ids(streams.field("patterns"), "steps", "meaning"):
        with problems.guard():
            patterns.append(
                Pattern(
                    id=_identifier(item.field("id")),
                    steps=tuple(_activity_ref(s, activities) for s in item.field("steps").items()),
                    meaning=item.str_field("meaning"),
                )
            )
    out["patterns"] = tuple(patterns)
    return out


def _identifier(node: Node) -> str:
    value = node.text()
    if not _ID.match(value):
        node.fail(f"{value!r} is not a valid id (lower-case words joined by '-')")
    return value


def _entries(sequence: Node, *fields: str) -> list[Node]:
    """The items of ``sequence``, each a mapping with no field but ``fields``."""
    items = list(sequence.items())
    for item in items:
        item.only(*fields)
    return items


def _unique_ids(sequence: Node, *fields: str, hints: dict[str, str] | None = None) -> list[Node]:
    """The items of ``sequence`` (fields ``id`` and ``fields``), checking the ids are unique."""
    seen: set[str] = set()
    items = list(sequence.items())
    for item in items:
        item.only("id", *fields, hints=hints)
        id_node = item.field("id")
        value = _identifier(id_node)
        if value in seen:
            id_node.fail(f"duplicate id {value!r}")
        seen.add(value)
    return items


def _activity_ref(node: Node, activities: Iterable[Activity]) -> str:
    """The id of the activity that ``node`` names, or a ContentError."""
    choices = list(activities)
    found = find_activity(node.text(), choices)
    if found is None:
        valid = ", ".join(a.id for a in choices)
        node.fail(f"unknown activity {node.text()!r}; the activities are: {valid}")
    return found.id


def _activities(doc: Node, problems: Problems) -> tuple[Activity, ...]:
    doc.only("activities")
    result = []
    items = _unique_ids(doc.field("activities"), *_ACTIVITY_FIELDS, hints=_ACTIVITY_HINTS)
    for number, item in enumerate(items, start=1):
        with problems.guard():
            result.append(_activity(item, number))
    keys = [normalise(a.name) for a in result]
    if len(set(keys)) != len(keys):
        doc.field("activities").fail("two activities have the same name")
    return tuple(result)


def _activity(item: Node, number: int) -> Activity:
    colour = item.field("colour")
    if not _COLOUR.match(colour.text()):
        colour.fail(f"{colour.text()!r} is not a colour like '#e1f5ff'")
    example = item.field("example")
    example.only("title", "steps")
    return Activity(
        id=item.str_field("id"),
        name=item.str_field("name"),
        number=number,
        summary=item.str_field("summary"),
        colour=colour.text().lower(),
        purpose=item.str_field("purpose"),
        key_activities=item.texts_field("key_activities"),
        outputs=item.texts_field("outputs"),
        practices=(),
        example=Example(example.str_field("title"), example.texts_field("steps")),
    )


def _practices(
    doc: Node, activities: tuple[Activity, ...], problems: Problems
) -> tuple[Practice, ...]:
    doc.only("practices")
    result: list[Practice] = []
    seen: dict[str, str] = {}
    for item in _unique_ids(doc.field("practices"), "name", "supports", "aliases"):
        with problems.guard():
            result.append(_practice(item, activities, seen))
    return tuple(result)


def _practice(item: Node, activities: tuple[Activity, ...], seen: dict[str, str]) -> Practice:
    supports = tuple(_activity_ref(ref, activities) for ref in item.field("supports").items())
    aliases = item.texts_field("aliases") if item.has("aliases") else ()
    practice = Practice(item.str_field("id"), item.str_field("name"), supports, aliases)
    for spelling in (practice.name, *aliases):
        other = seen.setdefault(normalise(spelling), practice.name)
        if other != practice.name:
            where = item.field("aliases" if spelling in aliases else "name")
            where.fail(f"{spelling!r} already names the practice {other!r}")
    return practice


def _attach_practices(
    activities: tuple[Activity, ...], practices: tuple[Practice, ...]
) -> tuple[Activity, ...]:
    """Derive each activity's practices from the practices' ``supports``."""
    out = []
    for item in activities:
        names = tuple(p.name for p in practices if item.id in p.supports)
        if not names:
            raise ContentError(
                "practices.yaml",
                f"no practice supports the activity {item.name!r}; "
                "every activity needs at least one supporting practice",
                where="practices",
            )
        out.append(Activity(**{**item.__dict__, "practices": names}))
    return tuple(out)


def _value_streams(
    doc: Node, activities: tuple[Activity, ...], problems: Problems
) -> tuple[ValueStream, ...]:
    result = []
    for item in _unique_ids(doc.field("examples"), "name", "steps"):
        with problems.guard():
            steps = tuple(
                Step(_activity_ref(step.field("activity"), activities), step.str_field("action"))
                for step in _entries(item.field("steps"), "activity", "action")
            )
            result.append(ValueStream(item.str_field("id"), item.str_field("name"), steps))
    return tuple(result)


def _objectives(doc: Node) -> tuple[Objective, ...]:
    return tuple(
        Objective(id=item.str_field("id"), number=number, title=item.str_field("title"))
        for number, item in enumerate(_unique_ids(doc.field("objectives"), "title"), start=1)
    )


def _practice_questions(
    doc: Node, objectives: tuple[Objective, ...], problems: Problems
) -> tuple[PracticeQuestion, ...]:
    known = {o.id for o in objectives}
    result = []
    for number, item in enumerate(
        _unique_ids(doc.field("practice_questions"), "objective", "text"), start=1
    ):
        with problems.guard():
            result.append(_practice_question(item, number, known))
    return tuple(result)


def _practice_question(item: Node, number: int, known: set[str]) -> PracticeQuestion:
    objective = item.field("objective")
    if objective.text() not in known:
        objective.fail(
            f"unknown learning objective {objective.text()!r}; "
            f"the objectives are: {', '.join(sorted(known))}"
        )
    return PracticeQuestion(
        id=item.str_field("id"),
        number=number,
        objective=objective.text(),
        text=item.str_field("text"),
    )
