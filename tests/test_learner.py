"""Self-check options come in each learner's own order: stable across sessions, seedable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import course
from course.learner import ID_FILE, layout_seed, learner_id
from course.quizbank import load_bank

OBJECTIVES = [o.id for o in course.load_course().objectives]


@pytest.fixture
def learner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh learner: an empty data folder of their own."""
    folder = tmp_path / "learner"
    monkeypatch.setenv("ITIL_COURSE_DATA", str(folder))
    return folder


def _orders(objective: str, seed: int | None = None) -> dict[str, list[str]]:
    quiz = course.quiz(objective, seed=seed)
    return {
        q.question_id: [o.text for o in q.question.options]
        for q in quiz.questions
        if q.question.kind in ("single", "multiple")
    }


def _all_orders(seed: int | None = None) -> dict[str, list[str]]:
    return {k: v for objective in OBJECTIVES for k, v in _orders(objective, seed).items()}


def test_the_id_is_created_once_and_kept_in_the_data_folder(learner: Path) -> None:
    first = learner_id()
    assert (learner / ID_FILE).read_text().strip() == first
    assert len(first) == 32
    assert learner_id() == first


def test_a_new_session_gives_the_same_id_and_the_same_option_order(learner: Path) -> None:
    """A new kernel (here: a new Python process) reads the stored id back."""
    before = _all_orders()
    code = "from course.learner import learner_id; print(learner_id())"
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert other == learner_id()
    assert _all_orders() == before


def test_options_are_shuffled_and_two_learners_see_different_orders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = {q.id: [o.text for o in q.options] for q in load_bank().questions}
    seen = []
    for name in ("ann", "bob"):
        monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path / name))
        seen.append(_all_orders())
    ann, bob = seen
    assert ann.keys() == bob.keys()
    assert len(ann) >= 20
    for orders in (ann, bob):
        moved = [k for k, v in orders.items() if v != bank[k]]
        assert len(moved) > len(orders) / 2, "options are not shuffled"
        assert all(sorted(v) == sorted(bank[k]) for k, v in orders.items())
    differ = [k for k in ann if ann[k] != bob[k]]
    assert len(differ) > len(ann) / 2, differ


def test_a_seed_reproduces_a_layout_whoever_the_learner_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts = []
    for name in ("ann", "bob"):
        monkeypatch.setenv("ITIL_COURSE_DATA", str(tmp_path / name))
        layouts.append(_all_orders(seed=7))
    assert layouts[0] == layouts[1]
    assert _all_orders(seed=8) != layouts[0]
    assert layout_seed(7) != layout_seed(None)


def test_an_existing_id_is_never_replaced(learner: Path) -> None:
    learner.mkdir()
    (learner / ID_FILE).write_text("0123456789abcdef0123456789abcdef\n")
    assert learner_id() == "0123456789abcdef0123456789abcdef"
    assert [p.name for p in learner.iterdir()] == [ID_FILE]  # no staging file left behind


def test_a_damaged_id_file_is_kept_and_still_gives_a_stable_id(learner: Path) -> None:
    learner.mkdir()
    (learner / ID_FILE).write_text("not an id")
    first = learner_id()
    assert first == learner_id()
    assert len(first) == 32
    assert (learner / ID_FILE).read_text() == "not an id"


def test_a_folder_that_cannot_be_written_still_gives_a_stable_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("ITIL_COURSE_DATA", str(blocker / "data"))  # a folder inside a file
    first = learner_id()
    assert first == learner_id()
    assert len(first) == 32
    assert _orders("what-is-svc") == _orders("what-is-svc")


def test_without_hard_links_the_id_is_still_created_once(
    learner: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pyodide (the course site) has no ``os.link``: the id is created with an exclusive
    open instead, kept, and never replaced."""
    import course.learner as module

    monkeypatch.delattr(module.os, "link")
    first = learner_id()
    assert (learner / ID_FILE).read_text(encoding="utf-8").strip() == first
    assert learner_id() == first
    assert not [p.name for p in learner.iterdir() if p.name != ID_FILE]
