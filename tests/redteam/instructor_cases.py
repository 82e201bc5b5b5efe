"""Hostile submissions aimed at the instructor rather than at the grade.

Each case tries to reach the instructor through what grading produces: script
in the autograded notebook the formgrader renders (rich outputs, markdown, raw
cells, metadata, the names of the student's objects that the review reasons
quote), escape sequences in what ``grade`` prints, or a notebook built to stop
the batch for everyone (a lone surrogate, nesting deeper than any walk, a
forged answer snapshot). Every case gets exactly its grade and its reasons,
like the main red team (:mod:`tests.redteam.cases`).
"""

from __future__ import annotations

import copy
import json

from nbformat import NotebookNode

from tests.autograder.fixtures.course_fixture import CORRECT, WRONG
from tests.redteam.cases import ALL_RIGHT, PROBLEMS_WRONG, Case, P

# What a successful attack would do in the instructor's browser: write a file to the
# course root through the contents API, with the instructor's session.
PAYLOAD = "fetch('/api/contents/pwned.txt',{method:'PUT',body:'{}'});alert('pwned')"
ONERROR = f'<img src=x onerror="{PAYLOAD}">'
ESCAPES = "\x1b]0;owned\x07\x1b[2J\u202e"
HOSTILE_CLASS = f"{ESCAPES}{ONERROR}"
UNREADABLE_ROW = {"q1-test": None, "q2-test": None, "q3-test": None, "q4-test": 2.0}


def _display(code: str) -> str:
    return "from IPython.display import display, HTML, Javascript, Markdown, SVG\n" + code


def _markdown_attack(nb: NotebookNode) -> NotebookNode:
    """Markdown with raw HTML, a script link and entity tricks; a raw HTML cell;
    cell tags and notebook metadata that would land in attributes."""
    first = copy.deepcopy(next(c for c in nb.cells if c.cell_type == "markdown"))
    first.id = "evil-md"
    first.source = (
        f"# Notes\n\n<script>{PAYLOAD}</script>\n\n{ONERROR}\n\n"
        f"[open](javascript:{PAYLOAD}) [also](&#106;avascript:{PAYLOAD})\n\n"
        f'<iframe src="javascript:{PAYLOAD}"></iframe>'
    )
    first.metadata = {"tags": ['x"><img src=x onerror=alert(1)>']}  # a tag holds no comma
    first.attachments = {"a.svg": {"image/svg+xml": f'<svg onload="{PAYLOAD}"/>'}}
    raw = copy.deepcopy(first)
    raw.cell_type = "raw"
    raw.id = "evil-raw"
    raw.pop("attachments")
    raw.metadata = {"raw_mimetype": "text/html", "format": "text/html"}
    raw.source = f"<script>{PAYLOAD}</script>{ONERROR}"
    nb.cells[0:0] = [first, raw]
    nb.metadata["title"] = f"</title><script>{PAYLOAD}</script>"
    nb.metadata["language_info"] = {"name": f'python"><script>{PAYLOAD}</script>'}
    return nb


# A forged snapshot: json.dumps replaced (only where the grader's encoder calls it:
# the kernel's own messages pass ``default=``) by one that answers 700 levels deep.
_FORGE = (
    "import json\n"
    "_real_dumps = json.dumps\n"
    "def _forged(obj, **kw):\n"
    "    if 'default' in kw:\n"
    "        return _real_dumps(obj, **kw)\n"
    "    return '{\"stream\": {\"ok\": ' + '[' * 700 + ']' * 700 + '}}'\n"
    "json.dumps = _forged\n"
)

_SVG = f'<svg xmlns="http://www.w3.org/2000/svg" onload="{PAYLOAD}"/>'
_IFRAME = f'<iframe src="javascript:{PAYLOAD}"></iframe>'
_LINK = f'<a href="javascript:{PAYLOAD}">x</a><svg><script>{PAYLOAD}</script></svg>'
_MARKDOWN = f"<script>{PAYLOAD}</script>[x](javascript:{PAYLOAD})"
_FAKE_PNG = f'x" onerror="{PAYLOAD}'
_WIDTH = f'1" onmouseover="{PAYLOAD}'
_ACTIVE = [
    f"display(Javascript({PAYLOAD!r}))",
    f"display({{'application/javascript': {PAYLOAD!r}}}, raw=True)",
    f"display(SVG({_SVG!r}))",
    f"display(HTML({_IFRAME!r}))",
    f"display(HTML({_LINK!r}))",
    f"display(Markdown({_MARKDOWN!r}))",
    f"display({{'image/png': {_FAKE_PNG!r}}}, raw=True)",
    f"display({{'text/html': '<b>bold</b>'}}, raw=True, metadata={{'text/html': "
    f"{{'width': {_WIDTH!r}}}}})",
]

