"""The end-of-batch summary printed by ``grade``."""

from __future__ import annotations

from autograder.course_layout import CourseLayout
from autograder.engine.batch import BatchResult
from autograder.outputs.progress import format_points
from autograder.outputs.terminal import clean

__all__ = ["summarise"]


def summarise(batch: BatchResult, layout: CourseLayout) -> str:
    results = batch.results
    count = len(results)
    each = batch.seconds / count if count else 0.0
    review = batch.needs_review
    lines = [
        f"Graded {count} submission{'s' if count != 1 else ''} of {batch.assignment} in "
        f"{batch.seconds:.1f} s ({each:.2f} s each; {batch.workers} worker"
        f"{'s' if batch.workers != 1 else ''}, {batch.timeout} s per cell).",
        f"  {count - len(review)} ok, {len(review)} need review.",
    ]
    if results:
        totals = [r.total for r in results]
        top = results[0].max_score
        lines.append(
            f"  Scores out of {format_points(top)}: lowest {format_points(min(totals))}, "
            f"mean {format_points(sum(totals) / count)}, highest {format_points(max(totals))}."
        )
    for result in review:
        lines.append(f"  needs review: {clean(result.student)}")
        lines.extend(f"    - {clean(reason)}" for reason in result.reasons)
    for student, why in sorted(batch.refused.items()):
        lines.append(f"  NOT graded: {clean(student)}: the folder name {why}")
    for student, holder in sorted(batch.busy.items()):
        lines.append(f"  NOT graded: {clean(student)}: another run is grading it, {clean(holder)}")
    a = batch.assignment
    lines.append(
        f"Autograded notebooks: {layout.root.name}/autograded/<student>/{a}/. Next: "
        f"'python -m autograder feedback {a}', 'export {a}', 'report {a}'."
    )
    return "\n".join(lines)
