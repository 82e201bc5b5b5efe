"""The pure value-stream model: building, editing, JSON, and clear errors."""

from __future__ import annotations

import json

import pytest

import course
from course.model import Step
from course.valuestream import Stream, StreamError, UnknownStepError

SIX = "Plan, Improve, Engage, Design & Transition, Obtain/Build, Deliver & Support"


def test_builds_from_names_in_any_spelling_course_activity_accepts() -> None:
    stream = Stream.from_names(["engage", "PLAN", "design and transition", "obtain-build"])
    assert stream.activities == ("engage", "plan", "design-transition", "obtain-build")
    assert stream.names == ("Engage", "Plan", "Design & Transition", "Obtain/Build")


def test_activities_may_repeat_and_come_in_any_order() -> None:
    """The course: activities are not sequential; an activity may appear again."""
    names = ["Improve", "Deliver & Support", "Improve", "Plan", "Improve"]
    assert list(Stream.from_names(names).names) == names


def test_steps_carry_optional_notes_and_export_to_plain_json() -> None:
    stream = Stream.from_names(
        [{"activity": "Engage", "note": " Talk to the user "}, "Deliver & Support"]
    )
    exported = stream.to_json()
    assert exported == [
        {"activity": "engage", "note": "Talk to the user"},
        {"activity": "deliver-support", "note": ""},
    ]
    assert json.loads(json.dumps(exported)) == exported
    assert Stream.from_json(exported) == stream


def test_worked_example_converts_with_its_actions_as_notes() -> None:
    example = course.load_course().value_stream("incident-resolution")
    stream = Stream.from_value_stream(example)
    assert stream.activities == example.activities
    assert stream.steps[0] == Step("engage", "Communicate with user")


def test_links_are_the_hand_overs_between_consecutive_steps() -> None:
    stream = Stream.from_names(["Engage", "Plan", "Engage"])
    assert stream.links == (("engage", "plan"), ("plan", "engage"))
    assert stream.describe() == "1 Engage → 2 Plan → 3 Engage"
    assert Stream().describe() == "(no steps yet)"


def test_edits_return_new_streams_and_leave_the_old_one_alone() -> None:
    start = Stream.from_names(["Engage", "Plan"])
    longer = start.add("Design & Transition", "Design the service")
    assert start.activities == ("engage", "plan")
    assert longer.activities == ("engage", "plan", "design-transition")
    assert longer.steps[-1].action == "Design the service"
    assert longer.insert(0, "Improve").activities[0] == "improve"
    assert longer.remove(1).activities == ("engage", "design-transition")
    assert longer.remove(-1).activities == ("engage", "plan")
    assert longer.move(2, -2).activities == ("design-transition", "engage", "plan")
    assert longer.move(0, 1).activities == ("plan", "engage", "design-transition")
    assert longer.with_note(0, "Meet the customer").steps[0].action == "Meet the customer"


def test_connect_grows_the_stream_at_its_ends() -> None:
    """Empty: both steps; from the last step: append; into the first: prepend."""
    stream = Stream().connect("Engage", "Plan")
    assert stream.activities == ("engage", "plan")
    stream = stream.connect("plan", "Design and transition")
    assert stream.activities == ("engage", "plan", "design-transition")
    stream = stream.connect("Improve", "Engage")
    assert stream.activities == ("improve", "engage", "plan", "design-transition")
    # the last step may connect back to an activity already used (a loop)
    assert stream.connect("Design & Transition", "Plan").activities[-1] == "plan"


def test_connect_from_the_middle_says_where_to_connect_from() -> None:
    stream = Stream.from_names(["Engage", "Plan", "Design & Transition"])
    with pytest.raises(StreamError, match=r"connect from Design & Transition \(step 3\)"):
        stream.connect("Plan", "Obtain/Build")


def test_an_activity_cannot_hand_over_to_itself() -> None:
    with pytest.raises(StreamError, match="cannot hand over to itself"):
        Stream.from_names(["Plan"]).connect("Plan", "plan")


def test_unknown_activity_names_the_six_and_the_step() -> None:
    with pytest.raises(course.UnknownActivityError) as caught:
        Stream.from_names(["Engage", "Deliver", "Improve"])
    assert isinstance(caught.value, UnknownStepError)
    assert str(caught.value).startswith("Step 2: 'Deliver' is not a Service Value Chain activity")
    assert SIX in str(caught.value)
    with pytest.raises(course.UnknownActivityError, match="Did you mean 'Engage'"):
        Stream().add("Engag")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("Engage, Plan", "got a single text 'Engage, Plan': put each activity in the list"),
        (42, "a list of activity names, like \\['Engage', 'Plan'\\]; got the value 42"),
        (None, "got nothing \\(None\\)"),
        ({"activity": "Plan"}, "got a dict object"),
        ([["Plan"]], "Step 1: expected the name of an activity, found a list object"),
        ([{"step": "Plan"}], "Step 1: a step written as a mapping needs the key 'activity'"),
        ([{"activity": "Plan", "note": 3}], "Step 1: a note must be text, found the value 3"),
    ],
)
def test_malformed_input_gets_a_clear_message(bad: object, message: str) -> None:
    with pytest.raises(StreamError, match=message):
        Stream.from_names(bad)


def test_an_empty_list_is_the_empty_stream() -> None:
    empty = Stream.from_names([])
    assert not empty
    assert len(empty) == 0
    assert empty.to_json() == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.remove(5), "no step at index 5: the stream has 2 steps"),
        (lambda s: s.remove("1"), "a step index must be a whole number, not the text '1'"),
        (lambda s: s.move(0, -1), "step 1 cannot move there: it would pass the first step"),
        (lambda s: s.move(1, 1), "step 2 cannot move there: it would pass the last step"),
        (lambda s: s.insert(7, "Plan"), "cannot insert at position 7"),
        (lambda s: Stream().remove(0), "the value stream has no steps yet"),
    ],
)
def test_impossible_edits_say_why(edit: object, message: str) -> None:
    stream = Stream.from_names(["Engage", "Plan"])
    with pytest.raises(StreamError, match=message):
        edit(stream)  # type: ignore[operator]
