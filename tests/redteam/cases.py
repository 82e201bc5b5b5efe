"""The red team's submissions: hostile or broken, each with the grade it must get.

Every case is one student of the fixture assignment ``ps1`` (``problems``:
q1 2 points, q2 1, q3 4; ``bonus``: q4 2). A case gives the answer cells it
changes (the others hold the correct answers), or whole notebooks, and the
exact score per question and the exact reasons for review it must get.
Hostile code knows the course's absolute paths (``{course}``, ``{canary}``,
``{gradebook}``, ``{home}``, ``{hostpath}``, ``{port}`` are filled in).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from nbformat import NotebookNode

from tests.autograder.fixtures.course_fixture import CORRECT, WRONG

ALL_RIGHT = {"q1-test": 2.0, "q2-test": 1.0, "q3-test": 4.0, "q4-test": 2.0}
PROBLEMS_WRONG = {"q1-test": 0.0, "q2-test": 0.0, "q3-test": 0.0, "q4-test": 2.0}
P = "problems.ipynb"

Edit = Callable[[NotebookNode], NotebookNode]


@dataclass(frozen=True)
class Case:
    student: str
    what: str
    answers: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float | None] = field(default_factory=lambda: dict(ALL_RIGHT))
    reasons: tuple[str, ...] = ()
    raw: dict[str, str | bytes | None] = field(default_factory=dict)  # notebook -> file content
    edit: Edit | None = None  # applied to the problems notebook

    def notebook_answers(self) -> dict[str, str]:
        return {**CORRECT, **self.answers}


def _wrong(**extra: str) -> dict[str, str]:
    """Wrong answers in ``problems`` (the bonus stays right), plus ``extra``."""
    return {**WRONG, "q4-answer": CORRECT["q4-answer"], **extra}


def _cells_without_tests(nb: NotebookNode) -> NotebookNode:
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    return nb


def _tests_replaced(nb: NotebookNode) -> NotebookNode:
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "pass"
    return nb


def _fake_grade_cells(nb: NotebookNode) -> NotebookNode:
    fake = copy.deepcopy(next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")))
    fake.source = "pass"
    fake.id = "fake-1"
    invented = copy.deepcopy(fake)
    invented.id = "fake-2"
    invented.metadata["nbgrader"]["grade_id"] = "evil"
    invented.metadata["nbgrader"]["points"] = 100
    nb.cells[1:1] = [fake, invented]
    return nb


def _tampered_metadata(nb: NotebookNode) -> NotebookNode:
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            meta.update(grade=True, points=100)
        elif meta.get("grade"):
            meta.update(locked=False, points=0)
    return nb


def _renamed_ids(nb: NotebookNode) -> NotebookNode:
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            meta["grade_id"] = "renamed-" + meta["grade_id"]
    return nb


def _duplicated_ids(nb: NotebookNode) -> NotebookNode:
    index = next(
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == "q1-answer"
    )
    early = copy.deepcopy(nb.cells[index])
    early.source = WRONG["q1-answer"]
    early.id = "early-answer"
    test = copy.deepcopy(nb.cells[index + 1])
    test.id = "early-test"
    nb.cells[index:index] = [early, test]
    return nb


_UNREADABLE = P + ": the answers read by {test} could not be read ({why})"
_TRANSFORMER = 'get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])'

CASES: list[Case] = [
    # --- point 3: tests cannot be neutralised --------------------------------------------
    Case(
        "transformer-wrong",
        "an input transformer that empties every later cell, with wrong answers",
        {"q1-answer": f"{_TRANSFORMER}\n{WRONG['q1-answer']}", "q2-answer": 'answer = "C"'},
        dict(PROBLEMS_WRONG),
    ),
    Case(
        "transformer-right",
        "an input transformer registered after right answers",
        {"q3-answer": f"{CORRECT['q3-answer']}\n{_TRANSFORMER}"},
    ),
    Case(
        "ast-transformer",
        "an AST transformer that deletes every assert",
        _wrong(
            **{
                "q1-answer": "import ast\n"
                "class NoAsserts(ast.NodeTransformer):\n"
                "    def visit_Assert(self, node):\n"
                "        return ast.Pass()\n"
                "get_ipython().ast_transformers.append(NoAsserts())\n" + WRONG["q1-answer"]
            }
        ),
        dict(PROBLEMS_WRONG),
    ),
    Case(
        "cell-hooks",
        "pre/post-run-cell hooks that swallow errors",
        _wrong(
            **{
                "q1-answer": "def quiet(result=None):\n"
                "    if result is not None:\n"
                "        result.error_in_exec = None\n"
                "get_ipython().events.register('post_run_cell', quiet)\n"
                "get_ipython().events.register('pre_run_cell', lambda info: None)\n"
                + WRONG["q1-answer"]
            }
        ),
        dict(PROBLEMS_WRONG),
    ),
    Case(
        "custom-exc",
        "a custom exception handler and a silenced traceback",
        _wrong(
            **{
                "q1-answer": "get_ipython().set_custom_exc((BaseException,), "
                "lambda *a, **k: None)\n"
                "get_ipython().showtraceback = lambda *a, **k: None\n" + WRONG["q1-answer"]
            }
        ),
        dict(PROBLEMS_WRONG),
    ),
    Case(
        "rebind-builtins",
        "builtins and assert machinery rebound",
        _wrong(
            **{
                "q1-answer": "import builtins, sys\n"
                "builtins.AssertionError = type('AssertionError', (Exception,), {})\n"
                "builtins.sum = lambda *a, **k: 4.0\n"
                "builtins.zip = lambda *a: [('x', 'x')] * 4\n"
                "sys.excepthook = lambda *a: None\n"
                "sys.displayhook = lambda *a: None\n" + WRONG["q1-answer"]
            }
        ),
        dict(PROBLEMS_WRONG),
    ),
    Case(
        "kernel-breaking-builtins",
        "isinstance and len rebound: the student's own kernel stops working",
        _wrong(
            **{
                "q1-answer": "import builtins\n"
                "builtins.isinstance = lambda *a: True\n"
                "builtins.len = lambda *a: 6\n" + WRONG["q1-answer"]
            }
        ),
        dict(PROBLEMS_WRONG),
        (
            *(
                _UNREADABLE.format(test=t, why="the kernel was gone")
                for t in ("q1-test", "q2-test", "q3-test")
            ),
            f"{P}: the kernel stopped responding during q1-answer (In [2]) and was shut down",
        ),
    ),
    Case(
        "patched-modules",
        "the course package monkeypatched in the student's kernel",
        _wrong(
            **{
                "q1-answer": "import course\n"
                "course.activity = lambda name: course.load_course().activities[0]\n"
                "course.load_course = lambda: None\n" + WRONG["q1-answer"],
            }
        ),
        dict(PROBLEMS_WRONG),
    ),
    Case(
        "patched-run-cell",
        "the kernel's run_cell replaced after right answers to q1 and q2",
        {"q3-answer": WRONG["q3-answer"] + "\nget_ipython().run_cell = lambda *a, **k: None"},
        {**ALL_RIGHT, "q3-test": 0.0},
        (_UNREADABLE.format(test="q3-test", why="the kernel did not answer in time"),),
    ),
    Case(
        "rigged-eq",
        "a list subclass whose __eq__ is always True",
        {
            "q1-answer": "class Yes(list):\n"
            "    def __eq__(self, other):\n"
            "        return True\n"
            "    __hash__ = None\n"
            "activities = Yes(['Plan'])"
        },
        {**ALL_RIGHT, "q1-test": 0.0},
        (f"{P}: answer 'activities' (read by q1-test) is a Yes object, not a plain value",),
    ),
    Case(
        "rigged-hash",
        "a str subclass with a rigged __eq__ and __hash__",
        {
            "q2-answer": "class S(str):\n"
            "    def __eq__(self, other):\n"
            "        return True\n"
            "    def __hash__(self):\n"
            "        return hash('C')\n"
            "answer = S('A')"
        },
        {**ALL_RIGHT, "q2-test": 0.0},
        (f"{P}: answer 'answer' (read by q2-test) is a S object, not a plain value",),
    ),
    Case(
        "rigged-nested",
        "rigged objects inside a plain dict",
        {
            "q4-answer": "class R:\n"
            "    def __eq__(self, other):\n"
            "        return True\n"
            "practice_activity = {'Incident Management': R(), 'Relationship Management': R()}"
        },
        {**ALL_RIGHT, "q4-test": 0.0},
        (
            "bonus.ipynb: answer 'practice_activity' (read by q4-test) is a R object, "
            "not a plain value",
        ),
    ),
    Case(
        "sys-exit",
        "sys.exit() after right answers (the kernel survives it)",
        {"q3-answer": CORRECT["q3-answer"] + "\nimport sys\nsys.exit(1)"},
    ),
    Case(
        "os-exit",
        "os._exit() in the third answer cell",
        {"q3-answer": "import os\nos._exit(0)"},
        {**ALL_RIGHT, "q3-test": 0.0},
        (
            _UNREADABLE.format(test="q3-test", why="the kernel was gone"),
            f"{P}: the kernel died while running q3-answer (In [4])",
        ),
    ),
    Case(
        "kill-kernel",
        "the kernel kills itself with SIGKILL",
        {"q2-answer": 'answer = "C"\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)'},
        {**ALL_RIGHT, "q2-test": 0.0, "q3-test": 0.0},
        (
            _UNREADABLE.format(test="q2-test", why="the kernel was gone"),
            _UNREADABLE.format(test="q3-test", why="the kernel was gone"),
            f"{P}: the kernel died while running q2-answer (In [3])",
        ),
    ),
    Case(
        "tests-deleted",
        "every test cell deleted, right answers",
        edit=_cells_without_tests,
    ),
    Case(
        "tests-edited",
        "every test cell replaced by 'pass', wrong answers",
        _wrong(),
        dict(PROBLEMS_WRONG),
        edit=_tests_replaced,
    ),
    Case(
        "fake-grade-cells",
        "forged grade cells (a duplicate id and an invented 100-point one)",
        _wrong(),
        dict(PROBLEMS_WRONG),
        edit=_fake_grade_cells,
    ),
    Case("renamed-ids", "answer cells with renamed grade ids", edit=_renamed_ids),
    Case(
        "tampered-metadata",
        "answer cells made 100-point grade cells, tests unlocked and worth 0",
        _wrong(),
        dict(PROBLEMS_WRONG),
        edit=_tampered_metadata,
    ),
    Case(
        "duplicated-ids",
        "an answer cell and a test cell duplicated (the later answer counts)",
        edit=_duplicated_ids,
    ),
    Case(
        "output-flood",
        "ten million characters of output",
        {
            "q1-answer": CORRECT["q1-answer"] + "\nprint('x' * 10_000_000)\nfor i in range(20000):"
            "\n    print(i)"
        },
    ),
    Case(
        "stderr-noise",
        "warnings and stderr output from right answers",
        {
            k: v
            + "\nimport sys, warnings\nwarnings.warn('careful')\nprint('noise', file=sys.stderr)"
            for k, v in CORRECT.items()
        },
    ),
    Case(
        "memory-bomb",
        "an allocation of 8 GB (refused: the cell ends in MemoryError, which is named)",
        {"q1-answer": CORRECT["q1-answer"] + "\nhog = bytearray(8 * 1024**3)"},
        reasons=(f"{P}: q1-answer (In [2]) ran out of memory (the memory limit is 1024 MB)",),
    ),
    Case(
        "huge-answer",
        "an answer of three million characters",
        {"q2-answer": "answer = 'x' * 3_000_000"},
        {**ALL_RIGHT, "q2-test": 0.0},
        (f"{P}: answer 'answer' (read by q2-test) could not be read (the answer is too large)",),
    ),
    Case(
        "broken-read-back",
        "the kernel's user_expressions replaced, so answers cannot be read",
        {"q1-answer": CORRECT["q1-answer"] + "\nget_ipython().user_expressions = lambda e: {}"},
        dict(PROBLEMS_WRONG),
        tuple(
            _UNREADABLE.format(test=t, why="the kernel returned no answers")
            for t in ("q1-test", "q2-test", "q3-test")
        ),
    ),
    # --- isolation: the course, the gradebook, other students, the host ------------------
    Case(
        "read-source",
        "reads source/ and a secret beside it to copy the key",
        {
            "q2-answer": "import pathlib\n"
            "leaked = ''\n"
            "for p in ['{canary}', '{course}/source/ps1/problems.ipynb',"
            " '../../source/ps1/problems.ipynb', '{course}/release/ps1/problems.ipynb']:\n"
            "    try:\n"
            "        leaked += pathlib.Path(p).read_text()\n"
            "    except Exception:\n"
            "        pass\n"
            "answer = 'C' if leaked else 'A'",
        },
        {**ALL_RIGHT, "q2-test": 0.0},
    ),
    Case(
        "write-gradebook",
        "opens gradebook.db to raise every grade",
        {
            "q2-answer": "import sqlite3\n"
            "try:\n"
            "    db = sqlite3.connect('{gradebook}')\n"
            "    db.execute('create table pwned (x)')\n"
            "    db.execute('update grade set manual_score = 100')\n"
            "    db.commit()\n"
            "    answer = 'C'\n"
            "except Exception:\n"
            "    answer = 'A'",
        },
        {**ALL_RIGHT, "q2-test": 0.0},
    ),
    Case(
        "read-other-students",
        "looks for other students' submissions to copy",
        {
            "q2-answer": "import glob\n"
            "found = glob.glob('{course}/submitted/*/ps1/*.ipynb') + glob.glob('/tmp/*/*/work/*')\n"
            "answer = 'C' if found else 'A'",
        },
        {**ALL_RIGHT, "q2-test": 0.0},
    ),
    Case(
        "grader-secrets",
        "looks for the grader's environment and home",
        {
            "q2-answer": "import os, pathlib\n"
            "seen = str(os.environ)\n"
            "for p in pathlib.Path('/proc').glob('*/environ'):\n"
            "    try:\n"
            "        seen += p.read_bytes().decode(errors='replace')\n"
            "    except Exception:\n"
            "        pass\n"
            "for p in ['{home}', '{home}/.bash_history', '/root/.ssh', '/etc/shadow']:\n"
            "    try:\n"
            "        seen += str(os.listdir(p)) if os.path.isdir(p) else open(p).read()\n"
            "    except Exception:\n"
            "        pass\n"
            "answer = 'C' if 'CANARY' in seen else 'A'",
        },
        {**ALL_RIGHT, "q2-test": 0.0},
    ),
    Case(
        "network",
        "connects to a server on the grader's machine and to the internet",
        {
            "q2-answer": "import socket\n"
            "answer = 'A'\n"
            "for host, port in [('127.0.0.1', {port}), ('8.8.8.8', 53)]:\n"
            "    try:\n"
            "        socket.create_connection((host, port), timeout=2).close()\n"
            "        answer = 'C'\n"
            "    except OSError:\n"
            "        pass",
        },
        {**ALL_RIGHT, "q2-test": 0.0},
    ),
    Case(
        "write-outside",
        "writes outside its scratch folder (course, host /tmp, home, its original)",
        {
            "q3-answer": CORRECT["q3-answer"] + "\n"
            "for p in ['{course}/pwned.txt', '{hostpath}', '{home}/pwned.txt',"
            " '{course}/submitted/write-outside/ps1/problems.ipynb', '/usr/pwned.txt']:\n"
            "    try:\n"
            "        open(p, 'w').write('pwned')\n"
            "    except Exception:\n"
            "        pass",
        },
    ),
    # --- point 4: robustness --------------------------------------------------------------
    Case(
        "infinite-loop",
        "an infinite loop in the second answer cell",
        {"q2-answer": "while True:\n    pass"},
        {**ALL_RIGHT, "q2-test": 0.0},
        (f"{P}: q2-answer (In [3]) ran longer than the time limit and was stopped",),
    ),
    Case(
        "uninterruptible",
        "a loop that swallows the interrupt",
        {
            "q2-answer": "import time\nwhile True:\n    try:\n        time.sleep(10)\n"
            "    except BaseException:\n        pass"
        },
        {**ALL_RIGHT, "q2-test": 0.0, "q3-test": 0.0},
        (
            _UNREADABLE.format(test="q2-test", why="the kernel was gone"),
            _UNREADABLE.format(test="q3-test", why="the kernel was gone"),
            f"{P}: the kernel stopped responding during q2-answer (In [3]) and was shut down",
        ),
    ),
    Case(
        "malformed-json",
        "a notebook file that is not JSON",
        scores={"q1-test": None, "q2-test": None, "q3-test": None, "q4-test": 2.0},
        reasons=(
            f"{P}: is not valid JSON (line 1, column 2: Expecting property name enclosed in "
            "double quotes)",
        ),
        raw={"problems": "{broken"},
    ),
    Case(
        "unknown-nbformat",
        "a notebook of format 99",
        scores={"q1-test": None, "q2-test": None, "q3-test": None, "q4-test": 2.0},
        reasons=(f"{P}: uses notebook format 99, which cannot be read (expected 4)",),
        raw={
            "problems": json.dumps(
                {"nbformat": 99, "nbformat_minor": 0, "metadata": {}, "cells": []}
            )
        },
    ),
    Case(
        "missing-notebook",
        "one notebook not submitted",
        scores={"q1-test": 0.0, "q2-test": 0.0, "q3-test": 0.0, "q4-test": 2.0},
        reasons=(f"{P}: missing from the submission",),
        raw={"problems": None},
    ),
    Case(
        "renamed-file",
        "the notebook uploaded under another name",
        scores={"q1-test": 0.0, "q2-test": 0.0, "q3-test": 0.0, "q4-test": 2.0},
        reasons=(f"{P}: missing from the submission (found instead: Problems (1).ipynb)",),
        raw={"problems": None, "Problems (1)": "{}"},
    ),
    Case(
        "empty-file",
        "an empty notebook file",
        scores={"q1-test": None, "q2-test": None, "q3-test": None, "q4-test": 2.0},
        reasons=(f"{P}: is not valid JSON (line 1, column 1: Expecting value)",),
        raw={"problems": ""},
    ),
    Case(
        "binary-file",
        "a binary file named like the notebook",
        scores={"q1-test": None, "q2-test": None, "q3-test": None, "q4-test": 2.0},
        reasons=(f"{P}: is not a text file (not UTF-8)",),
        raw={"problems": bytes(range(256))},
    ),
    Case(
        "invalid-notebook",
        "JSON that is not a valid notebook (a cell without source)",
        scores={"q1-test": None, "q2-test": None, "q3-test": None, "q4-test": 2.0},
        reasons=(f"{P}: is not a valid notebook ('source' is a required property)",),
        raw={
            "problems": json.dumps(
                {
                    "nbformat": 4,
                    "nbformat_minor": 5,
                    "metadata": {},
                    "cells": [{"cell_type": "code", "metadata": {}, "id": "x1"}],
                }
            )
        },
    ),
]
