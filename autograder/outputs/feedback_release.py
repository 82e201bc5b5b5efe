"""Release feedback that is current: written again from the gradebook, then released.

nbgrader's ``release_feedback`` (the command, and the formgrader's **Release
Feedback** button) copies whatever pages ``feedback/`` holds. Written before a
review by hand, they would still say "needs review" and miss the scores set
by hand. The course's settings make nbgrader use :class:`FreshReleaseFeedback`:
it writes each page it is about to release again, with the kit's steps
(:mod:`autograder.outputs.feedback_steps`), then releases it as nbgrader does.
A page the kit refuses to write (it would show a hidden test) is not released.
"""

from __future__ import annotations

import glob
import os

from nbgrader.converters import GenerateFeedback
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.utils import temp_attrs

__all__ = ["FreshReleaseFeedback"]


class FreshReleaseFeedback(ExchangeReleaseFeedback):
    """nbgrader's feedback release, each page written again from the gradebook first."""

    def copy_files(self) -> None:
        from autograder.nbgrader_settings import FEEDBACK_EXPORTER, FEEDBACK_STEPS

        students = sorted(
            {
                os.path.basename(os.path.dirname(os.path.dirname(page)))
                for page in glob.glob(os.path.join(self.src_path, "*.html"))
            }
        )
        for student in students:
            with temp_attrs(self.coursedir, student_id=student, notebook_id="*"):
                converter = GenerateFeedback(coursedir=self.coursedir, parent=self)
                converter.preprocessors = list(FEEDBACK_STEPS)
                converter.exporter_class = FEEDBACK_EXPORTER
                converter.force = True
                try:
                    converter.start()
                except Exception as exc:  # a refused page is removed by nbgrader: not released
                    self.log.error("The feedback of %s was not written again: %s", student, exc)
        super().copy_files()
