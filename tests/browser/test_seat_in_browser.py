"""The student's seat in a real browser: keys stay in the widget, no key is lost, the keyboard is enough.

Boxes are found in a screenshot of the canvas, by colour and shape (canvas_boxes.py), and
clicked there; the probe of lesson_copy.py only names the box a click hit, so that the test
knows what to type. Every key goes through Chromium, JupyterLab's keymap, ipywidgets' and
ipympl's JavaScript, and the kernel.
"""

from __future__ import annotations

import nbformat
import pytest
from canvas_boxes import find_boxes
from student import RIGHT_COLOUR, WRONG, eventually, expect_colour, expect_text

from lab_utils_backprop.engine.examples import config_nw0
from lab_utils_backprop.exercise.answers import format_number
from lab_utils_backprop.exercise.tutor import Tutor

pytestmark = pytest.mark.browser

# The notebook shortcuts a stray key would trigger in command mode: delete (d d), insert
# above and below, to markdown, undo, move the selection, headings, leave the cell.
SHORTCUT_KEYS = ["d", "d", "a", "b", "m", "z", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "1", "2"]
SHORTCUT_KEYS += ["Escape"]

CELLS_JS = """() => [...document.querySelectorAll(".jp-Notebook .jp-Cell")].map((cell) => [
    [...cell.classList].filter((name) => /^jp-(Code|Markdown|Raw)Cell$/.test(name)).join(),
    cell.querySelector(".jp-InputArea").textContent,
])"""


def seen_boxes(lesson, strip: int):
    """The boxes a student sees on one strip, each named by the probed box drawn there."""
    canvas = lesson.lab.canvas(lesson.cell).nth(strip)
    scale = lesson.lab.page.evaluate("window.devicePixelRatio")
    named = {}
    for seen in find_boxes(canvas.screenshot(), scale):
        box = min(
            (box for box in lesson.boxes.values() if box.strip == strip),
            key=lambda box: (box.x - seen.x) ** 2 + (box.y - seen.y) ** 2,
        )
        assert abs(box.x - seen.x) < seen.width / 2 and abs(box.y - seen.y) < seen.height / 2, (seen, box)
        named[box.id] = seen
    return named


def notebook_on_disk(lesson) -> list[tuple[str, str]]:
    """Save the notebook from the page, then read each cell's type and source from the file."""
    lesson.lab.page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
    path = next(lesson.server.root.glob("notebooks/*.ipynb"))
    read = lambda: [(cell.cell_type, cell.source) for cell in nbformat.read(path, as_version=4).cells]  # noqa: E731
    return read()


@pytest.mark.parametrize("delay_ms", [0, 50])
def test_what_is_typed_right_after_a_click_ends_in_that_box(lesson, delay_ms):
    page = lesson.lab.page
    seen = seen_boxes(lesson, strip=0)
    assert {"forward:c", "forward:J"} <= set(seen), f"boxes found in the picture: {sorted(seen)}"
    for box_id in ("forward:c", "forward:J"):
        box, where = lesson.boxes[box_id], seen[box_id]
        for text, colour in ((box.wrong, WRONG), (box.answer, RIGHT_COLOUR[box.kind])):
            lesson.lab.canvas(lesson.cell).nth(0).click(position={"x": where.x, "y": where.y})
            if delay_ms:
                page.wait_for_timeout(delay_ms)
            page.keyboard.type(text)
            page.keyboard.press("Enter")
            expect_colour(lesson, box, colour)
        expect_text(lesson, box.right_message)


def test_no_key_pressed_in_the_widget_reaches_the_notebook(lesson):
    lab, cell = lesson.lab, lesson.cell
    before_page, before_disk = lab.page.evaluate(CELLS_JS), notebook_on_disk(lesson)
    controls = {
        "the Box list": cell.locator(".widget-dropdown select"),
        "the Answer input": lab.text_input(cell),
        "the canvas": lab.canvas(cell).nth(0),
        **{f"the {label} button": lab.button(cell, label) for label in ("Hint", "Reveal all", "Reset")},
    }
    for name, control in controls.items():
        for key in SHORTCUT_KEYS:
            control.focus()
            lab.page.keyboard.press(key)
        lab.page.wait_for_timeout(200)  # a shortcut acts at once; a kernel reply may follow
        assert lab.page.evaluate(CELLS_JS) == before_page, f"a key pressed in {name} changed the notebook"
    assert notebook_on_disk(lesson) == before_disk


def test_tab_and_shift_tab_leave_the_canvas(lesson):
    lab = lesson.lab
    canvas = lab.canvas(lesson.cell).nth(0)
    for key in ("Tab", "Shift+Tab"):
        canvas.focus()
        lab.page.keyboard.press(key)
        assert canvas.evaluate("(canvas) => document.activeElement !== canvas"), f"{key} kept the focus"


def test_part_one_with_the_keyboard_alone(lesson):
    """Tab to the part-1 graph's list, choose its first box, then type each answer and press Enter."""
    lab, page = lesson.lab, lesson.lab.page
    part_one = lab.figure_cell("interactive_graph(config_nw0)")
    box_list = part_one.locator(".widget-dropdown select")
    part_one.locator(".jp-InputPrompt").click()  # the student's place in the notebook, before the graph
    in_list = "(select) => document.activeElement === select"
    for _ in range(60):
        page.keyboard.press("Tab")
        if box_list.evaluate(in_list):
            break
    assert box_list.evaluate(in_list), "Tab never reached the part-1 graph's box list"
    page.keyboard.press("ArrowDown")  # the first box, in the order the lesson fills them
    page.keyboard.press("Tab")
    tutor = Tutor(config_nw0)
    for number, box in enumerate(tutor.boxes, 1):
        field = lab.text_input(part_one)
        label = part_one.locator(".lub-answer label")
        seen = eventually(lambda: label.inner_text(), f"{tutor.asked(box.id)} =")  # noqa: B023
        assert seen == f"{tutor.asked(box.id)} =", "the next box was not proposed"
        assert field.evaluate("(field) => document.activeElement === field")
        page.keyboard.type(format_number(box.answer))
        page.keyboard.press("Enter")
        expect = f"{number}/{len(tutor.boxes)} boxes right"
        assert eventually(lambda: expect in lab.output_text(part_one), True), lab.output_text(part_one)  # noqa: B023
    assert eventually(lambda: "complete" in lab.output_text(part_one), True), lab.output_text(part_one)


def test_after_hint_the_keyboard_is_back_in_the_answer(lesson):
    lab, page = lesson.lab, lesson.lab.page
    seen = seen_boxes(lesson, strip=0)
    box, where = lesson.boxes["forward:a"], seen["forward:a"]
    lab.canvas(lesson.cell).nth(0).click(position={"x": where.x, "y": where.y})
    lab.button(lesson.cell, "Hint").click()
    expect_text(lesson, box.first_hint)
    field = lab.text_input(lesson.cell)
    assert eventually(lambda: field.evaluate("(field) => document.activeElement === field"), True)
    page.keyboard.type(box.answer)
    page.keyboard.press("Enter")
    expect_colour(lesson, box, RIGHT_COLOUR[box.kind])
