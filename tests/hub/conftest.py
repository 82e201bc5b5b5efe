"""The hub test's machine: real accounts, the shared exchange, the kit for all, JupyterHub.

``hub_machine`` builds, for one test module, what a hub administrator sets up once: the
kit in an environment every user can run (:mod:`.kit_env`), the proxy (:mod:`.proxy`),
local accounts (:mod:`.accounts`) in the course's group, an exchange folder anyone may
write to (mode 1777, as nbgrader documents), the site's nbgrader configuration (the
README's file, with this run's exchange folder), an instructor's course folder owned by
the instructor, and JupyterHub itself (:mod:`.hub`). Everything is removed afterwards.

It needs root (for ``useradd`` and for the hub to start servers as other users),
Chromium, bubblewrap and npm: without them the test skips with the reason, except
under ``CI=true``, where it fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM

from .accounts import Account, local_accounts, run_as
from .hub import Hub, running_hub
from .kit_env import shared_kit
from .proxy import proxy_bin

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SITE_CONFIG = HERE / "nbgrader_config.py"
COURSE_CONFIG = HERE / "course_nbgrader_config.py"
#: The exchange folder the README's site configuration names.
README_EXCHANGE = "/srv/nbgrader/exchange"
GROUP = "itil-svc"
INSTRUCTOR = "itil-teacher"
STUDENTS = ("itil-ada", "itil-grace")
#: A second course on the hub, releasing an assignment of the same name.
OTHER_COURSE = "itil-svc-autumn"


def _require(ok: bool, why: str) -> None:
    if ok:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{why}: the JupyterHub test must run under CI=true")
    pytest.skip(why)


def course_id() -> str:
    """The course id the README's course configuration sets."""
    found = re.findall(r'course_id = "([^"]+)"', COURSE_CONFIG.read_text(encoding="utf-8"))
    assert len(found) == 1, f"{COURSE_CONFIG.name} should set one course id: {found}"
    return found[0]


@dataclass
class HubMachine:
    hub: Hub
    kit: Path
    base: Path
    exchange: Path
    site: Path
    accounts: dict[str, Account]
    course: Path
    other_course: Path  # a second course on the same hub and exchange

    @property
    def instructor(self) -> Account:
        return self.accounts[INSTRUCTOR]

    def env(self) -> dict[str, str]:
        """An environment like the one the hub gives each server."""
        return {
            "PATH": os.pathsep.join([str(self.kit / "bin"), "/usr/bin", "/bin"]),
            "JUPYTER_CONFIG_PATH": str(self.site),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
        }

    def as_instructor(
        self, argv: list[str], course: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` as the instructor, in the course folder (default: the first)."""
        return run_as(self.instructor, argv, course or self.course, self.env())


def _site_config(folder: Path, exchange: Path) -> Path:
    """The README's site configuration, naming this run's exchange folder."""
    text = SITE_CONFIG.read_text(encoding="utf-8")
    assert text.count(repr(README_EXCHANGE).replace("'", '"')) == 1, text
    folder.mkdir(parents=True)
    (folder / "nbgrader_config.py").write_text(text.replace(README_EXCHANGE, str(exchange)))
    return folder


def _course_folder(account: Account, cid: str) -> Path:
    """The instructor's course ``cid``: source/, release/ and the kit's nbgrader_config.py
    with the README's course lines (naming ``cid``) added; owned by the instructor."""
    course = account.home / cid
    for folder in ("source", "release"):
        shutil.copytree(REPO / folder, course / folder)
    kit_config = (REPO / "nbgrader_config.py").read_text(encoding="utf-8")
    course_lines = COURSE_CONFIG.read_text(encoding="utf-8").replace(course_id(), cid)
    (course / "nbgrader_config.py").write_text(f"{kit_config}\n{course_lines}")
    subprocess.run(["chown", "-R", f"{account.uid}:{account.gid}", str(course)], check=True)
    return course


@pytest.fixture(scope="module")
def hub_machine() -> Iterator[HubMachine]:
    _require(hasattr(os, "geteuid") and os.geteuid() == 0,
             "the hub test creates local accounts with useradd: run it as root")  # fmt: skip
    _require(Path(CHROMIUM).exists(), f"Debian chromium is not installed at {CHROMIUM}")
    _require(shutil.which("bwrap") is not None, "bubblewrap (bwrap) is not installed")
    _require(shutil.which("npm") is not None, "npm is not installed")
    _require(shutil.which("useradd") is not None, "useradd is not installed")
    kit = shared_kit()
    proxy = proxy_bin()
    # Not pytest's tmp_path: it is private to root, and every user needs the exchange.
    base = Path(tempfile.mkdtemp(prefix="itil-hub-"))
    try:
        base.chmod(0o755)
        exchange = base / "exchange"
        exchange.mkdir()
        exchange.chmod(0o1777)
        site = _site_config(base / "etc-jupyter", exchange)
        subprocess.run(["chmod", "-R", "a+rX", str(site)], check=True)
        with local_accounts([INSTRUCTOR, *STUDENTS], GROUP) as accounts:
            course = _course_folder(accounts[INSTRUCTOR], course_id())
            other = _course_folder(accounts[INSTRUCTOR], OTHER_COURSE)
            with running_hub(base / "hub", kit, proxy, site) as hub:
                yield HubMachine(hub, kit, base, exchange, site, accounts, course, other)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
