"""The course says what its material says, and marks no learner wrong where it does not."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from course import ContentError, load_course
from course.loader import CONTENT_DIR
from course.quizbank import load_bank, read_bank
from course.quizbank._derive_util import MAP_WORDS
from course.quizbank.bank import QUIZ_DIR
from course.scenarios import scenario

from .content_support import break_file
from .notebook_support import cell_text, cells, notebooks, score_hidden


def test_q5_2_accepts_the_full_itil_name_of_development_and_management() -> None:
    """Q5.2's hidden test resolves practice names with the same resolver as every other."""
    full = score_hidden(
        "05-activities-practices",
        "q5-2",
        obtain_build_practices=["Software Development and Management", "Supplier Management"],
    )
    assert full.points == full.max_points == 2, full
    short = score_hidden(
        "05-activities-practices",
        "q5-2",
        obtain_build_practices=["Development and Management", "Service Desk"],
    )
    assert short.points == 0, short  # one right name, one wrong one taken back


def test_a_practice_typed_as_a_dict_key_by_its_full_name_still_counts() -> None:
    """Q6.4(b): a student who keys the dict by the full ITIL 4 name loses nothing."""
    answer = {
        "Service Desk": "Deliver & Support",
        "Risk Management": "Plan",
        "Release Management": "Design & Transition",
        "Measurement and Reporting": "Improve",
        "Relationship Management": "Engage",
        "Software Development and Management": "Obtain/Build",
    }
    result = score_hidden("06-practice", "pq4-pairs", supported_by=answer)
    assert result.points == result.max_points == 3, result


# --- lesson prose ------------------------------------------------------------------


def _markdown(notebook: str) -> str:
    return "\n".join("".join(c["source"]) for c in cells(notebook) if c["cell_type"] == "markdown")


def _paragraph(notebook: str, start: str) -> str:
    """The paragraph (or list item) of ``notebook`` that starts with ``start``."""
    text = _markdown(notebook)
    begin = text.index(start)
    end = min(i for i in (text.find("\n- ", begin), text.find("\n\n", begin), len(text)) if i >= 0)
    return " ".join(text[begin:end].split())


def test_lesson_2_gives_improvement_opportunities_and_plans_to_improve() -> None:
    """The material: Improve identifies improvement opportunities and writes improvement plans."""
    improve = load_course().activity_by_id("improve")
    assert "Identify improvement opportunities" in improve.key_activities
    assert "Improvement plans" in improve.outputs
    tip = _paragraph("02-six-activities", "- **Plan or Improve?**").casefold()
    improve_part = tip[tip.index("improve owns") : tip.index("plan sets")]
    assert "improvement opportunities" in improve_part, tip
    assert "improvement plans" in improve_part, tip
    assert "plan decides what improvements" not in tip


def test_lesson_3_does_not_make_improve_the_only_activity_that_connects_to_any_other() -> None:
    text = _markdown("03-activities-together")
    assert "Improve is special" not in text
    section = _paragraph("03-activities-together", "Any activity can hand over to any other")
    assert "Improve can connect to **any** other activity" in section


def test_lesson_5_rule_of_thumb_holds_for_every_practice_of_the_course() -> None:
    """The old rule ("everything with Management in it") missed practices without the word."""
    rule = _paragraph("05-activities-practices", "When in doubt")
    course = load_course()
    for activity in course.activities:
        assert activity.name in rule, activity.name
    assert "everything else with" not in rule
    # The practices whose names the old rule missed are named as practices.
    for practice in course.practices:
        if "Management" not in practice.name:
            assert practice.name in rule, practice.name


def test_graded_questions_on_practice_links_ask_about_the_course_map() -> None:
    """The material never says a practice supports only its listed activities."""
    for notebook, grade_id in [
        ("05-activities-practices", "q5-1-question"),
        ("05-activities-practices", "q5-2-question"),
        ("06-practice", "pq4-pairs-question"),
    ]:
        assert MAP_WORDS.search(cell_text(notebook, grade_id)), (notebook, grade_id)


def test_no_prose_presents_a_practice_as_supporting_exactly_one_activity() -> None:
    """Neither lessons nor the bank's texts may say a practice supports just one activity."""
    texts = [_markdown(p.parent.name) for p in notebooks()]
    for question in load_bank().questions:
        texts += [question.prompt, question.explanation]
        texts += [o.why for o in (*question.options, *question.items)]
    pattern = re.compile(r"supports (only )?one activity|one practice that supports one", re.I)
    offending = [t for t in texts if pattern.search(t)]
    assert offending == []


