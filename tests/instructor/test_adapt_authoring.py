"""The README's "Adapt the content", followed step by step in a clone of the kit.

Add the guide's quiz question (plain values), see ``check`` refuse it, seal it, see
``check`` pass; edit a sealed option and see ``check`` name the question, re-seal it;
add the guide's scenario with its judged streams and see ``check`` hold the rubric to
them (every disagreeing stream named); open it with the guide's lesson cell; import
the guide's roster. The YAML, the cell and the CSV are taken from the README itself.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from tests.instructor.kit import Machine, command, guide_text, kit_clone

pytestmark = pytest.mark.slow

CHECK = "python -m autograder check"
SEAL = "python -m autograder seal course/content/quizzes/six-activities.yaml"
ROSTER = "nbgrader db student import students.csv"
_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def _section() -> str:
    guide = guide_text()
    start = guide.index("### Adapt the content")
    return guide[start : guide.index("\n### ", start + 1)]


def _block(language: str, containing: str) -> str:
    found = [b for lang, b in _BLOCK.findall(_section()) if lang == language and containing in b]
    assert len(found) == 1, (
        f"the guide should have one {language or 'plain'} block with {containing!r}"
    )
    return found[0]


def _append(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\n" + block, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"test set-up: {old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return kit_clone(tmp_path_factory.mktemp("adapt") / "kit")


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> Machine:
    return Machine(tmp_path_factory.mktemp("machine"))


def test_a_new_quiz_question_is_sealed_then_checked(kit: Path, machine: Machine) -> None:
    quiz = kit / "course" / "content" / "quizzes" / "six-activities.yaml"
    _append(quiz, _block("yaml", "id: six-printer-call"))

    plain = machine.run(command(CHECK), kit, check=False)
    assert plain.returncode == 2
    assert "quiz bank: 3 problems" in plain.stdout
    marks = re.findall(r"\(questions\[\d+\]\.options\[(\d)\]\.mark\): (.+)", plain.stdout)
    assert marks == [
        (
            "0",
            "question 'six-printer-call': 'right' is not a sealed key (32 hex digits): if it "
            "is the plain answer, run `python -m autograder seal` on this file to seal it",
        ),
        *[
            (
                n,
                "question 'six-printer-call': 'wrong' is not a sealed key (32 hex digits): if "
                "it is the plain answer, run `python -m autograder seal` on this file to seal it",
            )
            for n in "12"
        ],
    ]

    sealed = machine.run(command(SEAL), kit)
    assert sealed.stdout.strip() == "course/content/quizzes/six-activities.yaml: sealed 3 keys"
    assert "mark: right" not in quiz.read_text(encoding="utf-8")
    ok = machine.run(command(CHECK), kit)
    assert "quiz bank: ok (57 questions)" in ok.stdout

    # an option edited after sealing: check names the question and the option
    _replace(
        quiz,
        "- text: Deliver & Support\n        why: Restoring",
        "- text: Deliver & Support (the service desk)\n        why: Restoring",
    )
    stale = machine.run(command(CHECK), kit, check=False)
    assert stale.returncode == 2
    assert (
        "question 'six-printer-call': the mark of 'Deliver & Support (the service desk)' "
        "is neither right nor wrong"
    ) in stale.stdout
    # re-sealing: the plain value back in its place, then seal again
    text = quiz.read_text(encoding="utf-8")
    start = text.index("- text: Deliver & Support (the service desk)")
    mark = re.compile(r"mark: \S+").search(text, start)
    assert mark is not None
    quiz.write_text(text[: mark.start()] + "mark: right" + text[mark.end() :], encoding="utf-8")
    assert machine.run(command(SEAL), kit).stdout.endswith("sealed 1 key\n")
    assert "quiz bank: ok (57 questions)" in machine.run(command(CHECK), kit).stdout


def test_a_new_scenario_is_held_to_its_judged_streams(kit: Path, machine: Machine) -> None:
    scenarios = kit / "course" / "content" / "scenarios.yaml"
    shipped = scenarios.read_text(encoding="utf-8")
    block = _block("yaml", "id: printer-jam")

    # two judgements the rubric disagrees with: check names both, not only the first
    misjudged = block.replace(
        "        - [deliver-support, improve]\n",
        "        - [engage, deliver-support, improve, improve]\n",
    ).replace(
        "        - [engage, plan, deliver-support, improve]\n",
        "        - [engage, deliver-support, improve]\n",
    )
    assert "- [engage, deliver-support, improve]\n" in misjudged
    assert "- [engage, deliver-support, improve, improve]\n" in misjudged
    _append(scenarios, misjudged)
    wrong = machine.run(command(CHECK), kit, check=False)
    assert wrong.returncode == 2
    assert "scenarios: 2 problems" in wrong.stdout
    assert (
        "scenario 'printer-jam': the stream Engage → Deliver & Support → Improve, judged weak, "
        "scores 1.00 on the rubric; a weak stream must score less than full marks (1.00)"
    ) in wrong.stdout
    assert (
        "scenario 'printer-jam': the stream Engage → Deliver & Support → Improve → Improve, "
        "judged wrong, scores 0.75 on the rubric; a wrong stream must score at most 0.50"
    ) in wrong.stdout

    # the guide's scenario, as it is written there, passes
    scenarios.write_text(shipped, encoding="utf-8")
    _append(scenarios, block)
    assert "scenarios: ok (17 scenarios)" in machine.run(command(CHECK), kit).stdout


def test_the_lesson_cell_opens_the_new_exercise(kit: Path) -> None:
    """The guide's cell, after the lesson's ``import course``, opens the new scenario."""
    scenarios = kit / "course" / "content" / "scenarios.yaml"
    if "id: printer-jam" not in scenarios.read_text(encoding="utf-8"):
        _append(scenarios, _block("yaml", "id: printer-jam"))
    cell = _block("python", "course.builder(")
    program = textwrap.dedent(
        f"""\
        import course
        widget = {cell.strip()}
        print(widget.scenario.id, widget.scenario.title)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=kit, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "printer-jam The printer has jammed"


def test_the_roster_is_imported_from_the_guides_csv(kit: Path, machine: Machine) -> None:
    csv = _block("", "id,first_name,last_name,email")
    (kit / "students.csv").write_text(csv, encoding="utf-8")
    machine.run(command(ROSTER), kit)
    with Gradebook(f"sqlite:///{kit / 'gradebook.db'}") as gradebook:
        found = {(s.id, s.first_name, s.last_name, s.email) for s in gradebook.students}
    assert found == {
        ("ada", "Ada", "Lovelace", "ada@example.org"),
        ("grace", "Grace", "Hopper", "grace@example.org"),
    }
