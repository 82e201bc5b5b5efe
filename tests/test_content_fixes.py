"""The course says what its material says, and marks no learner wrong where it does not."""

from __future__ import annotations

from .notebook_support import score_hidden


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
