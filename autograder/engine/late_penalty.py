"""The course's late-submission penalty: a share of the points per day late.

nbgrader asks a late-submission plugin for the penalty of every notebook
handed in after the assignment's due date (``AssignLatePenalties``; the kit's
``grade`` does the same when it records a grade). nbgrader's own plugin can
only give nothing or zero; this one takes ``percent_per_day`` of the points
the notebook earned for every day, or part of a day, it is late, after a
short grace period. With the defaults (10 % a day, 15 minutes' grace): handed
in 10 minutes late, nothing is taken; 2 hours late, 10 %; 30 hours late, 20 %;
10 days late, everything.

Set in ``autograder/nbgrader_config.py``; change it in the course's
``nbgrader_config.py``, for example::

    c.PerDayPenalty.percent_per_day = 5
    c.PerDayPenalty.grace_minutes = 60

A due date is set per assignment in the gradebook
(``nbgrader db assignment add 06-practice --duedate="2025-03-14 17:00 UTC"``
or the formgrader's *Manage Assignments* page); without one nothing is late.
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

__all__ = ["DEFAULT_GRACE_MINUTES", "DEFAULT_PERCENT_PER_DAY", "PerDayPenalty"]

DEFAULT_PERCENT_PER_DAY = 10.0
DEFAULT_GRACE_MINUTES = 15.0
_DAY = 24 * 60 * 60


class PerDayPenalty(LateSubmissionPlugin):
    """Take ``percent_per_day`` of a late notebook's points per day (or part of one) late."""

    percent_per_day = Float(
        DEFAULT_PERCENT_PER_DAY,
        min=0.0,
        max=100.0,
        help="Percentage of the points a notebook earned taken off per day, or part of a "
        "day, it was handed in late.",
    ).tag(config=True)

    grace_minutes = Float(
        DEFAULT_GRACE_MINUTES,
        min=0.0,
        help="Minutes after the due date during which a submission still counts as on time.",
    ).tag(config=True)

    def days_late(self, seconds_late: float) -> int:
        """Days, or parts of a day, counted against a submission ``seconds_late``."""
        if seconds_late <= self.grace_minutes * 60:
            return 0
        return math.ceil(seconds_late / _DAY)

    def late_submission_penalty(
        self, student_id: str, score: float, total_seconds_late: float
    ) -> float | None:
        """The points to take off ``score`` (``None``: no penalty)."""
        days = self.days_late(total_seconds_late)
        if days == 0:
            return None
        share = min(1.0, days * self.percent_per_day / 100.0)
        penalty = round(score * share, 6)
        self.log.info(
            "%s: %d day(s) late, %g%% of %g points taken off (%g)",
            student_id,
            days,
            share * 100,
            score,
            penalty,
        )
        return penalty
