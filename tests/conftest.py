"""Suite-wide set-up: no test writes into the real learner's data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_course_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point ITIL_COURSE_DATA at a temporary folder for the whole run."""
    folder = tmp_path_factory.mktemp("course-data")
    before = os.environ.get("ITIL_COURSE_DATA")
    os.environ["ITIL_COURSE_DATA"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("ITIL_COURSE_DATA", None)
    else:
        os.environ["ITIL_COURSE_DATA"] = before
