"""The late-penalty plugin: what it takes, how it is configured, and that the guide says so.

The whole route (a due date from the guide's command, a late upload, the penalty off the
exported total) is proven in ``test_lms_route.py``.
"""

from __future__ import annotations

import pytest
from nbgrader.preprocessors import AssignLatePenalties
from traitlets.config import Config

from autograder.engine.late_penalty import (
    DEFAULT_GRACE_MINUTES,
    DEFAULT_PERCENT_PER_DAY,
    PerDayPenalty,
)
from autograder.nbgrader_settings import course_config
from tests.instructor.kit import guide_python, guide_text

HOUR = 3600
DAY = 24 * HOUR


@pytest.mark.parametrize(
    ("seconds_late", "penalty"),
    [
        (0, None),
        (10 * 60, None),  # within the 15 minutes' grace
        (15 * 60, None),
        (16 * 60, 1.6),  # past the grace: the first day counts whole
        (2 * HOUR, 1.6),
        (DAY, 1.6),
        (30 * HOUR, 3.2),  # part of a second day: two days
        (9 * DAY + 1, 16.0),  # ten days: everything
        (40 * DAY, 16.0),  # never more than the points earned
    ],
)
def test_the_default_takes_ten_percent_per_started_day_after_the_grace(
    seconds_late: float, penalty: float | None
) -> None:
    plugin = PerDayPenalty()
    assert plugin.late_submission_penalty("ada", 16.0, seconds_late) == penalty


def test_a_notebook_that_earned_nothing_loses_nothing() -> None:
    assert PerDayPenalty().late_submission_penalty("ada", 0.0, 3 * DAY) == 0.0


def test_the_guides_example_settings_change_the_rule() -> None:
    """The guide's example (5 % a day, an hour's grace), run as nbgrader runs a config file."""
    config = Config()
    exec(guide_python("c.PerDayPenalty"), {"c": config})
    plugin = PerDayPenalty(config=config)
    assert (plugin.percent_per_day, plugin.grace_minutes) == (5, 60)
    assert plugin.late_submission_penalty("ada", 10.0, 50 * 60) is None
    assert plugin.late_submission_penalty("ada", 10.0, 2 * DAY + HOUR) == 1.5


def test_nbgrader_uses_it_with_the_course_configuration() -> None:
    """nbgrader's AssignLatePenalties (and the kit's grade, which builds the same) gets
    the course's plugin with its documented defaults."""
    step = AssignLatePenalties(config=course_config())
    step.init_plugin()
    assert isinstance(step.plugin_inst, PerDayPenalty)
    assert step.plugin_inst.percent_per_day == DEFAULT_PERCENT_PER_DAY == 10.0
    assert step.plugin_inst.grace_minutes == DEFAULT_GRACE_MINUTES == 15.0


def test_the_guide_states_the_defaults_the_plugin_has() -> None:
    guide = " ".join(guide_text().split())
    assert f"loses {DEFAULT_PERCENT_PER_DAY:g} % of the points it earned" in guide
    assert f"after {DEFAULT_GRACE_MINUTES:g} minutes' grace" in guide
