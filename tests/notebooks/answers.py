"""Fake students for the pipeline test: what each types into each answer cell, and the
exact points nbgrader must give it.

The right answers are not repeated here: the "solutions" student hands in the source
notebooks themselves. These students answer wrongly, partly, or with hostile and
malformed values, or through widgets only.
"""

from __future__ import annotations

from typing import Any

SNEAKY = """
class Sneaky(str):
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
"""

EVERYTHING = """
class Everything(list):
    def __eq__(self, other):
        return True
    def __contains__(self, item):
        return True
"""

LIAR = """
class Liar:
    __class__ = str
    def __eq__(self, other):
        return True
    def __hash__(self):
        return 0
"""

# grade_id -> student -> (answer cell source, points nbgrader must give)
TYPED: dict[str, dict[str, tuple[str, float]]] = {
    # 01-what-is-svc
    "q1-1": {
        "wrong": (
            'situations = {"a": "Flexible", "b": "Universal", "c": "Value-focused", '
            '"d": "Activity-based"}',
            0,
        ),
        "partial": (
            'situations = {"a": "universal", "b": "Flexible", "c": "Universal", "d": ...}',
            1,
        ),
        "hostile": (SNEAKY + 'situations = {"a": Sneaky("x"), "b": Sneaky("y")}', 0),
    },
    "q1-2": {
        "wrong": ('misconceptions = ["A", "C", "E"]', 0),
        "partial": ('misconceptions = ["B", "C", "D"]', 1),
        "hostile": (EVERYTHING + 'misconceptions = Everything(["A"])', 0),
    },
    # 02-six-activities
    "q2-1": {
        "wrong": (
            'outputs = {"Strategies": "Improve", "Performance reports": "Engage", '
            '"Communication plans": "Plan", "Transitioned services": "Obtain/Build", '
            '"Software": "Deliver & Support", "Fulfilled requests": "Design & Transition"}',
            0,
        ),
        "partial": (
            'outputs = {"Strategies": "plan", "Performance reports": "improve", '
            '"Communication plans": "engage", "Transitioned services": "Obtain/Build", '
            '"Software": "Obtain/Build", "Fulfilled requests": "Plan"}',
            2,
        ),
        "hostile": ('outputs = ["Plan"] * 6', 0),
    },
    "q2-2": {
        "wrong": (
            'situations = {"a": "Engage", "b": "Design & Transition", "c": "Improve", '
            '"d": "Plan", "e": "Deliver & Support", "f": "Obtain/Build"}',
            0,
        ),
        "partial": (
            'situations = {"a": "Deliver & Support", "b": "Obtain/Build", "c": "Plan", '
            '"d": "Engage", "e": ..., "f": ...}',
            1.5,
        ),
        "hostile": ('situations = {"a": object(), "b": "Obtain/Build"}', 0),
    },
    "q2-3": {
        "wrong": ('deliver_support = ["A", "C", "D"]', 0),
        "partial": ('deliver_support = ["B", "E"]', 1.33),
        "hostile": ("deliver_support = 42", 0),
    },
    # 03-activities-together
    "q3-1": {
        "wrong": ('patterns = {"a": "A", "b": "C", "c": "D", "d": "B"}', 0),
        "partial": ('patterns = {"a": "c", "b": "B", "c": "B", "d": ...}', 1),
        "hostile": ('patterns = {"a": 3, "b": 2, "c": 1, "d": 4}', 0),
    },
    "q3-2": {
        "wrong": ('recurring_stream = ["Plan", "Engage"]', 0),
        "partial": (
            'recurring_stream = ["Deliver & Support", "Improve", "Deliver & Support"]',
            0.67,
        ),
        "hostile": (LIAR + "recurring_stream = [Liar(), Liar()]", 0),
    },
    "q3-3": {
        "wrong": ('together = {"a": False, "b": True, "c": False, "d": True}', 0),
        "partial": ('together = {"a": True, "b": True, "c": ..., "d": False}', 1),
        "hostile": ('together = {"a": [False], "b": {"x": True}, "c": b"no", "d": 1.0}', 0),
    },
    # 04-value-streams
    "q4-1": {
        "wrong": ('payroll_stream = ["Plan", "Design & Transition"]', 0),
        "partial": ('payroll_stream = ["Engage", "Deliver & Support", "Improve"]', 1.5),
        "hostile": (
            'payroll_stream = ["Engage", "Obtain/Build", "Deliver & Support", "Improvement"]',
            0,
        ),
    },
    "q4-2": {
        "wrong": ('intranet_stream = ["Improve", "Deliver & Support", "Obtain/Build"]', 0),
        "partial": ('intranet_stream = ["Plan", "Design & Transition", "Deliver & Support"]', 1.5),
        "hostile": ('intranet_stream = "Plan, Engage, Design & Transition"', 0),
    },
    "q4-3": {
        "wrong": (
            'tool_steps = {"a": "Plan", "b": "Engage", "c": "Obtain/Build", '
            '"d": "Design & Transition", "e": "Improve", "f": "Deliver & Support"}',
            0,
        ),
        "partial": (
            'tool_steps = {"a": "Engage", "b": "plan", "c": "design and transition", '
            '"d": "Design & Transition", "e": ..., "f": ...}',
            1.5,
        ),
        "hostile": ('tool_steps = ["B"]', 0),
    },
    # 05-activities-practices
    "q5-1": {
        "wrong": (
            'practice_to_activity = {"Incident Management": "Plan", '
            '"Portfolio Management": "Improve", "Continual Improvement": "Plan", '
            '"Service Level Management": "Plan", "Service Validation and Testing": "Plan", '
            '"Infrastructure and Platform Management": "Plan"}',
            0,
        ),
        "partial": (
            'practice_to_activity = {"incident management": "Deliver & Support", '
            '"Portfolio Management": "Plan", "Continual Improvement": "Plan", '
            '"Service Level Management": "Plan", '
            '"Service Validation and Testing": "design and transition", '
            '"Infrastructure and Platform Management": "Plan"}',
            1.5,
        ),
        "hostile": ("practice_to_activity = {('Incident Management',): 'Deliver & Support'}", 0),
    },
    "q5-2": {
        "wrong": ('obtain_build_practices = ["Service Desk", "Risk Management"]', 0),
        "partial": (
            'obtain_build_practices = ["Supplier Management", "Development and Management", '
            '"Service Desk"]',
            1,
        ),
        "hostile": (
            SNEAKY
            + 'obtain_build_practices = [Sneaky("Supplier Management"), Sneaky("Service Desk")]',
            0,
        ),
    },
    "q5-3": {
        "wrong": ('practices_only = ["B", "C", "F"]', 0),
        "partial": ('practices_only = ["A", "C", "D"]', 0.67),
        "hostile": ('practices_only = "ABCDEF" * 2000', 0),
    },
    # 06-practice
    "pq1": {
        "wrong": ('activities = ["Service Desk", "Incident Management"]', 0),
        "partial": ('activities = ["Plan", "Improve", "Engage", "Service Desk"]', 1),
        "hostile": (EVERYTHING + 'activities = Everything(["Plan"])', 0),
    },
    "pq2": {
        "wrong": ('engage_purpose = "A"', 0),
        "partial": (
            'engage_purpose = "to work with stakeholders so that their needs are understood '
            'and they stay satisfied"',
            2,
        ),
        "hostile": (LIAR + "engage_purpose = Liar()", 0),
    },
    "pq3": {
        "wrong": ('how_streams_form = "B"', 0),
        "partial": ('how_streams_form = "a"', 2),
        "hostile": ('how_streams_form = {"C": True}', 0),
    },
    "pq3-stream": {
        "wrong": ('portal_stream = ["Improve", "Deliver & Support", "Obtain/Build", "Engage"]', 0),
        "partial": (
            'portal_stream = ["Engage", "Design & Transition", "Plan", "Obtain/Build", '
            '"Deliver & Support"]',
            1.71,
        ),
        "hostile": ("portal_stream = [[[[[[[['Engage']]]]]]]]", 0),
    },
    "pq4": {
        "wrong": ('relationship = "A"', 0),
        "partial": ('relationship = "D "', 2),
        "hostile": ('relationship = "C" * 100000', 0),
    },
    "pq4-pairs": {
        "wrong": (
            'supported_by = {"Service Desk": "Engage", "Risk Management": "Improve", '
            '"Release Management": "Obtain/Build", "Measurement and Reporting": "Plan", '
            '"Relationship Management": "Deliver & Support", '
            '"Development and Management": "Design & Transition"}',
            0,
        ),
        "partial": (
            'supported_by = {"Service Desk": "Deliver & Support", "Risk Management": "Plan", '
            '"Release Management": "Obtain/Build"}',
            1,
        ),
        "hostile": ('supported_by = {"Service Desk": ["Deliver & Support"] * 3}', 0),
    },
    "pq5": {
        "wrong": ("any_order = False", 0),
        "partial": ('any_order = "yes"', 1),
        "hostile": ("any_order = 1", 0),
    },
    "pq5-why": {
        "wrong": ('order_statement = "D"', 0),
        "partial": ('order_statement = "(b)"', 2),
        "hostile": ('order_statement = "X"', 0),
    },
}

