"""A self-check quiz in real JupyterLab and Chromium: it renders, a click shows feedback,
and the saved notebook records which question was answered and how."""

from __future__ import annotations

import json
from typing import Any

from course.quizbank import assemble

from ..quiz_support import one_wrong_answer, solve
from .conftest import ARTIFACTS, Lab

CELL = 'import course\ncourse.quiz("six-activities", seed=1)'


def test_quiz_renders_and_a_click_on_an_answer_shows_the_feedback(lab: Lab, page: Any) -> None:
    questions = assemble("six-activities", seed=1)
    scenario = next(i for i, q in enumerate(questions) if q.id == "six-procure-scenario")
    truth = next(i for i, q in enumerate(questions) if q.id == "six-dt-procures")
    right = solve(questions[scenario])
    wrong = "True" if one_wrong_answer(questions[truth]) else "False"

    path = lab.notebook("quiz/six-activities.ipynb", [CELL])
    lab.open(page, path)
    lab.run_all(page)
    cards = page.locator(".itil-q")
    cards.nth(len(questions) - 1).wait_for(timeout=30_000)
    assert cards.count() == len(questions)
    assert page.get_by_text(
        "Self-check: The six activities of the Service Value Chain"
    ).is_visible()

    # a right answer: click the option, then Check
    card = cards.nth(scenario)
    card.get_by_role("radio", name=right).check()
    card.get_by_role("button", name="Check").click()
    feedback = card.locator(".itil-fb")
    feedback.wait_for(timeout=20_000)
    text = feedback.inner_text()
    assert "Right." in text
    assert "Right: " + right in text
    assert questions[scenario].option(right).why in text  # type: ignore[union-attr]
    assert feedback.get_attribute("role") == "status"

    # a wrong answer says so in words, not only in colour
    card = cards.nth(truth)
    card.get_by_role("radio", name=wrong).check()
    card.get_by_role("button", name="Check").click()
    card.locator(".itil-fb").wait_for(timeout=20_000)
    assert "Not right: the statement is" in card.locator(".itil-fb").inner_text()
    page.locator(".itil-score", has_text="Score so far: 1 of 12").wait_for(timeout=20_000)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cards.nth(scenario).scroll_into_view_if_needed()
    cards.nth(scenario).screenshot(path=str(ARTIFACTS / "quiz-right-feedback.png"))
    cards.nth(truth).screenshot(path=str(ARTIFACTS / "quiz-wrong-feedback.png"))
    page.screenshot(path=str(ARTIFACTS / "quiz-six-activities.png"))

    # the saved file says which question was answered and what was chosen
    lab.save(page)
    saved = json.loads((lab.root / path).read_text())
    state = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    answered = {
        m["state"]["question_id"]: m["state"].get("response")
        for m in state.values()
        if m["state"].get("question_id")
    }
    assert len(answered) == len(questions)
    assert answered["six-procure-scenario"] == right
    assert answered["six-dt-procures"] is (wrong == "True")
    assert answered["six-names"] is None
    assert lab.error_outputs(page) == []
