"""The clean room: runs the assignment's tests on plain answer values.

This module is the program of a sandboxed process that never runs student
code. It reads jobs (one JSON object per line, :mod:`autograder.testroom.job`)
on standard input and, for
each, forks a child with a fresh namespace that:

1. writes the job's files (the widget answers saved in the submission) into a fresh folder
   and works there;
2. runs the instructor's cells in order; before a cell that reads the
   student's answers, binds those names to fresh copies of the plain values
   read from the student's kernel;
3. reports each cell's outcome: printed text, the last expression's value
   (nbgrader reads partial credit from its ``text/plain`` form), or the error
   with the line it happened on.

The parent answers on standard output, one JSON line per job. A child that
runs too long is killed; a crash is reported as such. Forking from a process
that already imported the course keeps every job cheap.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import select
import signal
import sys
import tempfile
import time
import traceback
from typing import Any

from autograder.engine.cell_names import to_python
from autograder.engine.snapshot import decode

__all__ = ["main", "run_job"]

#: Characters of printed output kept per cell when a job does not say (``GradingLimits``).
MAX_STDOUT = 100_000


class CellTimeout(BaseException):
    """Raised in a cell that ran past its time limit."""


class _Capped(io.StringIO):
    def __init__(self, cap: int) -> None:
        super().__init__()
        self._cap = cap

    def write(self, text: str) -> int:
        if self.tell() < self._cap:
            super().write(text[: self._cap - self.tell()])
        return len(text)


def _activity(activity_id: str) -> Any:
    import course

    return course.load_course().activity_by_id(activity_id)


def _lineno(exc: BaseException, filename: str) -> int | None:
    line = None
    for frame, number in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            line = number
    return line


def _rich(value: Any) -> dict[str, str]:
    data = {"text/plain": repr(value)}
    method = getattr(type(value), "_repr_html_", None)
    if callable(method):
        with contextlib.suppress(Exception):
            html = method(value)
            if isinstance(html, str):
                data["text/html"] = html
    return data


def run_cell(
    source: str,
    namespace: dict[str, Any],
    name: str,
    timeout: float,
    max_stdout: int = MAX_STDOUT,
) -> dict[str, Any]:
    """Run one cell in ``namespace``; its outcome as plain JSON (``job.py`` says which)."""
    filename = f"<{name}>"
    out = _Capped(max_stdout)
    result: dict[str, Any] = {"stdout": "", "value": None, "error": None}
    try:
        tree = ast.parse(to_python(source), filename)
        last = tree.body[-1] if tree.body else None
        tail = None
        if isinstance(last, ast.Expr):
            tree.body.pop()
            tail = compile(ast.Expression(last.value), filename, "eval")
        body = compile(tree, filename, "exec")
    except SyntaxError as exc:
        result["error"] = {"ename": "SyntaxError", "evalue": str(exc.msg), "line": exc.lineno}
        return result

    def expire(signum: int, frame: Any) -> None:
        raise CellTimeout()

    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(_Capped(max_stdout)):
            exec(body, namespace)
            value = eval(tail, namespace) if tail is not None else None
        if value is not None:
            result["value"] = _rich(value)
    except CellTimeout:
        result["error"] = {
            "ename": "CellTimeoutError",
            "evalue": f"the test ran longer than {timeout:g} s",
            "line": None,
        }
    except BaseException as exc:  # the cell's own failure is its result
        result["error"] = {
            "ename": type(exc).__name__,
            "evalue": str(exc)[:2000],
            "line": _lineno(exc, filename),
        }
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    result["stdout"] = out.getvalue()
    return result


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Run every cell of ``job``; ``{"cells": [outcome, ...]}``."""
    folder = tempfile.mkdtemp(prefix="room-")
    for filename, text in job.get("files", {}).items():
        with open(os.path.join(folder, os.path.basename(filename)), "w", encoding="utf-8") as fh:
            fh.write(text)
    os.chdir(folder)
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    outcomes = []
    for cell in job["cells"]:
        for name, tagged in job["values"].get(cell["id"], {}).items():
            try:
                namespace[name] = decode(tagged, _activity)
            except (ValueError, KeyError):
                namespace.pop(name, None)
        cap = int(job.get("max_stdout", MAX_STDOUT))
        outcome = run_cell(cell["source"], namespace, cell["id"], float(job["timeout"]), cap)
        outcome["id"] = cell["id"]
        outcomes.append(outcome)
    return {"cells": outcomes}


def _fork_job(job: dict[str, Any]) -> dict[str, Any]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, answer through the pipe, exit without cleanup
        os.close(read_end)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            payload = json.dumps(run_job(job), default=str).encode()
        except BaseException as exc:
            payload = json.dumps({"crash": f"{type(exc).__name__}: {exc}"[:500]}).encode()
        with contextlib.suppress(OSError):
            os.write(write_end, payload)
        os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + float(job["deadline"])
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                return {"crash": "the tests did not finish in time"}
            ready, _, _ = select.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    try:
        answer: dict[str, Any] = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        return {"crash": "the test run ended without a result"}
    return answer if "cells" in answer or "crash" in answer else {"crash": "no result"}


def _warm(modules: list[str]) -> None:
    for name in modules:
        with contextlib.suppress(Exception):
            __import__(name)
    if "course" in sys.modules:
        with contextlib.suppress(Exception):
            sys.modules["course"].load_course()


def main() -> None:
    """Serve jobs from standard input until it closes."""
    reply = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # stray prints must not corrupt the replies
    for line in sys.stdin:
        request: Any = {}
        try:
            request = json.loads(line)
            if request.get("op") == "warm":
                _warm([str(m) for m in request.get("modules", [])])
                answer: dict[str, Any] = {"ok": True}
            else:
                answer = _fork_job(request)
        except Exception as exc:  # a malformed request must not stop the room
            answer = {"crash": f"{type(exc).__name__}: {exc}"[:500]}
        answer["id"] = request.get("id") if isinstance(request, dict) else None
        reply.write(json.dumps(answer) + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
