"""Per-student HTML feedback that never shows a hidden test.

nbgrader's ``GenerateFeedback`` converter writes the HTML, from the
autograded notebooks, with ``ClearHiddenTests`` added to its steps (plain
nbgrader leaves the hidden tests in the feedback). The autograder already
writes test errors without the hidden line that raised them. As a last guard,
every page is searched for the text of the hidden tests; a page that holds
any is deleted and reported, never handed out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters import GenerateFeedback
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

from autograder.course_layout import CourseLayout
from autograder.engine.answer_key import hidden_test_text
from autograder.engine.results import load_notes
from autograder.errors import AutograderError

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


def _convert(layout: CourseLayout, assignment: str, student: str) -> None:
    coursedir = layout.coursedir()
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    logger = logging.getLogger("autograder.outputs.feedback")
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    converter = GenerateFeedback(coursedir=coursedir, config=layout.config, log=logger)
    converter.force = True
    converter.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
    try:
        converter.start()
    except Exception as exc:  # nbgrader reports failures as NbGraderException and more
        raise AutograderError(f"nbgrader could not write feedback for {student}: {exc}") from exc


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
        _convert(layout, assignment, student)
        for page in sorted(layout.feedback_dir(student, assignment).glob("*.html")):
            text = page.read_text(encoding="utf-8", errors="replace")
            if any(fragment in text for fragment in hidden):
                page.unlink()
                done.leaked.append(page)
                done.skipped[student] = f"{page.name} showed hidden test text and was deleted"
            else:
                done.written.append(page)
    return done
