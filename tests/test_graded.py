"""course.graded: plain answers only, partial credit, clear messages, widget answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import course
from course import graded
from course.graded import AnswerError, Problem, Result, plain

SIX = ["plan", "improve", "engage", "design-transition", "obtain-build", "deliver-support"]
ENGAGE_PURPOSE = (
    "To work with stakeholders so that their needs are understood and they stay satisfied."
)


class AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


class RiggedStr(str):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = str.__hash__


class RiggedList(list):  # type: ignore[type-arg]
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = None  # type: ignore[assignment]


class FakeClass:
    """Claims to be a str through ``__class__``; ``isinstance`` would believe it."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return str


class Exploding:
    def __iter__(self) -> Any:
        raise RuntimeError("boom")

    def __len__(self) -> int:
        raise RuntimeError("boom")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("boom")

    __hash__ = object.__hash__


def _recursive() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


MALFORMED: list[Any] = [
    AlwaysEqual(),
    RiggedStr("Plan"),
    RiggedList(["Plan"]),
    [RiggedStr("Plan")] * 6,
    FakeClass(),
    Exploding(),
    [Exploding()],
    _recursive(),
    {1: "Plan"},
    b"Plan",
    42,
    3.5,
    "x" * 10_000,
    ["Plan"] * 5_000,
    (x for x in ["Plan"]),
    object(),
    ...,
    None,
]


# --- plain ---------------------------------------------------------------------------


def test_plain_copies_exact_builtins_into_json_values() -> None:
    value = plain(
        {"a": (1, 2.5, True, None), "b": {"Plan", "Engage"}, "c": [course.activity("plan")]}
    )
    assert value == {"a": [1, 2.5, True, None], "b": ["Engage", "Plan"], "c": ["Plan"]}
    assert json.loads(json.dumps(value)) == value


@pytest.mark.parametrize(
    "value",
    [AlwaysEqual(), RiggedStr("B"), RiggedList(["B"]), FakeClass(), {1: "x"}, b"B"],
    ids=["rigged-eq", "str-subclass", "list-subclass", "fake-class", "int-key", "bytes"],
)
def test_plain_refuses_objects_that_could_cheat_a_comparison(value: object) -> None:
    """Rigged __eq__/__hash__, subclasses of built-ins and a faked __class__ never pass."""
    with pytest.raises(AnswerError, match=r"plain|key of the dict"):
        plain(value)


def test_plain_names_what_it_refused_in_words() -> None:
    with pytest.raises(AnswerError) as caught:
        plain(["Plan", RiggedStr("Engage")])
    assert "RiggedStr (made from str, but not a plain one)" in str(caught.value)


def test_plain_bounds_size_and_depth() -> None:
    with pytest.raises(AnswerError, match="too large"):
        plain(list(range(5_000)))
    with pytest.raises(AnswerError, match="nested too deeply"):
        plain(_recursive())
    with pytest.raises(AnswerError, match="too long"):
        plain("x" * 10_000)


def test_ellipsis_is_unanswered_at_the_top_and_an_empty_part_inside() -> None:
    with pytest.raises(AnswerError, match=r"replace \.\.\. with your answer"):
        plain(...)
    assert plain({"a": ..., "b": True}) == {"a": None, "b": True}


# --- never a traceback ------------------------------------------------------------------


SCORERS = [
    lambda a: graded.score_names(a, SIX, points=3),
    lambda a: graded.score_sequence(a, ["plan", "engage"], points=2),
    lambda a: graded.score_choice(a, "B", points=2),
    lambda a: graded.score_choice(a, "AC", points=2, options="ABCD", multiple=True),
    lambda a: graded.score_truth(a, True, points=1),
    lambda a: graded.score_truth(a, {"a": True, "b": False}, points=2),
    lambda a: graded.score_mapping(a, {"Service Desk": "deliver-support"}, points=1),
    lambda a: graded.score_stream(a, scenario="payroll-crash", points=3),
]
CHECKS = [
    lambda a: graded.check_names(a, count=6),
    lambda a: graded.check_choice(a),
    lambda a: graded.check_choice(a, multiple=True),
    lambda a: graded.check_truth(a),
    lambda a: graded.check_truth(a, parts="ab"),
    lambda a: graded.check_mapping(a, keys=["Service Desk"]),
    lambda a: graded.check_stream(a),
]


@pytest.mark.parametrize("scorer", SCORERS)
def test_every_scorer_gives_zero_and_a_reason_for_malformed_answers(scorer: Any) -> None:
    for value in MALFORMED:
        result = scorer(value)
        assert isinstance(result, Result), value
        assert result.points == 0, (value, str(result))
        assert result.lines, value
        assert result.lines[0], value


