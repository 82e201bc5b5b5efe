"""Whose upload a file of an LMS download is, read from the name the LMS gave it.

Each learning platform names the files of its "download all submissions" zip
in its own way; the student id is always the LMS's own id field, never the
name part (which may hold any letter, and is not unique):

- **Canvas** ``<sortable name>_<user id>_<file id>_<file name>``: the name is
  lower-cased with everything but letters, digits and ``_`` removed (Unicode
  letters kept: ``müllerjürgen_1236_55503_06-practice.ipynb``); a late
  submission has ``LATE`` after the name (``müllerjürgen_LATE_1236_...``);
  with anonymous grading there is no name and the id is the anonymous id
  (``anon_Bu7Zp_55503_...``, late: ``LATE_anon_Bu7Zp_...``). A file the
  student handed in again under the same name gets ``-1``, ``-2``... before
  its extension; the file id grows with every upload.
- **Moodle** (download all submissions) ``<Full Name>_<participant id>_assignsubmission_file_``
  then ``/<file>`` (download in folders, the default) or ``<file>`` (folders
  off). The participant id is Moodle's per-assignment id (with blind marking
  the name is ``Participant``); underscores in a name become spaces.
- **Blackboard** ``<assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>``,
  beside a receipt ``<assignment>_<username>_attempt_<time>.txt`` whose
  ``Name: <Full Name> (<username>)`` line says where the username starts. The
  attempt time is in the Blackboard server's time zone.
- otherwise a folder per student (``ada/06-practice.ipynb``) or a flat
  ``<student>_06-practice.ipynb``, or the instructor's own ``--pattern``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

__all__ = ["GENERIC", "LmsName", "blackboard_receipt_user", "read_name", "reupload"]

_CANVAS_ANON = re.compile(
    r"^(?:.*/)?(?:(?P<late>LATE|late)_)?anon_(?P<id>[A-Za-z0-9]+)_(?P<file_id>\d+)_(?P<file>[^/]+)$"
)
_CANVAS = re.compile(
    r"^(?:.*/)?(?P<name>\w+?)(?:_(?P<late>LATE|late))?_(?P<id>\d+)_(?P<file_id>\d+)_(?P<file>[^/]+)$"
)
# the outermost submission folder decides (lazy prefix), never one that an upload holds
_MOODLE_FOLDERS = re.compile(
    r"^(?:[^/]+/)*?(?P<name>[^_/]*)_(?P<id>\d+)_assignsubmission_[a-z0-9]+_/(?:.*/)?(?P<file>[^/]+)$"
)
_MOODLE_FLAT = re.compile(
    r"^(?:[^/]+/)*?(?P<name>[^_/]*)_(?P<id>\d+)_assignsubmission_[a-z0-9]+_(?P<file>[^/]+)$"
)
_BLACKBOARD = re.compile(
    r"^(?:.*/)?(?P<prefix>[^/]+)_attempt_(?P<time>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)"
    r"(?:_(?P<file>[^/]+)|(?P<receipt>\.txt))?$"
)
_RECEIPT_USER = re.compile(r"^Name: .*\((?P<user>[^()\r\n]+)\)\s*$", re.M)
#: Names that a generic pattern would take for a student id but no LMS uses as one.
_NOT_IDS = {"late", "anon", "participant"}
GENERIC = [
    r"^(?P<student>[^/_]+)/(?:.*/)?(?P<file>[^/]+)$",  # a folder per student
    r"^(?P<student>[^/_]+)_(?P<file>[^/]+)$",  # <student>_<file>
]
_REUPLOAD = re.compile(r"^(?P<base>.+?)(?:-(?P<dash>\d+)| \((?P<paren>\d+)\))$")


@dataclass
class LmsName:
    """What a file's name in a download says: whose it is, which LMS named it, and what
    orders its uploads (the later one counts)."""

    student: str
    file: str
    lms: str = ""
    #: the LMS's own late marker: True (late), False (the LMS marks late ones and this
    #: one is not), None (the LMS does not say)
    late: bool | None = None
    #: the upload time the name carries (naive: in the LMS's time zone)
    time: datetime.datetime | None = None
    order: tuple[int, ...] = field(default_factory=tuple)
    receipt: bool = False


def reupload(filename: str) -> tuple[str, int]:
    """A file name without its re-upload number (``06-practice-1.ipynb``,
    ``06-practice (2).ipynb``), and that number (0: none)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    again = _REUPLOAD.match(stem)
    if again is None:
        return filename, 0
    number = int(again.group("dash") or again.group("paren"))
    return again.group("base") + (f".{ext}" if dot else ""), number


