"""Red team: no host path of the course can be learnt from inside the sandbox.

From an answer cell, a student reads every attribute of ``sys`` and ``os``
that names a path, the environment, the mount tables and command lines under
``/proc`` (there is no ``/proc``), every module's ``__file__``, then walks
``/`` and reads every file and link in it (but the system's own folders, ``/usr``
and the like, shown as the host has them), looking for the course root, the
repository the kit is installed from and its virtual environment. None of
them is found; an honest student graded in the same batch keeps full marks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

import autograder
from autograder.course_layout import open_course
from autograder.engine.grade import GradeOptions, grade_assignment
from autograder.engine.sandbox import Sandbox
from tests.autograder.fixtures.course_fixture import CORRECT, answered, copy_course, submit
from tests.redteam.cases import ALL_RIGHT

pytestmark = pytest.mark.slow

_PROBE = """
import os, stat, sys, sysconfig
needles = {needles!r}
seen = set()
def check(where, text):
    for needle in needles:
        if (needle.encode() in text) if isinstance(text, bytes) else (needle in str(text)):
            seen.add((where, needle))
for name in dir(sys):
    if not name.startswith('__'):
        check('sys.' + name, repr(getattr(sys, name, None))[:10**6])
check('os.environ', repr(dict(os.environ)))
check('cwd', os.getcwd())
check('sysconfig', repr([sysconfig.get_paths(), sysconfig.get_config_vars()]))
check('modules', repr([getattr(m, '__file__', None) for m in list(sys.modules.values())]))
check('code', repr([getattr(m, '__spec__', None) for m in list(sys.modules.values())]))
for path in ['/proc/self/mountinfo', '/proc/self/mounts', '/proc/mounts', '/proc/self/environ',
             '/proc/self/cmdline', '/proc/1/cmdline', '/proc/1/environ', '/proc/1/mountinfo']:
    try:
        check(path, open(path, 'rb').read())
    except OSError:
        pass
files = 0
system = ('/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32')
for root, dirs, names in os.walk('/', followlinks=False):
    if root == '/':
        dirs[:] = [d for d in dirs if '/' + d not in system]  # the host's own, as it is
    for name in dirs + names:
        path = os.path.join(root, name)
        check('name', path)
        try:
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                check(path, os.readlink(path))
            elif stat.S_ISREG(st.st_mode):
                files += 1
                with open(path, 'rb') as fh:
                    check(path, fh.read())
        except OSError:
            pass
print('FILES READ:', files > 1000)
print('LEAKS:', sorted(seen)[:20])
answer = 'A' if seen else 'C'
"""


def test_no_host_path_of_the_course_is_found_inside(
    template: Path, tmp_path: Path, sandbox: Sandbox
) -> None:
    course = copy_course(template, tmp_path / "course")
    repo = Path(autograder.__file__).resolve().parents[1]
    needles = sorted({str(course), str(course.resolve()), str(repo), sys.prefix})
    probe = _PROBE.format(needles=needles)
    for student, answers in (("honest", CORRECT), ("prober", {**CORRECT, "q2-answer": probe})):
        submit(course, student, {n: answered(course, n, answers) for n in ("problems", "bonus")})
    batch = grade_assignment(
        open_course(course), "ps1", GradeOptions(sandbox=sandbox, workers=2, timeout=120)
    )
    results = {r.student: r for r in batch.results}
    graded = nbformat.read(course / "autograded" / "prober" / "ps1" / "problems.ipynb", 4)
    printed = "".join(
        out.get("text", "") for cell in graded.cells for out in cell.get("outputs", [])
    )
    assert "FILES READ: True\nLEAKS: []\n" in printed
    for result in results.values():
        assert {q.id: q.score for q in result.questions} == ALL_RIGHT
        assert (result.reasons, result.total) == ([], 9.0)