@pytest.mark.parametrize("check", CHECKS)
def test_every_check_reports_malformed_answers_as_a_zero_point_problem(
    check: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    for value in MALFORMED:
        problem = check(value)
        assert isinstance(problem, Problem), value
        assert repr(problem) == "0"
        assert problem.message
    assert capsys.readouterr().err == ""


# --- names, sequences -----------------------------------------------------------------


def test_score_names_accepts_any_spelling_and_order() -> None:
    answer = [
        "deliver & support",
        "Obtain/Build",
        "design and transition",
        "ENGAGE",
        "Improve",
        "plan",
    ]
    result = graded.score_names(answer, SIX, points=3)
    assert (result.points, repr(result)) == (3.0, "3")


def test_score_names_gives_a_share_per_right_name_and_takes_one_back_per_wrong() -> None:
    result = graded.score_names(["Plan", "Improve", "Engage", "Service Desk"], SIX, points=3)
    assert result.points == 1.0
    assert "'Service Desk'" in str(result)
    assert graded.score_names(["Plan"] * 6, SIX, points=3).points == 0.5  # duplicates count once
    assert graded.score_names(["Service Desk"] * 3, SIX, points=3).points == 0


def test_score_names_explains_a_text_where_a_list_was_expected() -> None:
    result = graded.score_names("Plan, Improve", SIX, points=3)
    assert result.points == 0
    assert "list of names in square brackets" in result.lines[0]


def test_score_names_with_a_count_asks_for_that_many_of_the_right_names() -> None:
    key = [
        "supplier-management",
        "development-and-management",
        "infrastructure-and-platform-management",
    ]
    score = graded.score_names
    assert (
        score(
            ["Supplier Management", "Development and Management"],
            key,
            kind="practice",
            count=2,
            points=2,
        ).points
        == 2
    )
    assert score(["supplier management"], key, kind="practice", count=2, points=2).points == 1
    assert (
        score(
            ["Supplier Management", "Service Desk"], key, kind="practice", count=2, points=2
        ).points
        == 0
    )
    assert score(key, key, kind="practice", count=2, points=2).points == 2  # never above the points


def test_score_sequence_marks_position_by_position_and_extra_names_cost() -> None:
    key = ["design-transition", "obtain-build"]
    assert graded.score_sequence(["Design & Transition", "Obtain/Build"], key, points=2).points == 2
    assert graded.score_sequence(["Obtain/Build", "Design & Transition"], key, points=2).points == 0
    assert graded.score_sequence(["Design & Transition", "Plan"], key, points=2).points == 1
    padded = ["Design & Transition", "Obtain/Build", "Plan", "Improve"]
    assert graded.score_sequence(padded, key, points=2).points == 1


# --- choices, truth -------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["B", "b", " (b) ", "B)"])
def test_score_choice_reads_a_letter_however_it_is_written(typed: str) -> None:
    assert graded.score_choice(typed, "B", points=2).points == 2


def test_score_choice_with_several_letters_gives_partial_credit() -> None:
    score = graded.score_choice
    assert (
        score(["A", "C", "E", "F"], "ACEF", options="ABCDEF", multiple=True, points=2).points == 2
    )
    assert score(["A", "C", "B"], "ACEF", options="ABCDEF", multiple=True, points=2).points == 0.5
    assert score("A, C", "ACEF", options="ABCDEF", multiple=True, points=2).points == 1
    assert score(["B", "D"], "ACEF", options="ABCDEF", multiple=True, points=2).points == 0


def test_check_choice_names_the_valid_letters() -> None:
    problem = graded.check_choice("E")
    assert isinstance(problem, Problem)
    assert "choose from A, B, C, D" in problem.message


def test_a_bank_question_accepts_the_option_text_a_quiz_widget_records() -> None:
    """Typed letters count the bank question's options from the top."""
    for answer in (ENGAGE_PURPOSE, "F", "f"):
        result = graded.score_choice(answer, "F", points=2, question="six-engage-purpose")
        assert result.points == 2, answer
    wrong = graded.score_choice("A", "F", points=2, question="six-engage-purpose")
    assert wrong.points == 0
    assert graded.check_choice("F", question="six-engage-purpose") is None
    assert graded.check_choice("G", question="six-engage-purpose") is not None


def test_score_truth_reads_booleans_and_yes_no_words() -> None:
    assert graded.score_truth(True, True, points=1).points == 1
    assert graded.score_truth("yes", True, points=1).points == 1
    assert graded.score_truth(False, True, points=1).points == 0
    assert graded.score_truth(1, True, points=1).points == 0  # 1 is not True


def test_score_truth_with_parts_scores_each_part_and_skips_the_unanswered() -> None:
    key = {"a": True, "b": False, "c": True, "d": False}
    result = graded.score_truth({"a": True, "b": True, "c": ..., "d": False}, key, points=2)
    assert result.points == 1
    assert "Not answered: 'c'" in str(result)


# --- mappings -------------------------------------------------------------------------


def test_score_mapping_matches_keys_and_values_in_any_spelling() -> None:
    key = {
        "Incident Management": "deliver-support",
        "Supplier Management": ["engage", "obtain-build"],
    }
    answer = {"incident management": "deliver and support", "SUPPLIER MANAGEMENT": "Obtain/Build"}
    assert graded.score_mapping(answer, key, points=2).points == 2


def test_score_mapping_gives_a_share_per_right_pair() -> None:
    key = {"a": "plan", "b": "engage", "c": "improve", "d": "obtain-build"}
    result = graded.score_mapping(
        {"a": "Plan", "b": "Plan", "c": ..., "z": "Engage"}, key, points=2
    )
    assert result.points == 0.5
    assert "'b': 'Plan'" in str(result)


def test_check_mapping_flags_an_unknown_key_and_a_value_that_is_no_activity() -> None:
    keys = ["Service Desk", "Risk Management"]
    unknown = graded.check_mapping({"Service Dsk": "Plan"}, keys=keys)
    assert isinstance(unknown, Problem)
    assert "'Service Dsk' is not one of the things to match" in unknown.message
    bad_value = graded.check_mapping({"Service Desk": "Pln"}, keys=keys)
    assert isinstance(bad_value, Problem)
    assert "not an activity name" in bad_value.message
    assert isinstance(graded.check_mapping({"Service Desk": ...}, keys=keys), Problem)


def test_check_mapping_with_choices_names_the_values_a_student_may_give() -> None:
    choices = ["Flexible", "Universal"]
    assert graded.check_mapping({"a": "flexible"}, keys="ab", kind="text", choices=choices) is None
    problem = graded.check_mapping({"a": "Bendy"}, keys="ab", kind="text", choices=choices)
    assert isinstance(problem, Problem)
    assert problem.message == "The value for 'a', 'Bendy', is not one of: 'Flexible', 'Universal'."
    key = {"a": "flexible", "b": "universal"}
    assert (
        graded.score_mapping({"a": "FLEXIBLE", "b": "Bendy"}, key, kind="text", points=2).points
        == 1
    )


def test_check_mapping_reports_what_is_still_to_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        graded.check_mapping({"Service Desk": "Deliver & Support"}, keys=["Service Desk", "X"])
        is None
    )
    assert "1 of 2 answered; still to answer: 'X'" in capsys.readouterr().out


