"""The top-level files of the student-only copy, derived from the kit's own.

Each is made from the kit's file so the two cannot drift apart:

- ``pyproject.toml``: the kit's, with the ``course`` package only (no
  ``autograder``, no console script, no development tools or their settings)
  and its ``lab`` extra (JupyterLab and nbgrader's Assignments panel);
- ``Makefile``: the kit's variables and its ``lab`` rule with the rules it
  needs, installing the course and its ``lab`` extra without development tools;
- ``README.md``: a short student introduction, then the kit's "On Binder" and
  "Trade mark" sections as they are.

Every function takes the kit's text and returns the student's; a kit file that
lacks what is needed is a :class:`StudentFileError` that says what is missing.
"""

from __future__ import annotations

import re

__all__ = [
    "StudentFileError",
    "student_gitignore",
    "student_makefile",
    "student_pyproject",
    "student_readme",
]


class StudentFileError(ValueError):
    """A kit file lacks what the student's version is made from."""


# --- pyproject.toml ----------------------------------------------------------------------------

_TABLE = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?\s*$", re.M)
_KEEP_TABLES = ("build-system", "project")
_STUDENT_SETUPTOOLS = (
    "[tool.setuptools]\n"
    "# The course package only: the student edition carries no grader.\n"
    'packages = { find = { include = ["course*"] } }\n'
)


def _tables(text: str) -> list[tuple[str, str]]:
    """(table name, its text including the header) in order; the preamble is named ''."""
    marks = list(_TABLE.finditer(text))
    out = [("", text[: marks[0].start()] if marks else text)]
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        out.append((mark.group(1), text[mark.start() : end]))
    return out


def student_pyproject(kit_text: str) -> str:
    """The kit's ``pyproject.toml`` cut down to the ``course`` package."""
    tables = dict(_tables(kit_text))
    missing = [
        name for name in (*_KEEP_TABLES, "tool.setuptools.package-data") if name not in tables
    ]
    if missing:
        raise StudentFileError("pyproject.toml has no " + ", ".join(f"[{m}]" for m in missing))
    course_data = re.search(r"^course\s*=.*$", tables["tool.setuptools.package-data"], re.M)
    if course_data is None:
        raise StudentFileError("pyproject.toml: [tool.setuptools.package-data] has no 'course'")
    lab_extra = re.search(
        r"^lab\s*=\s*\[.*?^\]\s*$", tables.get("project.optional-dependencies", ""), re.M | re.S
    )
    if lab_extra is None:
        raise StudentFileError(
            "pyproject.toml: [project.optional-dependencies] has no 'lab' extra "
            "(JupyterLab for the student's `make lab`)"
        )
    parts = [tables[name].rstrip() + "\n" for name in _KEEP_TABLES]
    parts.append("[project.optional-dependencies]\n" + lab_extra.group(0) + "\n")
    parts.append(_STUDENT_SETUPTOOLS)
    parts.append("[tool.setuptools.package-data]\n" + course_data.group(0) + "\n")
    return "\n".join(parts)


# --- Makefile ----------------------------------------------------------------------------------

_VARIABLE = re.compile(r"^[A-Z_]+\s*[:?+]?=")
_MAKE_HEADER = """\
# The course, student edition. A fresh machine needs Python 3.10+ and git:
#   make lab    set up (first run only) and open the course in JupyterLab
"""
_MAKE_HELP = """\
.PHONY: lab clean help

help:
\t@echo "make lab      open the course in JupyterLab"
\t@echo "make clean    remove the course's environment (.venv)"
"""
_MAKE_CLEAN = "clean:\n\trm -rf $(VENV)\n"


def _rule(kit_text: str, target: str) -> str:
    """The rule for ``target`` (its line and the recipe lines under it)."""
    lines = kit_text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(f"{target}:"):
            block = [line]
            for following in lines[index + 1 :]:
                if not following.startswith("\t"):
                    break
                block.append(following)
            return "\n".join(block) + "\n"
    raise StudentFileError(f"Makefile has no rule for {target}")


def student_makefile(kit_text: str) -> str:
    """``make lab`` (and ``make clean``), with the kit's own variables and rules."""
    variables = [line for line in kit_text.splitlines() if _VARIABLE.match(line)]
    if not variables:
        raise StudentFileError("Makefile sets no variables")
    rules = [_rule(kit_text, target) for target in ("$(STAMP)", "$(OVERRIDES)", "lab")]
    stamp = rules[0].replace("-e '.[dev]'", "-e '.[lab]'")
    if stamp == rules[0]:
        raise StudentFileError("Makefile: cannot drop the development tools from $(STAMP)")
    body = [_MAKE_HEADER, "\n".join(variables) + "\n", _MAKE_HELP, stamp, *rules[1:], _MAKE_CLEAN]
    return "\n".join(body)


# --- README.md ---------------------------------------------------------------------------------

_STUDENT_INTRO = """\
This is the student edition of the course: lessons, self-check quizzes, a value-stream
builder and practice questions, in JupyterLab.

```bash
make lab    # set up (first run only) and open the course in JupyterLab
```

A fresh machine needs Python 3.10+ and git: `make lab` creates `.venv/` and installs
the course into it on first use, then opens the start page,
`release/00-start-here/00-start-here.ipynb`. Work through the notebooks in order.

To hand in a graded notebook, do what your instructor asks: either use JupyterLab's
**Assignments** panel (menu **Nbgrader**), or upload the notebook file (for example
`06-practice.ipynb`: right-click it in the file browser, **Download**) to your course's
web site.
"""


def _section(kit_text: str, title: str) -> str | None:
    """The level-2 section called ``title`` (heading included), or ``None``."""
    found = re.search(rf"^## {re.escape(title)}\s*$.*?(?=^## |\Z)", kit_text, re.M | re.S)
    return found.group(0).rstrip() + "\n" if found else None


def student_readme(kit_text: str) -> str:
    """A student's README: the kit's title, how to start, the student's path, On Binder,
    Trade mark."""
    title = kit_text.splitlines()[0] if kit_text.startswith("# ") else None
    trade_mark = _section(kit_text, "Trade mark")
    if title is None or trade_mark is None:
        raise StudentFileError("README.md needs a '# ' title line and a '## Trade mark' section")
    sections = [title + "\n", _STUDENT_INTRO]
    for title_ in ("For students and self-paced learners", "On Binder"):
        section = _section(kit_text, title_)
        if section is not None:
            sections.append(section)
    sections.append(trade_mark)
    return "\n".join(sections)


def student_gitignore() -> str:
    return ".venv/\n__pycache__/\n*.egg-info/\n.ipynb_checkpoints/\nmy-work-*.zip\n"
