"""Benchmark: plain ``nbgrader autograde`` against ``python -m autograder grade``.

Both grade the same synthetic class (``BENCH_N`` submissions, default 100: mostly
right, some wrong or partly right, one infinite loop) of a one-notebook
assignment, with the same nbgrader configuration and cell time limit, each in
its own copy of the course. Prints both wall times, the ratio, the seconds per
submission and the peak memory (the whole process tree, kernels included), and
fails if the two disagree on any honest submission's score.

Run by ``make bench``; ``BENCH_N=10`` for a quick look.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.autograder.fixtures.course_fixture import (  # noqa: E402
    ASSIGNMENT,
    CORRECT,
    PARTLY,
    WRONG,
    copy_course,
    make_template,
    submit_answers,
)

N = int(os.environ.get("BENCH_N", "100"))
LOOP = "student-loop"
TARGET = 3.0


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of ``root`` and all its descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    page = os.sysconf("SC_PAGE_SIZE")
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
    return total


def _run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and peak tree memory of ``cmd``."""
    peak = 0
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])} failed:\n{err.decode(errors='replace')[-3000:]}")
    return wall, peak


def _totals(db: Path) -> dict[str, float]:
    rows = sqlite3.connect(db).execute(
        "select s.student_id, sum(coalesce(g.manual_score, g.auto_score, 0)) from grade g "
        "join submitted_notebook n on g.notebook_id = n.id "
        "join submitted_assignment s on n.assignment_id = s.id group by s.student_id"
    )
    return {student: round(total, 6) for student, total in rows}


def _class(course: Path) -> None:
    for i in range(N - 1):
        kind = i % 10
        answers = WRONG if kind == 7 else PARTLY if kind in (3, 8) else CORRECT
        submit_answers(course, f"student-{i:03d}", answers)
    submit_answers(course, LOOP, {**CORRECT, "q2-answer": "while True:\n    pass"})


def main() -> None:
    bindir = Path(sys.executable).parent
    env_path = f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ["PATH"] = env_path
    work = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    try:
        template = make_template(work / "template", notebooks=("problems",))
        plain = copy_course(template, work / "plain")
        ours = copy_course(template, work / "ours")
        _class(plain)
        _class(ours)
        config = str(REPO / "nbgrader_config.py")
        root = f"--CourseDirectory.root={plain}"
        nbgrader = [str(bindir / "nbgrader")]
        subprocess.run(
            [
                *nbgrader,
                "generate_assignment",
                ASSIGNMENT,
                "--force",
                "--config",
                config,
                root,
                f"--CourseDirectory.release_directory={work / 'scratch-release'}",
            ],
            cwd=plain,
            check=True,
            capture_output=True,
        )
        t_plain, m_plain = _run(
            [*nbgrader, "autograde", ASSIGNMENT, "--config", config, root], plain
        )
        t_ours, m_ours = _run(
            [sys.executable, "-m", "autograder", "--course-dir", str(ours), "grade", ASSIGNMENT],
            ours,
        )
        a, b = _totals(plain / "gradebook.db"), _totals(ours / "gradebook.db")
        honest = sorted(s for s in a if s != LOOP)
        differ = [(s, a.get(s), b.get(s)) for s in honest if a.get(s) != b.get(s)]
        ratio = t_plain / t_ours
        cores = os.cpu_count()
        print(f"autograde benchmark: {N} submissions, {cores} cores")
        print(
            f"  plain nbgrader autograde: {t_plain:7.1f} s  {t_plain / N:.3f} s/submission  "
            f"peak memory {m_plain / 2**20:.0f} MB"
        )
        print(
            f"  python -m autograder grade: {t_ours:5.1f} s  {t_ours / N:.3f} s/submission  "
            f"peak memory {m_ours / 2**20:.0f} MB"
        )
        verdict = "met" if ratio >= TARGET else "NOT met"
        print(f"  speed-up: {ratio:.2f}x (target >= {TARGET:g}x: {verdict})")
        print(
            f"  scores: {len(honest) - len(differ)}/{len(honest)} honest submissions identical; "
            f"infinite loop: nbgrader {a.get(LOOP)}, autograder {b.get(LOOP)}"
        )
        if differ or len(b) != N:
            sys.exit(f"score mismatch (student, nbgrader, autograder): {differ[:10]}")
        if ratio < TARGET:
            sys.exit(f"speed-up {ratio:.2f}x is below the {TARGET:g}x target")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
