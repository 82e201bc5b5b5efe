"""A seccomp filter for student code: the system calls a notebook never needs fail.

bubblewrap installs a classic BPF program given on a file descriptor
(``--seccomp FD``). The program is built here, with :mod:`struct`, so no
library is needed: it checks the architecture (x86-64; another architecture
is refused, the 32-bit and x32 entry points included, since their numbers
differ), then answers ``EPERM`` for every listed call and for ``clone`` asking
for a new namespace, and ``ENOSYS`` for ``clone3`` (whose flags a classic
filter cannot read; the C library then falls back to ``clone``).

Refused: mounting and pivoting, new namespaces (``unshare``, ``setns``,
``clone`` flags), tracing other processes (``ptrace``, ``process_vm_*``,
``kcmp``), the kernel keyring, eBPF, perf events, ``userfaultfd``,
``io_uring``, loading modules, ``kexec``, ``reboot``, swap, accounting, the
clock, the kernel log, raw I/O ports, handles that bypass paths.
"""

from __future__ import annotations

import errno
import platform
import struct

__all__ = ["BLOCKED", "filter_program", "supported"]

# x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl)
BLOCKED: dict[str, int] = {
    "ptrace": 101,
    "syslog": 103,
    "personality": 135,
    "adjtimex": 159,
    "pivot_root": 155,
    "acct": 163,
    "settimeofday": 164,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "iopl": 172,
    "ioperm": 173,
    "init_module": 175,
    "delete_module": 176,
    "lookup_dcookie": 212,
    "clock_settime": 227,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "unshare": 272,
    "perf_event_open": 298,
    "fanotify_init": 300,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "clock_adjtime": 305,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "kcmp": 312,
    "finit_module": 313,
    "kexec_file_load": 320,
    "bpf": 321,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
}
_CLONE = 56
_CLONE3 = 435
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
_NAMESPACE_FLAGS |= 0x20000000 | 0x40000000
_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_BIT = 0x40000000

# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06
_ALLOW = 0x7FFF0000
_KILL_PROCESS = 0x80000000
_ERRNO = 0x00050000
# offsets in struct seccomp_data
_NR, _ARCH, _ARG0 = 0, 4, 16


def supported() -> bool:
    """The filter is written for x86-64 only."""
    return platform.machine() in ("x86_64", "AMD64")


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def filter_program() -> bytes:
    """The filter as bubblewrap reads it: ``struct sock_filter`` entries, native order."""
    deny = _ERRNO | errno.EPERM
    calls = sorted(BLOCKED.values())
    prog = [
        _op(_LD_W_ABS, _ARCH),
        _op(_JEQ_K, _AUDIT_ARCH_X86_64, jt=1),
        _op(_RET_K, _KILL_PROCESS),
        _op(_LD_W_ABS, _NR),
        _op(_JGE_K, _X32_BIT, jt=0, jf=1),
        _op(_RET_K, deny),
    ]
    for number in calls:
        prog += [_op(_JEQ_K, number, jt=0, jf=1), _op(_RET_K, deny)]
    prog += [
        _op(_JEQ_K, _CLONE3, jt=0, jf=1),
        _op(_RET_K, _ERRNO | errno.ENOSYS),
        _op(_JEQ_K, _CLONE, jt=0, jf=3),
        _op(_LD_W_ABS, _ARG0),
        _op(_JSET_K, _NAMESPACE_FLAGS, jt=0, jf=1),
        _op(_RET_K, deny),
        _op(_RET_K, _ALLOW),
    ]
    return b"".join(prog)
