r"""How big a piece of text is, estimated from the LaTeX itself: no matplotlib.

``text_size`` estimates matplotlib's extent of a string, with widths measured once from
matplotlib's Computer Modern mathtext and DejaVu Sans, rounded up: a rectangle of that size
around the text's anchor holds what matplotlib draws (the tests check it).
"""

from __future__ import annotations

import functools
import re

__all__ = ["FONT", "SMALL", "VALUE_FONT", "text_size"]

#: Point sizes: equations, prompts and leaves; hints, notes and connectors; typed values.
FONT, SMALL, VALUE_FONT = 13.0, 11.0, 12.0
SAFETY = 1.04  # text estimates are made a little larger still
LINE_SPACING = 1.1  # between the lines of one text, as a share of their heights

# Widths in em for Computer Modern mathtext (spacing around operators included) and for
# DejaVu Sans plain text: measured once from matplotlib, rounded up.
_MATH_CHARS = {
    **dict.fromkeys("=+-<>", 1.2),
    **dict.fromkeys("mwMW", 0.98),
    **dict.fromkeys(".,;:!()[]|/?", 0.5),
}
_MATH_COMMANDS = {
    r"\partial": 0.55,
    r"\times": 1.2,
    r"\cdot": 0.75,
    r"\uparrow": 0.95,
    r"\quad": 1.05,
    r"\qquad": 2.05,
    r"\,": 0.2,
    r"\;": 0.3,
    r"\:": 0.25,
    r"\!": 0.0,
}
_WORD_COMMANDS = (r"\mathrm", r"\operatorname", r"\text", r"\mathit", r"\mathbf")
_FRACTIONS = (r"\frac", r"\dfrac", r"\tfrac")
_OPERATOR_NAMES = {"log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "max", "min", "arctan"}
_PLAIN_CHARS = {"✓": 0.9, "✗": 0.9, " ": 0.33, ".": 0.33, ",": 0.33, "-": 0.4, "−": 0.85}


def _argument(s: str, i: int) -> tuple[str, int]:
    """The argument starting at ``s[i]`` (a braced group, a command or a character), and its end."""
    while s[i] == " ":
        i += 1
    if s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return s[i + 1 : j], j + 1
    if s[i] == "\\":
        match = re.match(r"\\([A-Za-z]+|.)", s[i:])
        return match.group(0), i + match.end()
    return s[i], i + 1


def _math_extent(s: str) -> tuple[float, float, float]:
    """(width, ascent, descent) in em of mathtext without its dollars."""
    width, up, down = 0.0, 0.8, 0.25
    i = 0
    while i < len(s):
        c = s[i]
        if c == "{":
            inner, i = _argument(s, i)
            w, u, d = _math_extent(inner)
            width, up, down = width + w, max(up, u), max(down, d)
        elif c in " }":
            i += 1
        elif c in "^_":
            inner, i = _argument(s, i + 1)
            w, u, d = _math_extent(inner)
            width += 0.7 * w + 0.25
            up, down = (max(up, 0.35 + 0.7 * u), down) if c == "^" else (up, max(down, 0.2 + 0.7 * d))
        elif c != "\\":
            width += _MATH_CHARS.get(c, 0.9 if c.isupper() else 0.62)
            i += 1
        else:
            command, i = _argument(s, i)
            if command in _FRACTIONS:
                top, i = _argument(s, i)
                bottom, i = _argument(s, i)
                (wt, ut, dt), (wb, ub, db) = _math_extent(top), _math_extent(bottom)
                scale = 1.0 if command == r"\dfrac" else 0.7
                width += scale * max(wt, wb) + 0.12
                up, down = max(up, 0.4 + scale * (ut + dt)), max(down, scale * (ub + db) - 0.1)
            elif command in (r"\left", r"\right"):
                delimiter, i = _argument(s, i)
                width += 0.0 if delimiter == "." else 0.5
            elif command == r"\sqrt":
                inner, i = _argument(s, i)
                w, u, d = _math_extent(inner)
                width, up, down = width + w + 1.0, max(up, u + 0.25), max(down, d)
            elif command in _WORD_COMMANDS:
                inner, i = _argument(s, i)
                width += 0.6 * len(inner) + 0.3
            elif command in _MATH_COMMANDS:
                width += _MATH_COMMANDS[command]
            elif command[1:] in _OPERATOR_NAMES:  # upright words: \log, \tanh
                width += 0.6 * len(command)
            else:  # one glyph: \sigma, \varepsilon
                width += 0.75
    return width, up, down


@functools.lru_cache(maxsize=4096)  # a layout asks for the same few texts many times
def text_size(text: str, size: float) -> tuple[float, float]:
    r"""Estimated (width, height) in inches of matplotlib text, mathtext between dollars.

    Made for the fonts draw.py uses (Computer Modern mathtext, DejaVu Sans otherwise) and
    rounded up, so a Rect of this size around the anchor holds the drawn text.

    Examples
    --------
    >>> [round(inches, 2) for inches in text_size(r"$\dfrac{\partial J}{\partial a} =$", 14)]
    [0.56, 0.49]
    """
    if "\n" in text:
        sizes = [text_size(line, size) for line in text.split("\n")]
        return max(w for w, _ in sizes), sum(h for _, h in sizes) * LINE_SPACING
    width, up, down = 0.0, 0.8, 0.25
    for index, part in enumerate(re.split(r"(?<!\\)\$", text)):
        if index % 2:
            w, u, d = _math_extent(part)
            width, up, down = width + w, max(up, u), max(down, d)
        else:
            plain = part.replace("\\$", "$")
            width += sum(_PLAIN_CHARS.get(c, 0.72 if c.isupper() else 0.64) for c in plain)
    em = size / 72.0
    return width * em * SAFETY, (up + down) * em * SAFETY
