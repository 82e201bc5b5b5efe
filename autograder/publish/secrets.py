"""The one rule for which lines of a source notebook are secret.

A line is secret when it sits inside a solution region (``### BEGIN SOLUTION``
... ``### END SOLUTION``) or a hidden test (``### BEGIN HIDDEN TESTS`` ...
``### END HIDDEN TESTS``), is long enough to be recognised (8 characters or
more once stripped, with a letter or digit), is not a comment, and is not also
shown outside every region of the same notebooks (the ``answer = {`` that
opens both the placeholder and the solution is public, not a key).

The graded value-stream questions' keys are the other secret of the kit: every
note and reason of :data:`GRADED_KEYS` (:func:`key_lines`).

Everything that guards a secret calls :func:`secret_lines`: masking printed
values in the autograded notebook and the feedback guard (hidden tests only: a
student's own correct answer may rightly equal a solution line), the student
copy and the release leak test (both kinds), and the tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal

import yaml

from course.scenarios import KEYS_FILE

__all__ = [
    "BOTH",
    "GRADED_KEYS",
    "HIDDEN",
    "Region",
    "cell_sources",
    "key_lines",
    "notebook_secrets",
    "secret_lines",
]

Region = Literal["SOLUTION", "HIDDEN TESTS"]
#: Hidden tests only (what a student's feedback must never show).
HIDDEN: tuple[Region, ...] = ("HIDDEN TESTS",)
#: Solutions and hidden tests (what a student's copy must never hold).
BOTH: tuple[Region, ...] = ("SOLUTION", "HIDDEN TESTS")

_REGION = re.compile(r"BEGIN (SOLUTION|HIDDEN TESTS)(.*?)END (SOLUTION|HIDDEN TESTS)", re.S)
_MIN_LENGTH = 8
#: The graded value-stream questions' keys (model answers, rubrics): in ``course/``, yet
#: instructor-only; the course reads it when present (:mod:`course.scenarios`).
GRADED_KEYS = f"course/content/{KEYS_FILE}"


def _meaningful(line: str) -> bool:
    return len(line) >= _MIN_LENGTH and bool(re.search(r"\w", line)) and not line.startswith("#")


def secret_lines(
    cells: Iterable[tuple[str, str]], regions: Sequence[Region] = BOTH
) -> dict[str, str]:
    """Each secret line (stripped) of ``cells`` -> where it is.

    ``cells`` are ``(where, source)`` pairs (``where`` names the notebook and the
    cell, for messages); ``regions`` are the kinds of region whose lines are secret.
    """
    found: dict[str, str] = {}
    public: list[str] = []
    for where, source in cells:
        public.append(_REGION.sub("", source))
        for region in _REGION.finditer(source):
            if region.group(1) not in regions:
                continue
            for line in region.group(2).splitlines()[1:]:  # [0] ends the BEGIN line
                text = line.strip()
                if _meaningful(text):
                    found.setdefault(text, where)
    shown = "\n".join(public)
    return {line: where for line, where in found.items() if line not in shown}


def cell_sources(path: Path, label: str | None = None) -> list[tuple[str, str]]:
    """``(where, source)`` of every cell of the notebook at ``path``, read as plain JSON."""
    data = json.loads(path.read_text(encoding="utf-8"))
    name = label or path.name
    pairs = []
    for number, cell in enumerate(data.get("cells", []), start=1):
        source = cell.get("source", "")
        pairs.append(
            (f"{name}, cell {number}", "".join(source) if isinstance(source, list) else str(source))
        )
    return pairs


def notebook_secrets(
    paths: Iterable[Path], regions: Sequence[Region] = BOTH, relative_to: Path | None = None
) -> dict[str, str]:
    """:func:`secret_lines` of the notebooks at ``paths`` (checkpoints skipped)."""
    cells: list[tuple[str, str]] = []
    for path in sorted(paths):
        if ".ipynb_checkpoints" in path.parts:
            continue
        label = path.relative_to(relative_to).as_posix() if relative_to else path.name
        cells.extend(cell_sources(path, label))
    return secret_lines(cells, regions)


def _prose(path: Path) -> Iterator[tuple[str, int, int]]:
    """Every string of the YAML file ``path`` that is prose (text with a space, 8+
    characters), whitespace collapsed, with the first and last line it spans."""
    stack = [yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str"):
            text = " ".join(str(node.value).split())
            if len(text) >= 8 and " " in text:
                yield text, node.start_mark.line, node.end_mark.line


def key_lines(keys: Path) -> dict[str, str]:
    """Each note and reason of the graded keys ``keys`` -> where, and each line of the file
    they span, unless ``scenarios.yaml`` beside it says the same (a public exercise's).

    A copy holding one of these would hold a graded question's model answer or rubric.
    """
    if not keys.is_file():
        return {}
    public = keys.parent / "scenarios.yaml"
    shown = ""
    if public.is_file():
        prose = "\n".join(text for text, _, _ in _prose(public))
        shown = public.read_text(encoding="utf-8") + "\n" + prose
    raw = keys.read_text(encoding="utf-8").splitlines()
    found: dict[str, str] = {}
    for text, first, last in _prose(keys):
        if text in shown:
            continue
        found.setdefault(text, f"{keys.name}, line {first + 1}")
        for number in range(first, min(last + 1, len(raw))):
            line = raw[number].strip()
            if len(line) >= 20 and line in text and line not in shown:
                found.setdefault(line, f"{keys.name}, line {number + 1}")
    return found