# --- value streams --------------------------------------------------------------------


RUBRIC: dict[str, Any] = {"scenario": "payroll-crash"}


def test_score_stream_scores_on_the_named_scenarios_rubric() -> None:
    full = graded.score_stream(
        ["Engage", "Obtain/Build", "Deliver & Support", "Improve"], points=2, **RUBRIC
    )
    assert full.points == 2
    partial = graded.score_stream(["Engage", "Deliver & Support", "Improve"], points=2, **RUBRIC)
    assert partial.points == 1  # start and the lesson met; the supplier's patch (weight 2) missed
    assert "✗ Obtain/Build is followed by Deliver & Support" in partial.lines
    backwards = graded.score_stream(
        ["Improve", "Deliver & Support", "Obtain/Build", "Engage"], points=2, **RUBRIC
    )
    assert backwards.points == 0


def test_score_stream_takes_marks_off_for_needless_steps_and_says_which() -> None:
    planned = graded.score_stream(
        ["Engage", "Plan", "Design & Transition", "Obtain/Build", "Deliver & Support", "Improve"],
        points=3,
        **RUBRIC,
    )
    assert planned.points == 1.5
    assert any(line.startswith("✗ Step 2 (Plan) is needless") for line in planned.lines)


# The streams issue 12 found mis-scored: (scenario, points, stream, the most it may earn).
ISSUE_12 = [
    ("payroll-crash", 3, "E I I O P D S E P I", 1.5),
    ("payroll-crash", 3, "E P D O S I", 2.99),  # plans and designs an incident fix: weak
    ("intranet-move", 3, "P E I", 1.5),
    ("intranet-move", 3, "P I E I D I O I S I", 1.5),
    ("feedback-portal", 3, "E I P I D I O I S I", 1.5),
    ("recurring-incidents", 2, "S E E E I P S", 1.0),
]
LETTERS = {
    "E": "Engage",
    "P": "Plan",
    "D": "Design & Transition",
    "O": "Obtain/Build",
    "S": "Deliver & Support",
    "I": "Improve",
}