# The value streams issue 12 found mis-scored (padding, repeats, steps the situation does not
# need), typed by two more students into the four graded stream questions:
# grade_id -> student -> answer cell source. Each must earn at most half the points.
_E, _P, _D = '"Engage"', '"Plan"', '"Design & Transition"'
_O, _S, _I = '"Obtain/Build"', '"Deliver & Support"', '"Improve"'


def _stream(name: str, *steps: str) -> str:
    return f"{name} = [{', '.join(steps)}]"


NONSENSE: dict[str, dict[str, str]] = {
    "q3-2": {
        "nonsense": _stream("recurring_stream", _S, _E, _E, _E, _I, _P, _S),
        "padded": _stream("recurring_stream", _S, _I, _I, _I, _P, _D, _S),
    },
    "q4-1": {
        "nonsense": _stream("payroll_stream", _E, _I, _I, _O, _P, _D, _S, _E, _P, _I),
        "padded": _stream("payroll_stream", _E, _P, _D, _O, _S, _I),
    },
    "q4-2": {
        "nonsense": _stream("intranet_stream", _P, _E, _I),
        "padded": _stream("intranet_stream", _P, _I, _E, _I, _D, _I, _O, _I, _S, _I),
    },
    "pq3-stream": {
        "nonsense": _stream("portal_stream", _I, _S, _O, _D, _P, _E),
        "padded": _stream("portal_stream", _E, _I, _P, _I, _D, _I, _O, _I, _S, _I),
    },
}

