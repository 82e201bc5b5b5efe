"""Keep JupyterLab's notebook shortcuts out of the course's widgets.

In a notebook in command mode, JupyterLab treats keys pressed on a focused
radio button, checkbox, drop-down or button as notebook shortcuts: the arrow
keys move to another cell instead of choosing an option, letters insert or
delete cells, and Enter opens the editor instead of pressing the button. Only
text fields are spared. JupyterLab's own opt-out is the attribute
``data-lm-suppress-shortcuts``, which must sit on the focused element itself
(Lumino matches a shortcut's selector on the element before it looks at
ancestors). ipywidgets cannot set attributes, so :func:`keyboard_friendly`
sends a small script with the widget that marks every control inside the
course's widgets (found by CSS class) as it appears. There the keyboard then
works as on any web page.
"""

from __future__ import annotations

from IPython import get_ipython
from IPython.display import Javascript, display

__all__ = ["WIDGET_CLASSES", "keyboard_friendly"]

#: The CSS classes of the course's top-level widgets.
WIDGET_CLASSES = ("itil-quiz", "itil-q", "itil-stream-builder", "itil-practices")

_CONTROLS = ("input", "select", "button", "textarea", "[tabindex]")

_SCRIPT = """
(() => {
  if (window.__itilKeyboard) { window.__itilKeyboard(); return; }
  const selector = %(selector)r;
  const mark = () => document.querySelectorAll(selector).forEach(el => {
    if (!el.hasAttribute('data-lm-suppress-shortcuts')) {
      el.setAttribute('data-lm-suppress-shortcuts', 'true');
    }
  });
  let queued = false;
  const later = () => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; mark(); }); }
  };
  new MutationObserver(later).observe(document.body, {childList: true, subtree: true});
  window.__itilKeyboard = mark;
  mark();
})();
"""


def keyboard_friendly() -> None:
    """In a notebook, make the course widgets' controls work with the keyboard.

    Does nothing outside a Jupyter kernel (plain Python, tests).
    """
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    selector = ", ".join(f".{name} {control}" for name in WIDGET_CLASSES for control in _CONTROLS)
    display(Javascript(_SCRIPT % {"selector": selector}))  # type: ignore[no-untyped-call]
