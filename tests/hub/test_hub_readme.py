"""The README's "On JupyterHub" section quotes the configuration the hub test runs.

Each file of ``tests/hub/`` that the hub test loads as configuration is quoted in the
section, whole, in the ``python`` block right after an HTML comment that names it; an edit
to either side that the other does not follow fails here. No hub is started.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEADING = "## On JupyterHub"
QUOTED = ["jupyterhub_config.py", "nbgrader_config.py", "course_nbgrader_config.py"]
_QUOTE = re.compile(r"^<!-- (tests/hub/[\w.]+) -->\n```python\n(.*?)^```$", re.M | re.S)


def hub_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.find(f"\n{HEADING}\n")
    assert start != -1, f"README.md has no '{HEADING}' section"
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def quotes() -> dict[str, str]:
    found: dict[str, str] = {}
    for name, body in _QUOTE.findall(hub_section()):
        assert name not in found, f"{name} is quoted twice"
        found[name] = body
    return found


def test_the_section_quotes_each_configuration_file_once() -> None:
    assert sorted(quotes()) == sorted(f"tests/hub/{name}" for name in QUOTED)


@pytest.mark.parametrize("name", QUOTED)
def test_the_quote_is_the_file_the_test_loads(name: str) -> None:
    assert quotes()[f"tests/hub/{name}"] == (REPO / "tests" / "hub" / name).read_text("utf-8")


def test_the_section_covers_several_courses_and_the_owner_check() -> None:
    section = hub_section()
    for needed in (
        "**Several courses on one hub.**",
        "c.Exchange.path_includes_course = True",
        "c.CourseDirectory.course_id",
        "**Instead of `check_owner = False`.**",
        "chmod 1777",
    ):
        assert needed in section, needed
