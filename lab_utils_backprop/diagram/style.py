"""How a diagram looks: its resolution, fonts, and one colour per idea.

Parameters and forward values are blue, data orange, derivatives green; a wrong answer is
red and a revealed one grey. A box's look follows from its kind and status (:func:`box_look`),
with a mark (✓, ✗) beside the colour, so the colour never carries the meaning alone.
"""

from __future__ import annotations

from ..exercise.statuses import STATUSES

__all__ = ["DPI", "MATH_FONT", "STATUSES", "box_look"]

DPI = 100
MATH_FONT = "cm"  # Computer Modern, the look of the lab's handwritten maths; layout's estimates assume it

BLUE, BLUE_TINT, BLUE_DARK = "#1f77b4", "#e6f0fa", "#0d4a80"
GREEN, GREEN_TINT, GREEN_DARK = "#2a9d3f", "#e5f5e8", "#17692a"
ORANGE = "#d9770b"
RED, RED_TINT = "#d62728", "#fdeaea"
GREY, GREY_TINT = "#6e6e6e", "#f2f2f2"
NODE_EDGE = "#b86a14"
ARROW = "#5b8fc7"
RULE = "#a9c8e8"
SELECTED = "#222222"

#: A label's colour by its role in the layout (black for the others).
TEXT_COLORS = {"param": BLUE, "data": ORANGE, "note": GREEN_DARK, "connector": GREY, "hint": "#222222"}
#: The mark after a box's text, by status.
MARKS = {"right": " ✓", "wrong": " ✗"}


def box_look(kind: str, status: str) -> tuple[str, str, str]:
    """(face, edge, ink) colours of a box of ``kind`` ("forward", "local", "gradient") in ``status``.

    Examples
    --------
    >>> box_look("forward", "right") == (BLUE_TINT, BLUE, BLUE_DARK)
    True
    >>> box_look("gradient", "wrong") == (RED_TINT, RED, RED)
    True
    """
    color, tint, dark = (BLUE, BLUE_TINT, BLUE_DARK) if kind == "forward" else (GREEN, GREEN_TINT, GREEN_DARK)
    return {
        "empty": ("white", color, dark),
        "right": (tint, color, dark),
        "wrong": (RED_TINT, RED, RED),
        "revealed": (GREY_TINT, GREY, GREY),
    }[status]
