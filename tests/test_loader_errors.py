"""A broken content file fails loudly: file, line, column, place and reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course import ContentError, load_content
from course.errors import ContentProblems
from course.loader import CONTENT_DIR

from .content_support import break_file


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the shipped content files, for breaking."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _error(folder: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        load_content(folder)
    return info.value


def test_the_shipped_content_loads(content: Path) -> None:
    assert len(load_content(content).activities) == 6


def test_bad_yaml_names_file_line_and_column(content: Path) -> None:
    """A YAML syntax error points at the line where the parser gave up."""
    break_file(
        content, "activities.yaml", "    summary: Continual improvement", "    summary: [oops"
    )
    err = _error(content)
    assert err.file == "activities.yaml"
    assert err.line is not None
    assert err.column is not None
    assert "not valid YAML" in str(err)
    assert str(err).startswith(f"activities.yaml, line {err.line}, column {err.column}")


def test_missing_field_names_the_activity_and_the_field(content: Path) -> None:
    """Dropping Engage's purpose says which entry lacks which field."""
    text = (content / "activities.yaml").read_text()
    start = text.index("    purpose: >-\n      To work with stakeholders")
    end = text.index("    key_activities:", start)
    (content / "activities.yaml").write_text(text[:start] + text[end:])
    err = _error(content)
    assert err.where == "activities[2]"
    assert "missing required field 'purpose'" in str(err)
    assert (
        err.line
        == (content / "activities.yaml").read_text().splitlines().index("  - id: engage") + 1
    )


def test_unknown_activity_in_a_value_stream(content: Path) -> None:
    """A step naming no activity says where, what, and lists the valid ids."""
    break_file(
        content,
        "value_streams.yaml",
        "activity: obtain-build\n        action: Get",
        "activity: buy stuff\n        action: Get",
    )
    err = _error(content)
    assert err.file == "value_streams.yaml"
    assert err.where == "examples[1].steps[1].activity"
    assert "unknown activity 'buy stuff'" in str(err)
    assert "plan, improve, engage, design-transition, obtain-build, deliver-support" in str(err)


def test_practice_pointing_at_no_activity(content: Path) -> None:
    """A practice that supports an unknown activity is refused at its own line."""
    break_file(
        content, "practices.yaml", "supports: [engage, obtain-build]", "supports: [engage, procure]"
    )
    err = _error(content)
    assert err.file == "practices.yaml"
    assert err.where == "practices[9].supports[1]"
    assert "unknown activity 'procure'" in str(err)


def test_practice_with_no_activity_at_all(content: Path) -> None:
    break_file(
        content,
        "practices.yaml",
        "supports: [plan]\n  - id: portfolio",
        "supports: []\n  - id: portfolio",
    )
    err = _error(content)
    assert err.where == "practices[0].supports"
    assert "the list is empty" in str(err)


def test_activity_left_without_a_practice(content: Path) -> None:
    """Every activity must be supported by at least one practice."""
    text = (content / "practices.yaml").read_text()
    for line in ("supports: [improve]",):
        text = text.replace(line, "supports: [plan]")
    (content / "practices.yaml").write_text(text)
    err = _error(content)
    assert "no practice supports the activity 'Improve'" in str(err)


def test_duplicate_id(content: Path) -> None:
    break_file(
        content, "value_streams.yaml", "id: change-implementation", "id: incident-resolution"
    )
    err = _error(content)
    assert err.where == "examples[2].id"
    assert "duplicate id 'incident-resolution'" in str(err)


def test_wrong_type_says_what_it_found(content: Path) -> None:
    break_file(
        content,
        "activities.yaml",
        "    outputs:\n      - Plans\n      - Strategies\n      - Objectives\n"
        "      - Resource allocations",
        "    outputs: 4",
    )
    err = _error(content)
    assert err.where == "activities[0].outputs"
    assert "expected a list, found the value '4'" in str(err)


def test_unknown_objective_in_a_practice_question(content: Path) -> None:
    break_file(content, "objectives.yaml", "objective: value-streams", "objective: streams")
    err = _error(content)
    assert err.where == "practice_questions[2].objective"
    assert "unknown learning objective 'streams'" in str(err)


def test_bad_colour(content: Path) -> None:
    break_file(content, "activities.yaml", 'colour: "#fff4e1"', "colour: orange")
    err = _error(content)
    assert err.where == "activities[1].colour"
    assert "'orange' is not a colour" in str(err)


def test_missing_and_empty_files(content: Path) -> None:
    (content / "chain.yaml").unlink()
    assert "chain.yaml: the content file is missing" in str(_error(content))
    (content / "chain.yaml").write_text("")
    assert "chain.yaml: the file is empty" in str(_error(content))
    (content / "chain.yaml").write_text("- a list\n")
    assert "expected a mapping" in str(_error(content))


def test_duplicate_key(content: Path) -> None:
    break_file(content, "chain.yaml", "level: Foundation", "level: Foundation\nlevel: Advanced")
    err = _error(content)
    assert "duplicate key 'level'" in str(err)
    assert err.line == 5


