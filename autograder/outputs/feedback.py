"""Per-student HTML feedback that never shows a hidden test.

nbgrader's ``GenerateFeedback`` converter writes the HTML, from the
autograded notebooks and the gradebook, with the kit's steps and exporter
(:mod:`autograder.outputs.feedback_steps`, the same the formgrader's
**Generate Feedback** button runs): ``ClearHiddenTests`` among them (plain
nbgrader leaves the hidden tests in the feedback), the questions by name,
scores set by hand marked, the late penalty named. The autograder already
writes test errors without the hidden line that raised them; the exporter
refuses a page that holds a hidden line. As a last guard, every page written
is searched again; a page that holds any is deleted and reported, never
handed out. The page reads the gradebook when it is written: write the
feedback again after a review, and it shows the scores set by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.converters import GenerateFeedback

from autograder.course_layout import CourseLayout
from autograder.engine.answer_key import hidden_test_text
from autograder.engine.results import load_notes
from autograder.errors import AutograderError
from autograder.nbgrader_settings import FEEDBACK_EXPORTER, FEEDBACK_STEPS

__all__ = ["FeedbackDone", "generate_feedback"]


@dataclass
class FeedbackDone:
    written: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    leaked: list[Path] = field(default_factory=list)


def _graded_students(layout: CourseLayout, assignment: str) -> dict[str, str | None]:
    """Students with an autograded notebook; those without, with the reason."""
    out: dict[str, str | None] = {}
    folder = layout.results_dir(assignment)
    known = sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []
    for student in sorted(set(known) | set(layout.students(assignment))):
        if any(layout.autograded_dir(student, assignment).glob("*.ipynb")):
            out[student] = None
        elif load_notes(layout.result_file(student, assignment)) is None:
            out[student] = "not graded yet"
        else:
            out[student] = "no notebook of the submission could be graded (see the export)"
    return out


def _convert(layout: CourseLayout, assignment: str, student: str) -> list[str]:
    """Write ``student``'s pages; the notebooks the exporter refused (hidden text)."""
    coursedir = layout.coursedir()
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    logger = logging.getLogger("autograder.outputs.feedback")
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    converter = GenerateFeedback(coursedir=coursedir, config=layout.config, log=logger)
    converter.force = True
    converter.preprocessors = list(FEEDBACK_STEPS)  # whatever the course file says
    converter.exporter_class = FEEDBACK_EXPORTER
    try:
        converter.start()
    except Exception as exc:  # nbgrader reports failures as NbGraderException and more
        refused: list[str] = list(getattr(converter.exporter, "refused", []))
        if refused:
            return refused
        raise AutograderError(f"nbgrader could not write feedback for {student}: {exc}") from exc
    return []


def generate_feedback(
    layout: CourseLayout, assignment: str, students: list[str] | None = None
) -> FeedbackDone:
    layout.require_assignment(assignment)
    hidden = hidden_test_text(layout, assignment)
    done = FeedbackDone()
    candidates = _graded_students(layout, assignment)
    for student in students or sorted(candidates):
        why = candidates.get(student, "no submission")
        if why is not None:
            done.skipped[student] = why
            continue
        for where in _convert(layout, assignment, student):
            notebook = where.rsplit("/", 1)[-1]
            done.leaked.append(layout.feedback_dir(student, assignment) / f"{notebook}.html")
            done.skipped[student] = f"{notebook}.html would show hidden test text: not written"
        for page in sorted(layout.feedback_dir(student, assignment).glob("*.html")):
            text = page.read_text(encoding="utf-8", errors="replace")
            if any(fragment in text for fragment in hidden):
                page.unlink()
                done.leaked.append(page)
                done.skipped[student] = f"{page.name} showed hidden test text and was deleted"
            else:
                done.written.append(page)
    return done
