"""A small reader for the course material (the seed), used to prove that the
content model holds every fact of it. The seed is kept verbatim in
``tests/fixtures/seed.md``; ``test_seed_fixture_matches_shared_copy`` catches
drift from the shared original when it is present."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED = Path(__file__).parent / "fixtures" / "seed.md"


@dataclass
class SeedActivity:
    name: str
    purpose: str = ""
    lists: dict[str, list[str]] = field(default_factory=dict)
    example_title: str = ""
    example_steps: list[str] = field(default_factory=list)
    colour: str = ""
    summary: str = ""


def _sections(text: str, level: str) -> dict[str, str]:
    parts = re.split(rf"^{level} (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def _bullets(block: str) -> list[str]:
    return [m.strip() for m in re.findall(r"^- (.+)$", block, flags=re.M)]


def _numbered(block: str) -> list[str]:
    return [m.strip() for m in re.findall(r"^\d+\. (.+)$", block, flags=re.M)]


def _bold_list(section: str, label: str) -> list[str]:
    match = re.search(rf"\*\*{label}:\*\*\n((?:- .+\n?)+)", section)
    assert match, f"no {label} list in seed section"
    return _bullets(match.group(1))


def activities(text: str | None = None) -> list[SeedActivity]:
    text = text or SEED.read_text()
    out = []
    for title, body in _sections(text, "##").items():
        m = re.match(r"Activity \d+: (.+)", title)
        if not m:
            continue
        act = SeedActivity(m.group(1).strip())
        act.purpose = re.search(r"\*\*Purpose:\*\* (.+)", body).group(1).strip()  # type: ignore[union-attr]
        for label in ("Key Activities", "Key Outputs", "Practices That Support"):
            act.lists[label] = _bold_list(body, label)
        example = re.search(r"\*\*Example:\*\*\s*\n(.+?): (.+?)\.?\n", body)
        assert example
        act.example_title = example.group(1).strip()
        act.example_steps = [s.strip() for s in example.group(2).split("→")]
        out.append(act)
    mermaid = re.search(r"```mermaid\n(.+?)```", text, flags=re.S).group(1)  # type: ignore[union-attr]
    nodes = dict(re.findall(r"(\w+)\[([^\]<]+)<br/>", mermaid))
    summaries = dict(re.findall(r"\w+\[([^\]<]+)<br/>([^\]]+)\]", mermaid))
    colours = {nodes[k]: v for k, v in re.findall(r"style (\w+) fill:(#\w+)", mermaid)}
    for act in out:
        act.colour = colours[act.name]
        act.summary = summaries[act.name]
    return out


def value_streams(text: str | None = None) -> dict[str, list[tuple[str, str]]]:
    text = text or SEED.read_text()
    out = {}
    for title, body in _sections(text, "###").items():
        m = re.match(r"Example Value Stream: (.+)", title)
        if m:
            steps = re.findall(r"^\d+\. \*\*(.+?):\*\* (.+)$", body, flags=re.M)
            out[m.group(1).strip()] = [(a.strip(), b.strip()) for a, b in steps]
    return out


def patterns(text: str | None = None) -> list[list[str]]:
    text = text or SEED.read_text()
    block = _sections(text, "###")["Common Patterns"]
    return [[s.strip() for s in b.strip("*").split("→")] for b in _bullets(block)]


def improve_links(text: str | None = None) -> list[tuple[str, str]]:
    text = text or SEED.read_text()
    block = _sections(text, "###")["Improve Activity"]
    return re.findall(r"^- Improve → (.+?) \((.+)\)$", block, flags=re.M)


def objectives(text: str | None = None) -> list[str]:
    text = text or SEED.read_text()
    return _bullets(_sections(text, "##")["Learning Objectives"])


def practice_questions(text: str | None = None) -> list[str]:
    text = text or SEED.read_text()
    return _numbered(_sections(text, "##")["Practice Questions"])


def takeaways(text: str | None = None) -> list[tuple[str, str]]:
    text = text or SEED.read_text()
    items = _numbered(_sections(text, "##")["Key Takeaways"])
    return [tuple(re.match(r"\*\*(.+?):\*\* (.+)", i).groups()) for i in items]  # type: ignore[misc, union-attr]


def characteristics(text: str | None = None) -> list[str]:
    text = text or SEED.read_text()
    return re.findall(r"^- \*\*(.+?):\*\*", _sections(text, "###")["Key Characteristics"], re.M)


def related_topics(text: str | None = None) -> list[str]:
    text = text or SEED.read_text()
    return _bullets(_sections(text, "##")["Related Topics"])