def _line_of(folder: Path, file: str, line: str) -> int:
    return (folder / file).read_text().splitlines().index(line) + 1


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "fields"),
    [
        (
            "chain.yaml",
            "level: Foundation",
            "level: Foundation\nlevle: Advanced",
            "levle",
            "title, level, definition, place_in_svs, characteristics, reminder",
        ),
        (
            "activities.yaml",
            "    name: Plan\n",
            "    name: Plan\n    purpse: Typo\n",
            "activities[0].purpse",
            "id, name, summary, colour, purpose, key_activities, outputs, example",
        ),
        (
            "practices.yaml",
            "    name: Strategy Management\n",
            "    name: Strategy Management\n    suports: [plan]\n",
            "practices[0].suports",
            "id, name, supports, aliases",
        ),
        (
            "value_streams.yaml",
            "        action: Understand customer requirements\n",
            "        action: Understand customer requirements\n        owner: Service Desk\n",
            "examples[0].steps[0].owner",
            "activity, action",
        ),
        (
            "objectives.yaml",
            "  - title: Six activities\n",
            "  - title: Six activities\n    txt: oops\n",
            "takeaways[0].txt",
            "title, text",
        ),
    ],
)
def test_unknown_field_names_file_line_path_and_the_valid_fields(
    content: Path, file: str, old: str, new: str, where: str, fields: str
) -> None:
    """A key the loader does not read (a typo, most likely) is refused, not ignored."""
    break_file(content, file, old, new)
    err = _error(content)
    key = where.rsplit(".", 1)[-1]
    assert err.file == file
    assert err.where == where
    assert err.reason == f"unknown field {key!r}; the fields here are: {fields}"
    assert err.line is not None
    line = (content / file).read_text().splitlines()[err.line - 1]
    assert line.lstrip(" -").startswith(f"{key}:")
    assert err.column == line.index(key) + 1


def test_unknown_field_in_a_nested_mapping(content: Path) -> None:
    """The check reaches mappings nested in the document too, such as the value-stream rules."""
    break_file(content, "value_streams.yaml", "  any_order: >-", "  any_ordr: >-")
    err = _error(content)
    assert err.where == "rules.any_ordr"
    assert "the fields here are: any_order, improve_connects_to_any" in str(err)
    assert err.line == _line_of(content, "value_streams.yaml", "  any_ordr: >-")


def test_practices_under_an_activity_point_to_practices_yaml(content: Path) -> None:
    """Practices are kept in practices.yaml; listing them under an activity says so."""
    break_file(
        content,
        "activities.yaml",
        "    name: Plan\n",
        "    name: Plan\n    practices: [Service Desk]\n",
    )
    err = _error(content)
    assert err.file == "activities.yaml"
    assert err.where == "activities[0].practices"
    assert err.line == _line_of(content, "activities.yaml", "    practices: [Service Desk]")
    assert "unknown field 'practices'" in err.reason
    assert "list the activity under `supports` of the practice in practices.yaml" in err.reason


def test_an_alias_that_already_names_another_practice_is_refused(tmp_path: Path) -> None:
    """A typed name must resolve to one practice: two practices may not share a spelling."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    break_file(
        folder,
        "practices.yaml",
        "aliases: [Software Development and Management]",
        "aliases: [Software Development and Management, Service Desk]",
    )
    with pytest.raises(ContentError) as info:
        load_content(folder)
    assert info.value.file == "practices.yaml"
    assert "'Service Desk' already names the practice 'Development and Management'" in str(
        info.value
    )


def test_every_broken_file_and_entry_is_reported_not_only_the_first(content: Path) -> None:
    """Two broken activities and a broken objectives file: three errors, each placed."""
    break_file(content, "activities.yaml", 'colour: "#e1f5ff"', 'colour: "blue"')
    break_file(content, "activities.yaml", 'colour: "#e0f2f1"', 'colour: "teal"')
    break_file(content, "objectives.yaml", "  - id: what-is-svc", "  - id: What Is SVC")
    with pytest.raises(ContentProblems) as info:
        load_content(content)
    errors = info.value.errors
    assert [(e.file, e.where) for e in errors] == [
        ("objectives.yaml", "objectives[0].id"),
        ("activities.yaml", "activities[0].colour"),
        ("activities.yaml", "activities[5].colour"),
    ]
    assert [e.reason for e in errors[1:]] == [
        "'blue' is not a colour like '#e1f5ff'",
        "'teal' is not a colour like '#e1f5ff'",
    ]
    message = str(info.value)
    assert message.startswith("3 problems:\n  - objectives.yaml, line ")
    assert all(f"  - {e}" in message for e in errors)


def test_check_lists_every_problem_of_the_content(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from autograder.cli import main

    break_file(content, "activities.yaml", 'colour: "#e1f5ff"', 'colour: "blue"')
    break_file(content, "activities.yaml", 'colour: "#e0f2f1"', 'colour: "teal"')
    assert main(["check", str(content)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "content: 2 problems"
    assert out[1].startswith("  - activities.yaml, line ")
    assert out[1].endswith("(activities[0].colour): 'blue' is not a colour like '#e1f5ff'")
    assert out[2].endswith("(activities[5].colour): 'teal' is not a colour like '#e1f5ff'")
    assert out[3:] == [
        "quiz bank: not checked: the content must load first",
        "scenarios: not checked: the content must load first",
        "graded keys: not checked: the content must load first",
    ]
