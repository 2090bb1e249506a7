"""What a student does and sees in the lesson's graph, for the browser tests: click, type, look.

``lesson`` is conftest.py's LessonInBrowser; a box is a ProbedBox (where the kernel says it is).
"""

from __future__ import annotations

import time

from canvas_colours import dominant_colour

# Half the side of the square read around a box's centre, in CSS px: inside every box.
PATCH_RADIUS = 6
RIGHT_COLOUR = {"forward": "blue", "local": "green", "gradient": "green"}
REVEALED, EMPTY, WRONG = "grey", "none", "red"


def colour_of(lesson, box) -> str:
    """The colour a student sees in the box now (see canvas_colours.py)."""
    return dominant_colour(lesson.lab.pixels(lesson.cell, box.x, box.y, PATCH_RADIUS, box.strip))


def eventually(read, expected, timeout: float = 10):
    """Poll ``read()`` until it returns ``expected``; the last value read, for the assert to show."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if value == expected or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def expect_colour(lesson, box, colour: str) -> None:
    """Assert the box turns ``colour`` within a few seconds (a repaint takes a round trip)."""
    seen = eventually(lambda: colour_of(lesson, box), colour)
    assert seen == colour, f"{box.id} looks {seen}, expected {colour}"


def expect_text(lesson, text: str, shown: bool = True) -> None:
    """Assert the graph's widgets show (or no longer show) ``text`` within a few seconds."""
    seen = eventually(lambda: text in lesson.lab.output_text(lesson.cell), shown)
    assert seen == shown, (
        f"{text!r} {'not ' * shown}in the widgets' text:\n{lesson.lab.output_text(lesson.cell)}"
    )


def submit(lesson, box, text: str) -> None:
    """Click the box on the canvas, type ``text`` and press Enter."""
    lesson.lab.click_canvas(lesson.cell, box.x, box.y, box.strip)
    lesson.lab.type_answer(lesson.cell, text)
