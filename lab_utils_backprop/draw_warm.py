r"""Ready matplotlib's mathtext while the kernel is idle, before the first diagram needs it.

The first mathtext a Python process draws builds matplotlib's parser (a pyparsing grammar,
about 30 ms) and finds and opens the Computer Modern, STIX and DejaVu fonts (about 20 ms):
a third of the first diagram's draw, paid once per kernel. In a lesson the package is
imported in the first cell and the first graph is drawn in a later one, and in between
the kernel sits idle while the student reads. So, imported in a running kernel (an
asyncio event loop runs the cells, as in ipykernel), the package asks that loop to do
this work at its next idle moment (:func:`when_idle`). The loop is the kernel's own
thread: nothing runs beside a cell, nothing needs a lock. Anywhere else (a script,
pytest, nbconvert's own process) nothing changes and the first draw pays as before.

Only matplotlib's public API is used: a parse through ``MathTextParser``, which keeps
the parser for the whole process, and ``findfont``/``get_font``, which keep what they
find.
"""

from __future__ import annotations

import asyncio
import contextlib

from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.mathtext import MathTextParser

from .draw import DPI, MATH_FONT
from .layout_text import FONT

__all__ = ["ready_mathtext", "when_idle"]

# A fraction, the operators and arrows of the chain-rule lines and hints, digits, letters.
_SAMPLE = r"$\dfrac{\partial J}{\partial w} = 2 \times 3 + \sqrt{x} - y\,\uparrow\,\varepsilon$"

#: True once :func:`ready_mathtext` has run in this process.
ready = False


def ready_mathtext() -> None:
    """Build matplotlib's mathtext parser and open the fonts a diagram draws with."""
    global ready
    MathTextParser("agg").parse(_SAMPLE, DPI, FontProperties(size=FONT, math_fontfamily=MATH_FONT))
    get_font(findfont(FontProperties()))  # DejaVu Sans: the values typed into the boxes
    ready = True


def when_idle() -> bool:
    """Run :func:`ready_mathtext` at the running event loop's next idle moment; False if none runs."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    loop.call_soon(_ready_quietly)
    return True


def _ready_quietly() -> None:
    # Only a head start: whatever failed here fails again, and is shown, when a diagram draws.
    with contextlib.suppress(Exception):
        ready_mathtext()
