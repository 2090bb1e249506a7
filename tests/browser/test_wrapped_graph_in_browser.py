"""A graph too wide for one band, in the browser: the sigmoid neuron's six canvases.

The widget shows a diagram in strips, a canvas each (see widget.py): each band's graph,
then its derivative columns. Here a student fills a box in the first strip and one in
the last, and each strip shows its own change. The fixtures are those of conftest.py,
on the neuron lesson instead of the main one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from student import RIGHT_COLOUR, WRONG, colour_of, expect_colour, expect_text, submit

pytestmark = pytest.mark.browser

LESSON = Path(__file__).resolve().parents[2] / "notebooks" / "sigmoid_neuron.ipynb"
GRAPH = "graph"  # the lesson names its graph `graph`; the first cell showing it is the one driven


def test_each_strip_is_a_canvas_that_takes_clicks_and_shows_feedback(lesson):
    strips = sorted({box.strip for box in lesson.boxes.values()})
    assert strips == list(range(6))  # three bands, each its graph and its derivative columns
    assert lesson.lab.canvas(lesson.cell).count() == len(strips)
    first = next(box for box in lesson.boxes.values() if box.strip == 0 and box.kind == "forward")
    last = next(box for box in lesson.boxes.values() if box.strip == strips[-1] and box.kind == "local")

    submit(lesson, last, last.wrong)
    expect_colour(lesson, last, WRONG)
    expect_text(lesson, last.wrong_message)
    submit(lesson, first, first.answer)
    expect_colour(lesson, first, RIGHT_COLOUR[first.kind])
    assert colour_of(lesson, last) == WRONG  # the other strip kept its picture
    submit(lesson, last, last.answer)
    expect_colour(lesson, last, RIGHT_COLOUR[last.kind])
    expect_text(lesson, last.right_message)
