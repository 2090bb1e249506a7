"""The states a box can be in: the one table the tutor, the diagram and the widget share."""

from __future__ import annotations

__all__ = ["EMPTY", "REVEALED", "RIGHT", "STATUSES", "WRONG"]

#: Nothing typed yet; typed and right; typed and wrong; the answer shown by Reveal.
EMPTY, RIGHT, WRONG, REVEALED = "empty", "right", "wrong", "revealed"
STATUSES = (EMPTY, RIGHT, WRONG, REVEALED)