INSTRUCTOR_CASES: list[Case] = [
    # --- HTML: nothing runs in the instructor's browser --------------------------------
    Case(
        "html-onerror",
        "right answers that display an <img onerror> writing to the course via the API",
        {"q1-answer": CORRECT["q1-answer"] + "\n" + _display(f"display(HTML({ONERROR!r}))")},
    ),
    Case(
        "active-outputs",
        "JavaScript, SVG with onload, an iframe, markdown with script, a forged image",
        {"q2-answer": CORRECT["q2-answer"] + "\n" + _display("\n".join(_ACTIVE))},
    ),
    Case(
        "markdown-html",
        "markdown with raw HTML and script links, a raw HTML cell, hostile tags and title",
        edit=_markdown_attack,
    ),
    Case(
        "hostile-class-name",
        "an answer of a class whose name is HTML and terminal escapes (quoted by the reason)",
        {"q1-answer": f"activities = type({HOSTILE_CLASS!r}, (list,), {{}})(['Plan'])"},
        {**ALL_RIGHT, "q1-test": 0.0},
        (
            f"{P}: answer 'activities' (read by q1-test) is a {HOSTILE_CLASS[:100]} object, "
            "not a plain value",
        ),
    ),
    # --- one submission never stops the batch -------------------------------------------
    Case(
        "lone-surrogate",
        "a markdown cell holding a lone surrogate (valid JSON, not valid Unicode)",
        scores=dict(UNREADABLE_ROW),
        reasons=(f"{P}: holds text that is not valid Unicode (a lone surrogate)",),
        raw={"problems": "SURROGATE"},
    ),
    Case(
        "deep-metadata",
        "cell metadata nested 500 deep",
        scores=dict(UNREADABLE_ROW),
        reasons=(f"{P}: is nested too deeply (more than 64 levels)",),
        raw={"problems": "DEEP"},
    ),
    Case(
        "forged-snapshot",
        "the kernel's json.dumps replaced so the answer snapshot is nested 700 deep",
        {"q3-answer": CORRECT["q3-answer"] + "\n" + _FORGE},
        {**ALL_RIGHT, "q3-test": 0.0},
        (
            f"{P}: the answers read by q3-test could not be read (the kernel's snapshot "
            "reply is nested too deeply (more than 100 levels))",
        ),
    ),
]

# --- the sandbox and its limits ----------------------------------------------------------
# Each answers "C" (the right answer, full marks) only if every attempt was refused.
_PRIVILEGE = (
    "import ctypes, errno, os\n"
    "refused = os.getuid() != 0 and os.geteuid() != 0\n"
    "for path in ['/proc/sys/kernel/hostname', '/proc/sys/kernel/core_pattern',"
    " '/dev/pwned']:\n"
    "    try:\n"
    "        open(path, 'a').close()\n"
    "        refused = False\n"
    "    except OSError:\n"
    "        pass\n"
    "libc = ctypes.CDLL(None, use_errno=True)\n"
    "# unshare(NEWUSER), setns, ptrace(TRACEME), mount, keyctl, bpf, perf_event_open,\n"
    "# init_module, reboot: each must fail with EPERM\n"
    "for nr, args in [(272, (0x10000000,)), (308, (0, 0)), (101, (0, 0, 0, 0)),"
    " (165, (0, 0, 0, 0, 0)), (250, (0, 0)), (321, (0, 0, 0)), (298, (0, 0, 0, 0, 0)),"
    " (175, (0, 0, 0)), (169, (0, 0, 0, 0))]:\n"
    "    if libc.syscall(nr, *args) != -1 or ctypes.get_errno() != errno.EPERM:\n"
    "        refused = False\n"
    "answer = 'C' if refused else 'A'"
)
_SHARED_MAP = (
    "import mmap\n"
    "try:\n"
    "    hog = mmap.mmap(-1, 2 << 30)\n"
    "    for i in range(0, 2 << 30, 4096):\n"
    "        hog[i] = 1\n"
    "    answer = 'A'\n"
    "except (OSError, MemoryError):\n"
    "    answer = 'C'"
)
_SHM_FILL = (
    "import errno\n"
    "answer = 'A'\n"
    "try:\n"
    "    for name in ('a', 'b', 'c'):\n"
    "        with open('/dev/shm/' + name, 'wb') as f:\n"
    "            for _ in range(5):\n"
    "                f.write(b'x' * (8 << 20))\n"
    "except OSError as exc:\n"
    "    answer = 'C' if exc.errno == errno.ENOSPC else 'A'"
)
_TMP_FILL = (
    "import errno\n"
    "answer = 'A'\n"
    "try:\n"
    "    for name in ('a', 'b', 'c'):\n"
    "        with open('/tmp/' + name, 'wb') as f:\n"
    "            for _ in range(5):\n"
    "                f.write(b'x' * (8 << 20))\n"
    "except OSError as exc:\n"
    "    answer = 'C' if exc.errno == errno.ENOSPC else 'A'"
)
_FORK_BOMB = (
    "import os, time\n"
    "children = 0\n"
    "try:\n"
    "    for _ in range(300):\n"
    "        if os.fork() == 0:\n"
    "            time.sleep(2)\n"
    "            os._exit(0)\n"
    "        children += 1\n"
    "except OSError:\n"
    "    pass\n"
    "answer = 'C' if children < 100 else 'A'"
)


