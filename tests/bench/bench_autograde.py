"""Benchmark: plain ``nbgrader autograde`` against ``python -m autograder grade``,
on this machine and over a Dask cluster.

All three grade the same synthetic class (``BENCH_N`` submissions, default 100:
mostly right, some wrong or partly right, one infinite loop) of a one-notebook
assignment, with the same nbgrader configuration and cell time limit, each in
its own copy of the course. The kit grades it twice, like with like: on this
machine with ``--workers 2``, and with ``--cluster`` over a cluster of two
worker processes of one thread each (``dask scheduler`` and ``dask worker``,
started on 127.0.0.1, with the kit imported, before the clock starts: a
service an instructor starts once for a term; each worker's set-up for the
batch, its sandbox, test room and kernels, is timed).

Prints the wall times, both ratios against plain nbgrader, the seconds per
submission, the peak memory (the whole process tree, kernels included) and the
cluster's overhead per submission against the local run (target: under
``CLUSTER_OVERHEAD`` of the local cost: PASS or FAIL), and fails if any two
disagree on an honest submission's score.

Run by ``make bench``; ``BENCH_N=10`` for a quick look.
"""

from __future__ import annotations

import os
import shutil
import socket
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
WORKERS = 2
CLUSTER_OVERHEAD = 0.10


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_cluster(bindir: Path, work: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A scheduler and two one-thread worker processes on 127.0.0.1, all ready."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    dask = str(bindir / "dask")
    log = (work / "cluster.log").open("wb")
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
         "--no-dashboard"],
        stdout=log, stderr=log,
    )  # fmt: skip
    workers = subprocess.Popen(
        [dask, "worker", address, "--nworkers", str(WORKERS), "--nthreads", "1",
         "--host", "127.0.0.1", "--no-dashboard", "--local-directory", str(work / "dask")],
        stdout=log, stderr=log,
    )  # fmt: skip
    try:
        with Client(address, timeout="60s", set_as_default=False) as client:
            client.wait_for_workers(WORKERS, timeout=120)
            client.run(_import_the_kit)
    except BaseException:
        _stop([workers, scheduler])
        raise
    return address, [workers, scheduler]


def _import_the_kit() -> bool:
    """(On a worker.) What a long-running worker has imported after its first batch."""
    import autograder.engine.cluster_worker  # noqa: F401

    return True


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
        spread = copy_course(template, work / "cluster")
        for course in (plain, ours, spread):
            _class(course)
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
        grade = [sys.executable, "-m", "autograder", "--course-dir"]
        workers = ["--workers", str(WORKERS)]
        t_ours, m_ours = _run([*grade, str(ours), "grade", ASSIGNMENT, *workers], ours)
        up = time.perf_counter()
        address, cluster = _start_cluster(bindir, work)
        up = time.perf_counter() - up
        try:
            t_spread, m_spread = _run(
                [*grade, str(spread), "grade", ASSIGNMENT, "--cluster", address], spread
            )
            m_spread += sum(_tree_rss(proc.pid) for proc in cluster)
        finally:
            _stop(cluster)
        a, b = _totals(plain / "gradebook.db"), _totals(ours / "gradebook.db")
        c = _totals(spread / "gradebook.db")
        honest = sorted(s for s in a if s != LOOP)
        differ = [
            (s, a.get(s), b.get(s), c.get(s))
            for s in honest
            if not a.get(s) == b.get(s) == c.get(s)
        ]
        ratio = t_plain / t_ours
        cores = os.cpu_count()
        print(f"autograde benchmark: {N} submissions, {cores} cores, {WORKERS} workers")
        print(
            f"  plain nbgrader autograde: {t_plain:7.1f} s  {t_plain / N:.3f} s/submission  "
            f"peak memory {m_plain / 2**20:.0f} MB"
        )
        print(
            f"  python -m autograder grade: {t_ours:5.1f} s  {t_ours / N:.3f} s/submission  "
            f"peak memory {m_ours / 2**20:.0f} MB"
        )
        print(
            f"  python -m autograder grade --cluster: {t_spread:5.1f} s  {t_spread / N:.3f} "
            f"s/submission  peak memory {m_spread / 2**20:.0f} MB (scheduler and workers "
            f"included; starting them took {up:.1f} s, not timed)"
        )
        verdict = "met" if ratio >= TARGET else "NOT met"
        print(f"  speed-up: {ratio:.2f}x (target >= {TARGET:g}x: {verdict})")
        spread_ratio = t_plain / t_spread
        print(f"  speed-up over the cluster: {spread_ratio:.2f}x against plain nbgrader")
        overhead = (t_spread - t_ours) / N
        share = overhead / (t_ours / N)
        passed = share < CLUSTER_OVERHEAD
        print(
            f"  cluster overhead: {overhead * 1000:+.0f} ms/submission = {share:+.1%} of the "
            f"local cost ({t_ours / N * 1000:.0f} ms/submission), target < "
            f"{CLUSTER_OVERHEAD:.0%}: {'PASS' if passed else 'FAIL'}"
        )
        print(
            f"  scores: {len(honest) - len(differ)}/{len(honest)} honest submissions identical; "
            f"infinite loop: nbgrader {a.get(LOOP)}, autograder {b.get(LOOP)}, "
            f"cluster {c.get(LOOP)}"
        )
        if differ or len(b) != N or len(c) != N:
            sys.exit(f"score mismatch (student, nbgrader, autograder, cluster): {differ[:10]}")
        if ratio < TARGET:
            sys.exit(f"speed-up {ratio:.2f}x is below the {TARGET:g}x target")
        if not passed:
            sys.exit(f"the cluster's overhead ({share:.1%}) is over {CLUSTER_OVERHEAD:.0%}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
