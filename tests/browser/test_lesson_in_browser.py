"""The lesson the way students use it: JupyterLab in a real browser, clicks and typing.

The unit tests drive matplotlib events in-process; these drive the whole path instead:
Chromium, JupyterLab, ipywidgets' and ipympl's JavaScript, the comm messages and the kernel.
All tests share one page on which Run All Cells has run (see conftest.py), and each works
on boxes of the part-2 graph that the others leave alone. Where to click, what to type
and what the tutor must answer all come from the lesson's kernel (see lesson_copy.py).
"""

from __future__ import annotations

import json
import statistics

import pytest
from latency import click_to_focus, enter_to_repaint
from student import EMPTY, REVEALED, RIGHT_COLOUR, WRONG, colour_of, expect_colour, expect_text, submit

pytestmark = pytest.mark.browser

LATENCY_ENTRIES = 10


@pytest.mark.parametrize("box_id", ["forward:a", "gradient:d"])
def test_wrong_answer_turns_the_box_red_and_the_right_one_its_colour(lesson, box_id):
    box = lesson.boxes[box_id]

    submit(lesson, box, box.wrong)
    expect_colour(lesson, box, WRONG)
    expect_text(lesson, box.wrong_message)

    submit(lesson, box, box.answer)
    expect_colour(lesson, box, RIGHT_COLOUR[box.kind])
    expect_text(lesson, box.right_message)


def test_hint_then_reveal_all_then_hide_all(lesson):
    answered, untouched = lesson.boxes["local:d:a"], lesson.boxes["forward:J"]
    submit(lesson, answered, answered.answer)
    expect_colour(lesson, answered, RIGHT_COLOUR[answered.kind])

    lesson.lab.click_canvas(lesson.cell, untouched.x, untouched.y, untouched.strip)
    lesson.lab.button(lesson.cell, "Hint").click()
    expect_text(lesson, untouched.first_hint)
    assert colour_of(lesson, untouched) == EMPTY

    lesson.lab.button(lesson.cell, "Reveal all").click()
    expect_colour(lesson, untouched, REVEALED)
    assert colour_of(lesson, answered) == RIGHT_COLOUR[answered.kind]
    lesson.lab.click_canvas(lesson.cell, untouched.x, untouched.y, untouched.strip)
    expect_text(lesson, untouched.reveal_message)

    lesson.lab.button(lesson.cell, "Hide all").click()
    expect_colour(lesson, untouched, EMPTY)
    assert colour_of(lesson, answered) == RIGHT_COLOUR[answered.kind]
    expect_text(lesson, untouched.reveal_message, shown=False)


def test_the_graph_still_works_after_its_cell_is_run_again(lesson):
    kept, fresh = lesson.boxes["forward:c"], lesson.boxes["gradient:w"]
    submit(lesson, kept, kept.answer)
    expect_colour(lesson, kept, RIGHT_COLOUR[kept.kind])

    lesson.lab.run_cell(lesson.cell)
    lesson.lab.wait_for_drawn_canvas(lesson.cell)

    strips = len({box.strip for box in lesson.boxes.values()})
    assert lesson.lab.canvas(lesson.cell).count() == strips, "re-running the cell piled up canvases"
    expect_colour(lesson, kept, RIGHT_COLOUR[kept.kind])  # restored from the saved progress
    submit(lesson, fresh, fresh.wrong)
    expect_colour(lesson, fresh, WRONG)
    expect_text(lesson, fresh.wrong_message)
    submit(lesson, fresh, fresh.answer)
    expect_colour(lesson, fresh, RIGHT_COLOUR[fresh.kind])


def test_latency_of_click_and_enter(lesson, tmp_path, record_property):
    """A benchmark: time, in the page, click to focused input and Enter to repainted canvas.

    Each entry flips a box between red and its right colour, so every Enter must repaint.
    The figures are printed in pytest's summary and written to latency.json; only a
    missing focus or repaint fails the test.
    """
    boxes = list(lesson.boxes.values())
    clicks, enters = [], []
    for entry in range(LATENCY_ENTRIES):
        box = boxes[entry % len(boxes)]
        text = box.answer if colour_of(lesson, box) == WRONG else box.wrong
        clicks.append(click_to_focus(lesson.lab, lesson.cell, box.x, box.y, box.strip))
        enters.append(enter_to_repaint(lesson.lab, lesson.cell, text, box.x, box.y, box.strip))
    assert None not in clicks, f"the answer field did not take focus after some clicks: {clicks}"
    assert None not in enters, f"the canvas did not repaint after some entries: {enters}"

    figures = {
        name: {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "runs": times}
        for name, times in (("click_to_focused_input", clicks), ("enter_to_repainted_canvas", enters))
    }
    (tmp_path / "latency.json").write_text(json.dumps(figures, indent=2))
    summary = "; ".join(
        f"{name}: median {f['median_ms']} ms, max {f['max_ms']} ms over {LATENCY_ENTRIES}"
        for name, f in figures.items()
    )
    record_property("browser latency", f"{summary} ({tmp_path / 'latency.json'})")
