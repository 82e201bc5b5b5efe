"""The bubblewrap sandbox on its own: what student code can and cannot reach."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path

import pytest

from autograder.engine.sandbox import Limits, Sandbox, boot_command, minimal_env
from autograder.errors import AutograderError

PROBE = textwrap.dedent(
    """
    import json, os, resource, socket, sys
    resource.setrlimit(resource.RLIMIT_DATA, (512 * 1024**2, 512 * 1024**2))
    out = {}
    def attempt(name, fn):
        try:
            out[name] = repr(fn())[:200]
        except BaseException as exc:
            out[name] = "denied: " + type(exc).__name__
    secret, home, scratch = sys.argv[1:4]
    attempt("read_secret", lambda: open(secret).read())
    attempt("list_home", lambda: os.listdir(home))
    attempt("write_scratch", lambda: open(os.path.join(scratch, "ok.txt"), "w").write("ok"))
    attempt("cwd", os.getcwd)
    attempt("write_work", lambda: open("here.txt", "w").write("x"))
    attempt("write_usr", lambda: open("/usr/pwned", "w").write("x"))
    attempt("write_tmp", lambda: open("/tmp/private.txt", "w").write("x"))
    attempt("net", lambda: socket.create_connection(("1.1.1.1", 53), timeout=2))
    attempt("environ", lambda: "ITIL_SECRET" in os.environ)
    attempt("proc", lambda: os.listdir("/proc"))
    attempt("memory", lambda: len(bytearray(3 * 1024**3)))
    print(json.dumps(out))
    """
)


def _probe(sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    secret = course / "source" / "key.txt"
    secret.write_text("the answer key")
    home = tmp_path / "home"
    home.mkdir()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("ITIL_SECRET", "1")
    env = sandbox.env("/tmp")
    argv = [sandbox.python(), "-c", PROBE, str(secret), str(home), "/scratch"]
    cmd = sandbox.command(argv, binds=[(scratch, "/scratch")], env=env)
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    found: dict[str, str] = json.loads(result.stdout)
    found["host_scratch"] = (scratch / "ok.txt").read_text()
    found["host_tmp"] = str(Path("/tmp/private.txt").exists())
    return found


def test_student_code_sees_neither_the_course_nor_the_home(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _probe(sandbox, tmp_path, monkeypatch)
    assert found["read_secret"] == "denied: FileNotFoundError"
    assert found["list_home"] == "denied: FileNotFoundError"
    assert found["environ"] == "False"
    assert found["proc"] == "denied: FileNotFoundError"


def test_only_the_scratch_folder_and_a_private_tmp_are_writable(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _probe(sandbox, tmp_path, monkeypatch)
    assert found["write_scratch"] == "2"
    assert found["host_scratch"] == "ok"
    assert (found["cwd"], found["write_work"]) == ("'/work'", "1")
    assert found["write_usr"].startswith("denied: ")
    assert found["write_tmp"] == "1"
    assert found["host_tmp"] == "False"


def test_the_network_is_off(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _probe(sandbox, tmp_path, monkeypatch)["net"] == "denied: OSError"


def test_memory_is_limited(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _probe(sandbox, tmp_path, monkeypatch)["memory"] == "denied: MemoryError"


def test_the_boot_command_sets_the_limits_and_blocks_modules_before_the_module_runs(
    tmp_path: Path,
) -> None:
    (tmp_path / "probe_mod.py").write_text(
        "import resource, sys\n"
        "print(resource.getrlimit(resource.RLIMIT_DATA)[0] // 1024**2)\n"
        "try:\n    import debugpy\nexcept ImportError:\n    print('blocked')\n"
        "print(sys.argv[1:])\n"
    )
    cmd = boot_command("probe_mod", ["-f", "x"], Limits(memory_mb=300), ["debugpy"])
    env = minimal_env(str(tmp_path), {"PYTHONPATH": str(tmp_path)})
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    assert out.split("\n")[:3] == ["300", "blocked", "['-f', 'x']"]


def test_a_sandbox_that_would_expose_a_secret_is_refused(sandbox: Sandbox) -> None:
    """A secret inside a package the sandbox shows (here: the course package itself)."""
    course = Path(__import__("course").__file__).parent
    exposed = Sandbox(sandbox.bwrap, secrets=(course / "content",))
    with pytest.raises(AutograderError, match="the sandbox would expose"):
        exposed.view(["course"])


def test_without_a_sandbox_the_command_is_unchanged(tmp_path: Path) -> None:
    assert Sandbox(None).command(["python"], env={}) == ["python"]


def test_packages_that_live_under_tmp_are_still_visible_inside(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh clone under /tmp: its packages are shown at the neutral path, not hidden
    by the private /tmp."""
    root = Path(tempfile.mkdtemp(prefix="itil-pkg-", dir="/tmp"))
    try:
        (root / "tmp_only_pkg").mkdir()
        (root / "tmp_only_pkg" / "__init__.py").write_text("ANSWER = 42\n")
        monkeypatch.syspath_prepend(str(root))
        packages = ("tmp_only_pkg",)
        env = sandbox.env("/tmp", packages)
        code = "import tmp_only_pkg; print(tmp_only_pkg.ANSWER, tmp_only_pkg.__file__)"
        cmd = sandbox.command([sandbox.python(packages), "-c", code], env=env, packages=packages)
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "42 /opt/kit/src/tmp_only_pkg/__init__.py"
    finally:
        shutil.rmtree(root, ignore_errors=True)