def _sleepy(nb: NotebookNode) -> NotebookNode:
    """Thirty cells that each stay under the per-cell limit (5 s), before the answers."""
    first = next(c for c in nb.cells if c.cell_type == "code")
    sleeps = []
    for number in range(30):
        cell = copy.deepcopy(first)
        cell.id = f"sleep-{number}"
        cell.metadata = {}
        cell.source = "import time\ntime.sleep(4)"
        sleeps.append(cell)
    nb.cells[0:0] = sleeps
    return nb


SANDBOX_CASES: list[Case] = [
    Case(
        "privileges",
        "writes /proc/sys (hostname, core_pattern) and /dev, runs as root?, calls unshare, "
        "setns, ptrace, mount, keyctl, bpf, perf_event_open, init_module, reboot",
        {"q2-answer": _PRIVILEGE},
    ),
    Case(
        "shared-mapping",
        "a 2 GB shared anonymous mapping, touched page by page",
        {"q2-answer": _SHARED_MAP},
    ),
    Case("shm-fill", "writes 120 MB to /dev/shm", {"q2-answer": _SHM_FILL}),
    Case(
        "fork-bomb",
        "forks 300 children that live on",
        {"q2-answer": _FORK_BOMB},
        reasons=(f"{P}: the kernel tried to run more than 64 processes and threads",),
    ),
    Case(
        "sleepy-cells",
        "thirty cells of 4 s each, each under the 5 s cell limit",
        scores={"q1-test": 0.0, "q2-test": 0.0, "q3-test": 0.0, "q4-test": 2.0},
        reasons=(
            *(
                f"{P}: the answers read by {t} could not be read (the notebook ran out of time)"
                for t in ("q1-test", "q2-test", "q3-test")
            ),
            f"{P}: the notebook ran longer than its time limit (30 s in all) and was stopped",
        ),
        edit=_sleepy,
    ),
    Case(
        "disk-fill",
        "fills its working folder with 60 MB files (each under the file-size limit)",
        {
            "q2-answer": "number = 0\nwhile True:\n"
            "    open(f'fill{number}', 'wb').write(b'x' * (60 << 20))\n    number += 1"
        },
        {**ALL_RIGHT, "q2-test": 0.0},
        (
            f"{P}: q2-answer (In [3]) ran out of writable space (the working folder holds "
            "256 MB, /tmp 64 MB, /dev/shm 64 MB)",
        ),
    ),
    Case(
        "tmp-fill",
        "fills /tmp past its cap and swallows the error (the cap holds; nothing to name)",
        {"q2-answer": _TMP_FILL},
    ),
    Case(
        "huge-message",
        "one print of 100 MB (a single kernel message)",
        {"q1-answer": CORRECT["q1-answer"] + "\nprint('x' * (100 << 20))"},
        dict(PROBLEMS_WRONG),
        (
            f"{P}: the kernel sent a message larger than the limit (32 MB), which was dropped "
            "unread",
            *(
                f"{P}: the answers read by {t} could not be read (the kernel was gone)"
                for t in ("q1-test", "q2-test", "q3-test")
            ),
            f"{P}: the kernel stopped responding during q1-answer (In [2]) and was shut down",
        ),
    ),
]

# Honest students graded in the same batch: they keep their exact scores.
HONEST_CASES: list[Case] = [
    Case("honest-right", "all answers right"),
    Case(
        "honest-wrong",
        "wrong answers in problems",
        {**WRONG, "q4-answer": CORRECT["q4-answer"]},
        dict(PROBLEMS_WRONG),
    ),
]


def raw_problems(kind: str, released: NotebookNode) -> str:
    """The raw notebook text for ``raw`` markers: ``SURROGATE`` or ``DEEP``."""
    data = json.loads(json.dumps(released))
    if kind == "SURROGATE":
        data["cells"][0]["source"] = "MARK"
        return json.dumps(data).replace('"MARK"', '"before \\ud800 after"')
    if kind == "DEEP":
        data["cells"][0]["metadata"]["deep"] = "MARK"
        return json.dumps(data).replace('"MARK"', '{"a": ' * 500 + "1" + "}" * 500)
    raise ValueError(kind)