def blackboard_receipt_user(text: str) -> str | None:
    """The username a Blackboard receipt names (``Name: Ada Lovelace (alovelace)``)."""
    found = _RECEIPT_USER.search(text)
    return found.group("user").strip() if found else None


def _blackboard(path: str, users: dict[str, str]) -> LmsName | None:
    found = _BLACKBOARD.match(path)
    if found is None:
        return None
    prefix = found.group("prefix")
    user = users.get(f"{prefix}_attempt_{found.group('time')}")
    if user is None or not prefix.endswith(f"_{user}"):
        user = prefix.rsplit("_", 1)[-1]  # no receipt: the username has no "_"
    when = datetime.datetime.strptime(found.group("time"), "%Y-%m-%d-%H-%M-%S")
    name = found.group("file") or path.rsplit("/", 1)[-1]
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    return LmsName(
        user, name, "Blackboard", time=when, order=stamp, receipt=bool(found.group("receipt"))
    )


def _canvas(path: str) -> LmsName | None:
    for pattern in (_CANVAS_ANON, _CANVAS):
        found = pattern.match(path)
        if found:
            _base, again = reupload(found.group("file"))
            return LmsName(
                found.group("id"),
                found.group("file"),
                "Canvas",
                late=bool(found.group("late")),
                order=(int(found.group("file_id")), again),
            )
    return None


def _moodle(path: str) -> LmsName | None:
    for pattern in (_MOODLE_FOLDERS, _MOODLE_FLAT):
        found = pattern.match(path)
        if found:
            return LmsName(found.group("id"), found.group("file"), "Moodle")
    return None


def _custom(path: str, patterns: list[str]) -> LmsName | None:
    for pattern in patterns:
        found = re.match(pattern, path, flags=re.IGNORECASE)
        if found is None:
            continue
        groups = {k: v for k, v in found.groupdict().items() if v}
        student = groups.get("student") or groups.get("student_id")
        if not student or student.casefold() in _NOT_IDS:
            continue
        file = groups.get("file") or groups.get("file_id") or path.rsplit("/", 1)[-1]
        when = _custom_time(groups.get("timestamp"))
        order = (
            (when.year, when.month, when.day, when.hour, when.minute, when.second) if when else ()
        )
        return LmsName(student, file, time=when, order=order)
    return None


def _custom_time(text: str | None) -> datetime.datetime | None:
    for fmt in ("%Y-%m-%d-%H-%M-%S", "%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S"):
        try:
            return datetime.datetime.strptime(text or "", fmt)
        except ValueError:
            continue
    return None


def read_name(
    path: str, patterns: list[str] | None = None, receipts: dict[str, str] | None = None
) -> LmsName | None:
    """Whose ``path`` (inside a download) is, by the LMS's naming or the instructor's
    ``patterns`` (tried first; groups ``student`` and ``file``), or None.

    ``receipts``: Blackboard receipt (``<assignment>_<user>_attempt_<time>``) -> username.
    """
    if patterns:
        named = _custom(path, patterns)
        if named is not None:
            return named
    named = _blackboard(path, receipts or {}) or _moodle(path) or _canvas(path)
    return named if named is not None else _custom(path, GENERIC)
