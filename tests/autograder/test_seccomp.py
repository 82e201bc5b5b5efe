"""The seccomp filter, decoded and run on a small classic-BPF interpreter, per architecture."""

from __future__ import annotations

import errno
import os
import re
import struct
from pathlib import Path

import pytest

from autograder.engine import sandbox as sandbox_module
from autograder.engine import seccomp
from autograder.engine.sandbox import NO_SANDBOX_WARNING, Sandbox
from autograder.engine.seccomp import (
    AARCH64,
    ALLOW,
    ERRNO,
    KILL_PROCESS,
    X86_64,
    Architecture,
    filter_program,
    missing_filter_warning,
)

DENIED = ERRNO | errno.EPERM
MUST_DENY = (
    "mount",
    "ptrace",
    "bpf",
    "keyctl",
    "unshare",
    "setns",
    "reboot",
    "init_module",
    "perf_event_open",
)
# calls every notebook makes: read, write, mmap, exit_group (per architecture)
HARMLESS = {"x86_64": (0, 1, 9, 231), "aarch64": (63, 64, 222, 94)}
CLONE_NEWUSER = 0x10000000
CLONE_THREAD_FLAGS = 0x003D0F00  # what glibc passes for a new thread


def run(program: bytes, arch: int, nr: int, arg0: int = 0) -> int:
    """Run the classic BPF ``program`` on one ``struct seccomp_data``; its return value."""
    data = struct.pack("=iIQ6Q", nr, arch, 0, arg0, 0, 0, 0, 0, 0)
    ops = [struct.unpack("=HBBI", program[i : i + 8]) for i in range(0, len(program), 8)]
    acc = pc = 0
    while True:
        code, jt, jf, k = ops[pc]
        if code == 0x20:  # ld w abs
            acc = struct.unpack_from("=I", data, k)[0]
            pc += 1
        elif code in (0x15, 0x35, 0x45):  # jeq, jge, jset (k)
            hit = {0x15: acc == k, 0x35: acc >= k, 0x45: bool(acc & k)}[code]
            pc += 1 + (jt if hit else jf)
        elif code == 0x06:  # ret k
            return k
        else:
            raise AssertionError(f"unexpected opcode {code:#x} at {pc}")


@pytest.mark.parametrize("arch", [X86_64, AARCH64], ids=lambda a: a.name)
def test_each_dangerous_call_is_denied_with_eperm(arch: Architecture) -> None:
    program = filter_program(arch)
    for name in MUST_DENY:
        assert run(program, arch.audit_arch, arch.blocked[name]) == DENIED, name
    for number in arch.blocked.values():
        assert run(program, arch.audit_arch, number) == DENIED


@pytest.mark.parametrize("arch", [X86_64, AARCH64], ids=lambda a: a.name)
def test_ordinary_calls_and_threads_are_allowed_namespaces_are_not(arch: Architecture) -> None:
    program = filter_program(arch)
    for number in HARMLESS[arch.name]:
        assert run(program, arch.audit_arch, number) == ALLOW
    assert run(program, arch.audit_arch, arch.clone, CLONE_THREAD_FLAGS) == ALLOW
    assert run(program, arch.audit_arch, arch.clone, CLONE_NEWUSER) == DENIED
    assert run(program, arch.audit_arch, arch.clone3) == ERRNO | errno.ENOSYS


@pytest.mark.parametrize("arch", [X86_64, AARCH64], ids=lambda a: a.name)
def test_a_call_through_a_foreign_architecture_kills_the_process(arch: Architecture) -> None:
    """A program for one architecture kills a call made through the other (or i386)."""
    program = filter_program(arch)
    other = AARCH64 if arch is X86_64 else X86_64
    for audit in (other.audit_arch, 0x40000003):  # the other one, i386
        assert run(program, audit, HARMLESS[arch.name][0]) == KILL_PROCESS


def test_x32_calls_are_denied_on_x86_64() -> None:
    assert run(filter_program(X86_64), X86_64.audit_arch, 0x40000000 | 0) == DENIED


def test_the_numbers_differ_where_the_tables_do() -> None:
    """aarch64 uses the generic table: mount is 40 there, 165 on x86-64; no iopl."""
    assert (X86_64.blocked["mount"], AARCH64.blocked["mount"]) == (165, 40)
    assert "iopl" not in AARCH64.blocked
    assert set(AARCH64.blocked) == set(X86_64.blocked) - {"iopl", "ioperm"}


def test_the_aarch64_numbers_match_the_kernel_header() -> None:
    header = Path("/usr/include/asm-generic/unistd.h")
    if not header.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("linux-libc-dev is required under CI (make system-deps installs it)")
        pytest.skip("the kernel's header asm-generic/unistd.h is not installed")
    text = header.read_text()
    table = {
        m.group(2): int(m.group(3))
        for m in re.finditer(r"^#define __NR(3264)?_(\w+)\s+(\d+)\s*$", text, re.M)
    }
    assert {name: table[name] for name in AARCH64.blocked} == AARCH64.blocked
    assert (table["clone"], table["clone3"]) == (AARCH64.clone, AARCH64.clone3)


def test_an_unknown_architecture_is_named_in_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    assert missing_filter_warning("x86_64") is None
    assert missing_filter_warning("aarch64") is None
    warning = missing_filter_warning("riscv64")
    assert warning is not None
    assert warning.startswith(
        "WARNING: no seccomp filter for this machine's architecture (riscv64; the kit has "
        "filters for aarch64, x86_64)."
    )
    monkeypatch.setattr(seccomp.platform, "machine", lambda: "riscv64")
    monkeypatch.setattr(sandbox_module, "_process_limit_warning", lambda: None)
    assert Sandbox("/usr/bin/bwrap").warnings() == [warning]
    assert Sandbox(None).warnings() == [NO_SANDBOX_WARNING]
    with pytest.raises(ValueError, match="riscv64"):
        filter_program()
