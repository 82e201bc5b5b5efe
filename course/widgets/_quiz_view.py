"""HTML and CSS of the quiz widgets: pure strings, no widget objects.

Feedback never relies on colour alone: every verdict and every mark starts
with a word (Right, Wrong, Partly right) and a symbol, and the colours are
dark text on light backgrounds (contrast above 7:1) in both light and dark
JupyterLab themes. The feedback box is an ARIA live region, so a screen
reader announces the result of a check.
"""

from __future__ import annotations

from html import escape

from course.quizbank import Mark, Result
from course.quizbank.model import Kind

__all__ = [
    "CSS",
    "HINTS",
    "KIND_NAMES",
    "feedback_html",
    "graded_html",
    "header_html",
    "message_html",
]

KIND_NAMES: dict[Kind, str] = {
    "single": "Single choice",
    "multiple": "Multiple choice",
    "true_false": "True or false",
    "matching": "Matching",
    "ordering": "Ordering",
    "short_text": "Short answer",
}

HINTS: dict[Kind, str] = {
    "single": "Choose one answer.",
    "multiple": "Select every option that applies.",
    "true_false": "Is the statement true or false?",
    "matching": "Choose a match for each line.",
    "ordering": "Choose what comes at each step.",
    "short_text": "Type your answer; any usual spelling works.",
}

CSS = """
<style>
.itil-quiz { max-width: 880px; }
.itil-quiz-title h3 { margin: 0 0 4px 0; }
.itil-quiz-title p { margin: 0 0 6px 0; }
.itil-q { border: 1px solid var(--jp-border-color1, #c8ccd0); border-radius: 8px;
  padding: 10px 16px 12px 16px !important; margin: 10px 0 !important; }
.itil-q-head { font-size: 0.85em; color: var(--jp-ui-font-color2, #555); }
.itil-q-prompt { font-size: 1.08em; font-weight: 600; line-height: 1.4; margin: 2px 0 6px 0; }
.itil-q .widget-label, .itil-q .widget-label-basic, .itil-q .widget-label-basic span,
.itil-q .widget-radio-box label { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; line-height: 1.35; height: auto !important; }
.itil-q .widget-radio-box label { margin: 3px 0; }
.itil-q .widget-radio-box { width: auto !important; }
.itil-q .widget-checkbox { height: auto !important; margin: 3px 0; }
.itil-q .widget-dropdown { align-items: center; margin: 3px 0; }
.itil-q .widget-dropdown > .widget-label { padding-right: 14px; text-align: left !important; }
.itil-q .widget-dropdown select { max-width: 300px; height: var(--jp-widgets-inline-height, 28px);
  align-self: center; }
.itil-q .widget-dropdown { border-bottom: 1px dotted var(--jp-border-color2, #e0e0e0);
  padding: 4px 0; height: auto !important; min-height: 32px; }
.itil-q .widget-radio > .widget-label { position: absolute !important; width: 1px !important;
  height: 1px !important; overflow: hidden !important; clip: rect(0 0 0 0); }
.itil-fb { border-left: 6px solid; border-radius: 4px; padding: 8px 12px; margin: 6px 0 2px 0;
  line-height: 1.45; }
.itil-fb p { margin: 0; }
.itil-fb ul { margin: 6px 0 0 0; padding-left: 1.3em; }
.itil-fb li { margin: 2px 0; }
.itil-fb .itil-why { margin-top: 6px; }
.itil-fb .itil-note { color: inherit; opacity: 0.9; }
.itil-right { background: #e7f4ea; border-color: #1e7b34; color: #0c3617; }
.itil-wrong { background: #fcebea; border-color: #b0261c; color: #561009; }
.itil-partial { background: #fff3d4; border-color: #a86400; color: #402600; }
.itil-info { background: #e8effc; border-color: #1a58b0; color: #0b2550; }
.itil-tag { font-weight: 700; }
.itil-score { font-size: 1.02em; padding: 4px 0; }
.itil-summary { border: 2px solid var(--jp-brand-color1, #1a58b0); border-radius: 8px;
  padding: 8px 16px; margin: 10px 0; line-height: 1.45; }
.itil-summary h4 { margin: 0 0 4px 0; }
.itil-summary p { margin: 2px 0; }
.itil-summary ul { margin: 2px 0 0 0; padding-left: 1.3em; }
</style>
"""


def header_html(number: int, total: int, kind: Kind, prompt: str, *, css: bool = False) -> str:
    where = f"Question {number} of {total}" if total > 1 else "Question"
    return (
        (CSS if css else "")
        + f'<div class="itil-q-head">{where} · {KIND_NAMES[kind]} · {HINTS[kind]}</div>'
        + f'<div class="itil-q-prompt">{escape(prompt)}</div>'
    )


def _tag(ok: bool | None) -> str:
    if ok is True:
        return '<span class="itil-tag"><span aria-hidden="true">✓ </span>Right:</span>'
    if ok is False:
        return '<span class="itil-tag"><span aria-hidden="true">✗ </span>Wrong:</span>'
    return '<span class="itil-tag"><span aria-hidden="true">• </span>Note:</span>'


def _mark(mark: Mark) -> str:
    note = f' <span class="itil-note">— {escape(mark.note)}</span>' if mark.note else ""
    return f"<li>{_tag(mark.ok)} {escape(mark.label)}{note}</li>"


def _box(kind: str, body: str) -> str:
    return f'<div class="itil-fb itil-{kind}" role="status" aria-live="polite">{body}</div>'


def feedback_html(result: Result, note: str = "") -> str:
    """The feedback box for ``result`` (``note``: an extra line, e.g. a saving problem)."""
    if not result.valid:
        return message_html(result.verdict)
    if result.correct:
        kind, symbol = "right", "✓"
    elif result.partial:
        kind, symbol = "partial", "◐"
    else:
        kind, symbol = "wrong", "✗"
    parts = [
        f'<p><span aria-hidden="true">{symbol} </span><strong>{escape(result.verdict)}</strong>'
    ]
    parts.append(f" (score {result.score:.2g})</p>" if result.partial else "</p>")
    if result.marks:
        parts.append("<ul>" + "".join(_mark(m) for m in result.marks) + "</ul>")
    if result.explanation:
        parts.append(f'<p class="itil-why"><strong>Why:</strong> {escape(result.explanation)}</p>')
    if note:
        parts.append(f"<p><em>{escape(note)}</em></p>")
    return _box(kind, "".join(parts))


def message_html(text: str) -> str:
    """A neutral message (nothing to mark yet, an answer that is not an option...)."""
    return _box("info", f"<p><strong>Note:</strong> {escape(text)}</p>")


def graded_html(text: str) -> str:
    """What a graded question shows in place of a verdict (neutral: no right or wrong)."""
    return _box("info", f"<p>{escape(text)}</p>")
