"""course.diagram: pictures drawn from the content model, readable in words too."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

import course
from course import diagram
from course.diagram import Figure

FIGURES = [
    diagram.chain,
    diagram.characteristics,
    diagram.takeaways,
    diagram.patterns,
    diagram.improve_links,
    diagram.practices,
    lambda: diagram.activity("engage"),
    lambda: diagram.stream("new-service-request"),
]


@pytest.mark.parametrize("make", FIGURES)
def test_every_figure_shows_html_and_describes_itself_in_words(make: object) -> None:
    figure = make()  # type: ignore[operator]
    assert isinstance(figure, Figure)
    assert figure._repr_html_().startswith("<")
    assert len(figure.text) > 40
    assert repr(figure) == str(figure) == figure.text


def _svg(figure: Figure) -> ElementTree.Element:
    match = re.search(r"<svg.*</svg>", figure.html, re.S)
    assert match, "no inline SVG"
    return ElementTree.fromstring(match.group(0))


def test_the_chain_draws_the_six_activities_in_order_and_in_their_colours() -> None:
    svg = _svg(diagram.chain())
    assert svg.get("role") == "img"
    fills = [r.get("fill") for r in svg.iter("{http://www.w3.org/2000/svg}rect")]
    assert fills == [a.colour for a in course.load_course().activities]
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    names = [a.name for a in course.load_course().activities]
    assert [t for t in texts if t in names] == names
    assert all(name in diagram.chain().text for name in names)


def test_a_worked_value_stream_is_drawn_step_by_step_with_its_actions() -> None:
    example = course.load_course().value_stream("incident-resolution")
    figure = diagram.stream("incident-resolution")
    for number, step in enumerate(example.steps, start=1):
        assert (
            f"step {number}: {course.activity(step.activity).name} ({step.action})" in figure.text
        )
    texts = " ".join(t.text or "" for t in _svg(figure).iter("{http://www.w3.org/2000/svg}text"))
    assert "step 4" in texts
    assert "Resolve incident" in texts


def test_a_stream_of_names_takes_any_spelling_and_rejects_a_non_activity() -> None:
    figure = diagram.stream(["plan", "design and transition"], title="Mine")
    assert (
        figure.text == "Mine: a value stream of 2 steps. step 1: Plan; step 2: Design & Transition."
    )
    with pytest.raises(course.UnknownActivityError, match="The six activities are"):
        diagram.stream(["Plan", "Service Desk"])


def test_an_activity_card_holds_every_fact_of_the_activity() -> None:
    item = course.activity("obtain-build")
    html = diagram.activity("Obtain/Build").html
    for fact in (item.purpose, *item.key_activities, *item.outputs, *item.practices):
        assert fact in html
    assert item.colour in html


def test_the_practice_map_lists_every_practice_and_marks_the_shared_one() -> None:
    figure = diagram.practices()
    for practice in course.load_course().practices:
        assert practice.name in figure.html
    shared = [p.name for p in course.load_course().practices if len(p.supports) > 1]
    assert shared  # the shipped content has one: Supplier Management
    assert f"supports more than one activity: {', '.join(sorted(shared))}." in figure.html


def test_text_from_the_content_is_escaped_in_html() -> None:
    html = diagram.activity("design-transition").html
    assert "Design &amp; Transition" in html
    assert "Design & Transition" not in html
