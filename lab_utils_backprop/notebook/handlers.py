"""The widget's thin handlers: each browser event becomes a call of a public method.

A part of :class:`~.widget.GraphWidget` (a mixin). Each handler runs holding the drawing
lock (widget messages may arrive on a kernel subshell's thread, drawing_lock.py) and shows
any error in the widget, so a student's click or typing never raises out of a callback.
"""

from __future__ import annotations

import functools
import traceback

from ..diagram.drawing_lock import DRAWING

__all__ = ["Handlers"]


def _shown_errors(handler):
    """Run a widget callback, holding the drawing lock (drawing_lock.py), so that any error is shown."""

    @functools.wraps(handler)
    def run(self, *args):
        with DRAWING:
            try:
                handler(self, *args)
            except Exception:
                self._report_error(traceback.format_exc())

    return run


class Handlers:
    """Clicks, the box list, Enter, the page's width, buttons and the Tutor's changes."""

    @_shown_errors
    def _on_click(self, event) -> None:
        if event.button == 1:
            box_id = self._box_at(event)
            if box_id is not None:
                with self._one_frame():
                    self._select(box_id, focus=True, refill=False)

    @_shown_errors
    def _on_choose(self, change) -> None:
        box_id = change["new"] or None  # "" is the "Choose a box…" line
        if box_id != self.tutor.selected:
            self.select(box_id, focus=False)

    @_shown_errors
    def _on_submit(self, text: str) -> None:
        self.enter(text)

    @_shown_errors
    def _on_width(self, width: float) -> None:
        self.fit(width)

    @_shown_errors
    def _on_button(self, action, button) -> None:
        """Any button: call the public method it stands for; the keyboard goes on from there."""
        action()
        self._focus_after(button)

    @_shown_errors
    def _on_change(self, box_ids: list[str]) -> None:
        """The Tutor changed these boxes: repaint just them."""
        self._repaint(box_ids)
        self.score.value = self.tutor.summary()
