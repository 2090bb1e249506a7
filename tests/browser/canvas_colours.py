"""Name the colour a student sees in a patch of the canvas: red, green, blue, grey, or none.

Coarse on purpose: the tests check the colour a student would name (wrong is red, a right
forward value blue, a right derivative green), not the exact shade the drawing code picked.
"""

from __future__ import annotations

import colorsys
from collections import Counter

__all__ = ["colour_name", "dominant_colour"]

# Hue ranges in degrees; anything else with colour in it is "other".
HUES = (("red", 0, 20), ("green", 80, 170), ("blue", 180, 260), ("red", 330, 360))
INKS = ("red", "green", "blue", "grey")


def colour_name(rgba: tuple[int, int, int, int]) -> str:
    """One pixel's colour: "red", "green", "blue", "grey", "white", "black", "other" or "transparent".

    Examples
    --------
    >>> colour_name((214, 39, 40, 255)), colour_name((219, 234, 254, 255)), colour_name((255, 255, 255, 255))
    ('red', 'blue', 'white')
    """
    red, green, blue, alpha = rgba
    if alpha < 128:
        return "transparent"
    hue, saturation, value = colorsys.rgb_to_hsv(red / 255, green / 255, blue / 255)
    if value < 0.25:
        return "black"
    if saturation < 0.05:  # the drawing's pale tints (about 0.065-0.08) still count as colour
        return "white" if value > 0.97 else "grey"
    degrees = hue * 360
    return next((name for name, low, high in HUES if low <= degrees < high), "other")


def dominant_colour(pixels) -> str:
    """The most frequent of red, green, blue and grey among ``pixels`` (RGBA tuples); "none" if none.

    White and black (background, edges) are ignored, so a patch of a box reads as the colour of
    its tint and its number, whatever the proportion of the two.

    Examples
    --------
    >>> dominant_colour([(255, 255, 255, 255)] * 5 + [(200, 30, 30, 255)] * 2 + [(0, 0, 0, 255)] * 4)
    'red'
    >>> dominant_colour([(255, 255, 255, 255)])
    'none'
    """
    counts = Counter(name for name in map(colour_name, pixels) if name in INKS)
    return counts.most_common(1)[0][0] if counts else "none"