ENGAGE_PURPOSE = (
    "To work with stakeholders so that their needs are understood and they stay satisfied."
)


def widget_model(state: dict[str, Any]) -> dict[str, Any]:
    """One saved widget model, as JupyterLab writes it into the notebook's metadata."""
    return {
        "model_name": "VBoxModel",
        "model_module": "@jupyter-widgets/controls",
        "model_module_version": "2.0.0",
        "state": {"_dom_classes": [], "children": [], **state},
    }


# The "widget" student answers through widgets only (answer cells left at ...), except
# where typed answers are given: a typed answer wins over the widget's.
# assignment -> (saved widget models, typed answers {grade_id: source}, points {grade_id: points})
WIDGET: dict[str, tuple[list[dict[str, Any]], dict[str, str], dict[str, float]]] = {
    "03-activities-together": (
        [
            widget_model(
                {
                    "question_id": "q3-2",
                    "steps": ["deliver-support", "improve", "design-transition", "deliver-support"],
                }
            ),
        ],
        {},
        {"q3-1": 0, "q3-2": 2, "q3-3": 0},
    ),
    "04-value-streams": (
        [
            widget_model({"question_id": "q4-1", "steps": ["plan"]}),  # an earlier builder...
            widget_model(  # ...and the newest one, which wins
                {
                    "question_id": "q4-1",
                    "scenario_id": "",
                    "steps": ["engage", "obtain-build", "deliver-support", "improve"],
                }
            ),
            widget_model(
                {"question_id": "q4-2", "steps": ["plan", "engage", "deliver-support", "improve"]}
            ),
        ],
        {},
        {"q4-1": 3, "q4-2": 1.5, "q4-3": 0},
    ),
    "06-practice": (
        [
            widget_model(
                {
                    "question_id": "six-names",
                    "response": [
                        "Deliver & Support",
                        "Design & Transition",
                        "Engage",
                        "Improve",
                        "Obtain/Build",
                        "Plan",
                    ],
                }
            ),
            widget_model({"question_id": "six-engage-purpose", "response": ENGAGE_PURPOSE}),
            widget_model(
                {
                    "question_id": "pq3-stream",
                    "steps": ["improve", "deliver-support", "obtain-build", "engage"],
                }
            ),
        ],
        {"pq1": 'activities = ["Plan"]'},  # typed: wins over the six ticked in the widget
        {
            "pq1": 0.5,
            "pq2": 2,
            "pq3": 0,
            "pq3-stream": 0,
            "pq4": 0,
            "pq4-pairs": 0,
            "pq5": 0,
            "pq5-why": 0,
        },
    ),
}
