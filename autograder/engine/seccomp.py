"""A seccomp filter for student code: the system calls a notebook never needs fail.

bubblewrap installs a classic BPF program given on a file descriptor
(``--seccomp FD``). The program is built here, with :mod:`struct`, so no
library is needed, for the machine's architecture: x86-64 or aarch64 (their
system call numbers differ: aarch64 uses the kernel's generic table and has no
``open``, ``fork`` or ``iopl``). It first checks the architecture the call
came in through and kills the process on any other (x86-64's 32-bit and x32
entry points included, since their numbers differ), then answers ``EPERM``
for every listed call and for ``clone`` asking for a new namespace, and
``ENOSYS`` for ``clone3`` (whose flags a classic filter cannot read; the C
library then falls back to ``clone``).

Refused: mounting and pivoting, new namespaces (``unshare``, ``setns``,
``clone`` flags), tracing other processes (``ptrace``, ``process_vm_*``,
``kcmp``), the kernel keyring, eBPF, perf events, ``userfaultfd``,
``io_uring``, loading modules, ``kexec``, ``reboot``, swap, accounting, the
clock, the kernel log, raw I/O ports, handles that bypass paths.

On another architecture there is no filter: :func:`missing_filter_warning`
says so, and ``grade`` prints it.
"""

from __future__ import annotations

import errno
import platform
import struct
from dataclasses import dataclass

__all__ = [
    "AARCH64",
    "ARCHITECTURES",
    "X86_64",
    "Architecture",
    "architecture",
    "filter_program",
    "missing_filter_warning",
]


@dataclass(frozen=True)
class Architecture:
    """One architecture's audit number and system call numbers."""

    name: str
    audit_arch: int  # AUDIT_ARCH_* (include/uapi/linux/audit.h)
    blocked: dict[str, int]
    clone: int
    clone3: int
    x32_bit: int = 0  # x86-64: calls with this bit set come from the x32 ABI


# Numbers shared by x86-64 and the generic table from io_uring_setup on.
_UNIFIED = {
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

#: x86-64 (arch/x86/entry/syscalls/syscall_64.tbl).
X86_64 = Architecture(
    "x86_64",
    0xC000003E,
    {
        "ptrace": 101,
        "syslog": 103,
        "personality": 135,
        "pivot_root": 155,
        "adjtimex": 159,
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
        **_UNIFIED,
    },
    clone=56,
    clone3=435,
    x32_bit=0x40000000,
)

#: aarch64 (include/uapi/asm-generic/unistd.h); no iopl or ioperm there.
AARCH64 = Architecture(
    "aarch64",
    0xC00000B7,
    {
        "lookup_dcookie": 18,
        "umount2": 39,
        "mount": 40,
        "pivot_root": 41,
        "acct": 89,
        "personality": 92,
        "unshare": 97,
        "kexec_load": 104,
        "init_module": 105,
        "delete_module": 106,
        "clock_settime": 112,
        "syslog": 116,
        "ptrace": 117,
        "reboot": 142,
        "settimeofday": 170,
        "adjtimex": 171,
        "add_key": 217,
        "request_key": 218,
        "keyctl": 219,
        "swapon": 224,
        "swapoff": 225,
        "perf_event_open": 241,
        "fanotify_init": 262,
        "name_to_handle_at": 264,
        "open_by_handle_at": 265,
        "clock_adjtime": 266,
        "setns": 268,
        "process_vm_readv": 270,
        "process_vm_writev": 271,
        "kcmp": 272,
        "finit_module": 273,
        "bpf": 280,
        "userfaultfd": 282,
        "kexec_file_load": 294,
        **_UNIFIED,
    },
    clone=220,
    clone3=435,
)

#: ``platform.machine()`` -> its architecture.
ARCHITECTURES: dict[str, Architecture] = {
    "x86_64": X86_64,
    "amd64": X86_64,
    "aarch64": AARCH64,
    "arm64": AARCH64,
}

# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
_NAMESPACE_FLAGS |= 0x20000000 | 0x40000000

# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06
ALLOW = 0x7FFF0000
KILL_PROCESS = 0x80000000
ERRNO = 0x00050000
# offsets in struct seccomp_data
_NR, _ARCH, _ARG0 = 0, 4, 16


def architecture(machine: str | None = None) -> Architecture | None:
    """The filter's architecture for ``machine`` (default: this one), None if unknown."""
    name = platform.machine() if machine is None else machine
    return ARCHITECTURES.get(name.lower())


def missing_filter_warning(machine: str | None = None) -> str | None:
    """What ``grade`` prints when this machine gets no filter (None when it does)."""
    name = platform.machine() if machine is None else machine
    if architecture(name) is not None:
        return None
    return (
        f"WARNING: no seccomp filter for this machine's architecture ({name or 'unknown'}; "
        f"the kit has filters for {', '.join(sorted({a.name for a in ARCHITECTURES.values()}))}"
        "). Student code still runs in the sandbox, but calls such as mount, ptrace, bpf, "
        "keyctl and unshare are not refused by a filter."
    )


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def filter_program(arch: Architecture | None = None) -> bytes:
    """The filter as bubblewrap reads it: ``struct sock_filter`` entries, native order.
    ``arch`` defaults to this machine's (ValueError if it has none)."""
    arch = arch or architecture()
    if arch is None:
        raise ValueError(missing_filter_warning())
    deny = ERRNO | errno.EPERM
    prog = [
        _op(_LD_W_ABS, _ARCH),
        _op(_JEQ_K, arch.audit_arch, jt=1),
        _op(_RET_K, KILL_PROCESS),
        _op(_LD_W_ABS, _NR),
    ]
    if arch.x32_bit:
        prog += [_op(_JGE_K, arch.x32_bit, jt=0, jf=1), _op(_RET_K, deny)]
    for number in sorted(arch.blocked.values()):
        prog += [_op(_JEQ_K, number, jt=0, jf=1), _op(_RET_K, deny)]
    prog += [
        _op(_JEQ_K, arch.clone3, jt=0, jf=1),
        _op(_RET_K, ERRNO | errno.ENOSYS),
        _op(_JEQ_K, arch.clone, jt=0, jf=3),
        _op(_LD_W_ABS, _ARG0),
        _op(_JSET_K, _NAMESPACE_FLAGS, jt=0, jf=1),
        _op(_RET_K, deny),
        _op(_RET_K, ALLOW),
    ]
    return b"".join(prog)