# --- the bank: rules in the loader ----------------------------------------------------


def _bank_error(tmp_path: Path, file: str, old: str, new: str) -> ContentError:
    folder = tmp_path / "quizzes"
    shutil.copytree(QUIZ_DIR, folder)
    break_file(folder, file, old, new)
    with pytest.raises(ContentError) as info:
        read_bank(folder, load_course())
    return info.value


def test_a_key_activity_that_a_practice_of_another_activity_covers_is_refused(
    tmp_path: Path,
) -> None:
    """ "Manage suppliers" is Obtain/Build's in the material, yet Supplier Management
    also supports Engage: keying it to Obtain/Build alone would mark Engage wrong."""
    err = _bank_error(tmp_path, "six-activities.yaml", "- Develop software", "- Manage suppliers")
    assert err.file == "quizzes/six-activities.yaml"
    assert "Supplier Management" in str(err)
    assert "also supports Engage" in str(err)


def test_a_typed_question_on_such_a_key_activity_is_refused_too(tmp_path: Path) -> None:
    err = _bank_error(
        tmp_path, "six-activities.yaml", "item: Handle incidents", "item: Plan improvements"
    )
    assert "Continual Improvement" in str(err)
    assert "also supports Improve" in str(err)


def test_a_question_on_practice_links_must_ask_about_the_course_map(tmp_path: Path) -> None:
    err = _bank_error(
        tmp_path,
        "activities-practices.yaml",
        "prompt: Which activity does Problem Management support in this course's map?",
        "prompt: Which activity does Problem Management support?",
    )
    assert err.file == "quizzes/activities-practices.yaml"
    assert "this course's map" in str(err)


def test_feedback_on_practice_links_speaks_of_the_course_map() -> None:
    question = load_bank().question("prac-deliver")
    wrong = [o for o in question.options if o.text == "Problem Management"]
    assert wrong
    assert wrong[0].why == "In this course's map, Problem Management supports Improve."


def test_the_change_order_question_asks_for_the_material_order_the_exercise_relaxes() -> None:
    """The change exercise accepts Plan or Engage first; the quiz asks for the listed order."""
    exercise = scenario("change-implementation")
    listed = [s.activity for s in exercise.model_answer.steps]
    engage_first = ["engage", "plan", *listed[2:]]
    assert listed[:2] == ["plan", "engage"]
    assert exercise.grade(listed).correct
    assert exercise.grade(engage_first).correct
    prompt = load_bank().question("vs-change-order").prompt
    assert "the order the course material lists them" in prompt
    assert "coordinating stakeholders" in prompt


#: American spellings a British text would not use (the material's list items aside).
AMERICAN = re.compile(
    r"\b(analyz\w*|fulfill|fulfills|fulfillment|licenses?|colors?|behaviors?|centers?|"
    r"organiz\w*|recogniz\w*|prioritiz\w*|summariz\w*|minimiz\w*|optimiz\w*|catalogs?|"
    r"programs?|enroll\w*|labeled|modeled|traveled|canceled|judgment|toward)\b",
    re.IGNORECASE,
)


def _material_list_items() -> list[str]:
    """Texts the course keeps exactly as the material writes them ("Analyze data")."""
    course = load_course()
    items: list[str] = []
    for activity in course.activities:
        items += [*activity.key_activities, *activity.outputs, *activity.example.steps]
    for stream in course.value_streams:
        items += [step.action for step in stream.steps]
    return sorted(items, key=len, reverse=True)


def test_the_prose_uses_british_spelling_and_keeps_the_material_list_items() -> None:
    texts = [_markdown(p.parent.name) for p in notebooks()]
    texts += [f.read_text(encoding="utf-8") for f in sorted(CONTENT_DIR.glob("*.yaml"))]
    for question in load_bank().questions:
        texts += [question.prompt, question.explanation]
        texts += [t for o in (*question.options, *question.items) for t in (o.text, o.why)]
    items = _material_list_items()
    assert "Analyze data" in items  # the material's spelling, kept as written
    assert "Fulfill requests" in items
    found = []
    for text in texts:
        for item in items:
            text = text.replace(item, "")
        found += [m.group(0) for m in AMERICAN.finditer(text)]
    assert found == []