@pytest.mark.parametrize(("scenario", "points", "stream", "most"), ISSUE_12)
def test_the_nonsense_streams_of_issue_12_earn_at_most_half(
    scenario: str, points: int, stream: str, most: float
) -> None:
    names = [LETTERS[letter] for letter in stream.split()]
    assert graded.score_stream(names, scenario=scenario, points=points).points <= most


def test_the_email_outage_shape_earns_full_marks_for_the_payroll_crash() -> None:
    """Issue 12: an incident diagnosed before the supplier's patch arrives was refused."""
    names = [LETTERS[letter] for letter in ("E", "S", "O", "S", "I")]
    assert graded.score_stream(names, scenario="payroll-crash", points=3).points == 3


def test_score_stream_with_an_unknown_scenario_is_an_authoring_error() -> None:
    with pytest.raises(LookupError, match="'payroll' is not a value-stream exercise"):
        graded.score_stream(["Engage"], scenario="payroll", points=3)


def test_score_stream_names_the_step_that_is_not_an_activity() -> None:
    result = graded.score_stream(["Engage", "Improvement"], points=2, **RUBRIC)
    assert result.points == 0
    assert "'Improvement' is not an activity" in result.lines[0]
    problem = graded.check_stream(["Engage", "Obtain"])
    assert isinstance(problem, Problem)
    assert "The six are: Plan, Improve" in problem.message


# --- what the student and nbgrader see ------------------------------------------------


def test_a_result_shows_points_to_nbgrader_and_reasons_to_the_student() -> None:
    result = graded.score_names(["Plan", "<script>"], SIX, points=3)
    assert repr(result) == "0"  # 1 right, 1 wrong
    html = result._repr_html_()
    assert "0 of 3 points" in html
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert float(repr(graded.score_names(["Plan"], SIX, points=3))) == 0.5


def test_a_good_answer_prints_one_line_and_returns_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert graded.check_names(["Plan", "Engage"], count=2) is None
    out = capsys.readouterr()
    assert out.out.startswith("Format OK: a list of 2 names.")
    assert out.err == ""


def test_a_scorer_never_gives_more_than_the_points() -> None:
    assert graded.score_names(SIX + SIX, SIX, points=3).points == 3


# --- widget answers -------------------------------------------------------------------


@pytest.fixture
def answers_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(graded.ANSWERS_ENV, raising=False)
    return tmp_path / graded.ANSWERS_FILE


def test_a_saved_widget_answer_is_used_when_the_answer_cell_holds_dots(answers_file: Path) -> None:
    answers_file.write_text(
        json.dumps({"q4-1": ["engage", "obtain-build", "deliver-support", "improve"]})
    )
    assert graded.widget_answer("q4-1") == [
        "engage",
        "obtain-build",
        "deliver-support",
        "improve",
    ]
    assert graded.score_stream(..., points=2, question="q4-1", **RUBRIC).points == 2
    assert graded.score_stream(["Improve"], points=2, question="q4-1", **RUBRIC).points == 0
    assert graded.widget_answer("other") is None


def test_the_answers_file_can_be_named_by_the_environment(
    answers_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({"pq2": "C"}))
    monkeypatch.setenv(graded.ANSWERS_ENV, str(elsewhere))
    assert graded.score_choice(None, "C", points=2, question="pq2").points == 2


@pytest.mark.parametrize(
    "content", ["not json", "[1, 2]", '{"q": {"deep": [[[[[[[[1]]]]]]]]}}', ""]
)
def test_a_damaged_answers_file_counts_as_no_answer(answers_file: Path, content: str) -> None:
    answers_file.write_text(content)
    assert graded.widget_answer("q") is None
    result = graded.score_choice(..., "B", points=2, question="q")
    assert result.points == 0
    assert "Not answered yet" in result.lines[0]


def test_the_newest_live_widget_with_an_answer_wins(answers_file: Path) -> None:
    ipywidgets = pytest.importorskip("ipywidgets")
    from traitlets import Any as AnyTrait
    from traitlets import Unicode

    class Answering(ipywidgets.DOMWidget):  # type: ignore[misc]
        question_id = Unicode("").tag(sync=True)
        response = AnyTrait(None, allow_none=True).tag(sync=True)

    answers_file.write_text(json.dumps({"live-q": "A"}))
    older = Answering(question_id="live-q", response="B")
    newer = Answering(question_id="live-q", response="D")
    empty = Answering(question_id="live-q", response=None)
    try:
        assert graded.widget_answer("live-q") == "D"
        newer.close()
        assert graded.widget_answer("live-q") == "B"
        older.response = RiggedStr("C")  # not a plain value: ignored, like no answer
        assert graded.widget_answer("live-q") == "A"  # falls back to the saved file
        assert graded.score_choice("C", "C", points=1, question="live-q").points == 1  # typed wins
    finally:
        for widget in (older, newer, empty):
            widget.close()
