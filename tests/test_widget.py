"""The interactive graph driven as a student drives it: clicks through matplotlib's event path,
typing through the input widget's value, buttons through ``Button.click()``."""

import base64
import gc
import html
import io
import weakref

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backend_bases import KeyEvent, MouseEvent
from PIL import Image

from lab_utils_backprop import interactive_graph, plt_network
from lab_utils_backprop.engine.examples import config_fanout, config_neuron, config_nw0, config_nw1
from lab_utils_backprop.exercise.answers import check, format_number
from lab_utils_backprop.notebook.controls import CRASH, KIND_NAMES
from lab_utils_backprop.notebook.widget import GraphWidget

GRAPHS = {"network 0": config_nw0, "network 1": config_nw1, "sigmoid neuron": config_neuron}


@pytest.fixture
def make():
    """Build GraphWidgets without saved progress, and close them after the test."""
    made = []

    def make(graph, **options):
        options.setdefault("progress", False)
        made.append(GraphWidget(graph, **options))
        return made[-1]

    yield make
    for widget in made:
        widget.close()


def click(widget, box_id, button=1):
    """Press the mouse on a box where it is drawn, through its canvas's own callbacks."""
    canvas = widget.figure_of(box_id).canvas
    x, y = widget.display_position(box_id)
    event = MouseEvent("button_press_event", canvas, x, y, button=button)
    canvas.callbacks.process("button_press_event", event)


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, from its header."""
    assert png.startswith(b"\x89PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def decoded(png: bytes) -> np.ndarray:
    """A PNG's pixels as RGBA rows from the top."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def type_in(widget, text):
    """Type into the input and press Enter: what the page's Enter calls."""
    widget.answer.submit(text)


@pytest.mark.parametrize("name", GRAPHS)
def test_every_box_right_by_clicking_and_typing(make, name):
    graph = GRAPHS[name]
    widget = make(graph)
    boxes = widget.tutor.boxes
    for box in boxes:
        click(widget, box.id)
        assert widget.tutor.selected == box.id
        assert widget.choose.value == box.id
        assert widget.answer.description == f"{widget.tutor.asked(box.id)} ="
        type_in(widget, format_number(box.answer))
        assert widget.state(box.id).status == "right"
        assert widget.box_text(box.id) == f"{format_number(box.answer)} ✓"
        assert "✓" in widget.message.value
    assert widget.summary() == f"{len(boxes)}/{len(boxes)} boxes right"
    assert widget.score.value == widget.summary()
    assert widget.errors.outputs == ()


def test_a_click_away_from_every_box_keeps_the_selection(make):
    widget = make(config_nw0)
    click(widget, "forward:a")
    for figure in widget.figures:
        canvas = figure.canvas
        for x, y in [(1, 1), (figure.bbox.width - 1, figure.bbox.height - 1)]:
            canvas.callbacks.process(
                "button_press_event", MouseEvent("button_press_event", canvas, x, y, button=1)
            )
    assert widget.tutor.selected == "forward:a"


def test_keys_pressed_on_the_canvas_leave_the_diagram_alone(make):
    widget = make(config_nw1)
    before = {box.id: widget.display_position(box.id) for box in widget.tutor.boxes}
    for figure in widget.figures:
        canvas = figure.canvas
        for key in "lkLgGsfpo":  # matplotlib's defaults: log scales, grids, save, fullscreen, pan, zoom
            canvas.callbacks.process("key_press_event", KeyEvent("key_press_event", canvas, key, 5, 5))
        assert [ax.get_xscale() for ax in figure.axes] == ["linear"] * len(figure.axes)
    assert {box.id: widget.display_position(box.id) for box in widget.tutor.boxes} == before


def test_one_box_revealed_and_typed_again(make):
    widget = make(config_nw0)
    widget.select("local:a:w")
    widget.reveal()
    assert widget.state("local:a:w").status == "revealed"
    assert widget.summary() == "0/5 boxes right, 1 revealed" and widget.tally().revealed == 1
    click(widget, "local:a:w")
    assert widget.answer.value == ""  # so that typing the revealed answer counts as an entry
    type_in(widget, widget.state("local:a:w").text)
    assert widget.state("local:a:w").status == "right"


def test_only_the_left_button_selects(make):
    widget = make(config_nw0)
    click(widget, "forward:J", button=3)
    assert widget.tutor.selected is None
    click(widget, "forward:J", button=1)
    assert widget.tutor.selected == "forward:J"


MISTAKES = {
    "local derivative typed for the gradient": (
        config_nw0,
        "gradient:w",
        lambda g: g.local("a", "w"),
        "the local derivative",
    ),
    "one branch only where w fans out": (
        config_fanout,
        "gradient:w",
        lambda g: g.local("p", "w") * g.gradient("p"),
        "the path through p alone",
    ),
    "sign flipped": (config_nw1, "gradient:w", lambda g: -g.gradient("w"), "sign is flipped"),
    "forward value in a derivative box": (
        config_nw0,
        "gradient:a",
        lambda g: g.value("a"),
        "forward value of a",
    ),
    "gradient for a local": (config_nw0, "local:a:w", lambda g: g.gradient("w"), "the gradient"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_wrong_entry_is_red_and_names_the_mistake(make, mistake):
    graph, box_id, slip, phrase = MISTAKES[mistake]
    widget = make(graph)
    click(widget, box_id)
    text = format_number(slip(graph))
    type_in(widget, text)
    state = widget.state(box_id)
    assert (state.status, state.text) == ("wrong", text)
    assert phrase in state.message
    assert "✗" in widget.message.value and phrase in widget.message.value
    assert widget.box_text(box_id) == f"{text} ✗"


def test_not_a_number_keeps_what_the_box_had(make):
    widget = make(config_nw1)
    click(widget, "forward:c")
    type_in(widget, "-4")
    before = widget.state("forward:c")
    type_in(widget, "four")
    assert widget.state("forward:c") == before
    assert check(widget.tutor.box("forward:c"), "four").message in widget.message.value
    click(widget, "forward:a")
    type_in(widget, "9/0")
    assert widget.state("forward:a").status == "empty"
    assert "⚠" in widget.message.value


def test_typing_with_no_box_selected_asks_for_a_box(make):
    widget = make(config_nw0)
    type_in(widget, "11")
    assert "Click a box first" in widget.message.value
    assert widget.summary() == "0/5 boxes right"


def test_choosing_a_box_in_the_list_shows_what_it_holds_and_a_click_leaves_the_input_empty(make):
    widget = make(config_nw1)
    widget.enter("5", "forward:c")
    widget.enter("4", "forward:a")
    widget.choose.value = "forward:c"
    assert widget.answer.value == "5"  # a wrong entry comes back to be corrected
    widget.choose.value = "forward:d"
    assert widget.answer.value == ""
    widget.choose.value = "forward:a"
    assert widget.answer.value == "4"
    # The browser empties the input as the canvas is pressed, and the student may type
    # before the kernel hears of the click: the kernel must not put a text back.
    click(widget, "forward:c")
    assert widget.tutor.selected == "forward:c" and widget.answer.value == ""
    assert widget.box_text("forward:c") == "5 ✗"


def test_keyboard_only_choose_from_the_list_and_type(make):
    widget = make(config_nw1)
    labels = [label for label, _ in widget.choose.options]
    assert labels[0] == "Choose a box…"
    assert [value for _, value in widget.choose.options][1:] == [box.id for box in widget.tutor.boxes]
    assert "∂J/∂w (gradient)" in labels
    for box in widget.tutor.boxes:
        widget.choose.value = box.id
        assert widget.answer.description == f"{widget.tutor.asked(box.id)} ="
        type_in(widget, format_number(box.answer))
    assert widget.summary() == "13/13 boxes right"
    widget.choose.value = ""
    assert widget.tutor.selected is None


def test_a_click_moves_the_keyboard_focus_to_the_input_and_the_list_does_not(make, monkeypatch):
    widget = make(config_nw0)
    focused = []
    monkeypatch.setattr(widget.answer, "focus", lambda: focused.append(widget.tutor.selected))
    click(widget, "forward:J")
    widget.choose.value = "forward:a"  # arrow keys in the list must keep moving through it
    assert focused == ["forward:J"]


def test_hint_steps_end_in_revealing_the_box(make):
    widget = make(config_nw0)
    widget.buttons["Hint"].click()
    assert "Click a box first" in widget.message.value
    click(widget, "gradient:w")
    steps = []
    while widget.state("gradient:w").status == "empty":
        widget.buttons["Hint"].click()
        steps.append(widget.message.value)
        assert len(steps) < 10
    assert len(set(steps)) == len(steps) >= 3
    assert "Chain rule" in steps[1] and "≈" in steps[2]
    assert widget.state("gradient:w").status == "revealed"
    assert widget.box_text("gradient:w") == widget.state("gradient:w").text


def test_reveal_all_then_hide_all_puts_back_what_was_typed(make):
    widget = make(config_nw1)
    widget.enter("-4", "forward:c")
    widget.enter("7", "forward:a")
    widget.buttons["Reveal all"].click()
    states = widget.states()
    assert states["forward:c"].status == "right"
    assert all(s.status == "revealed" for box_id, s in states.items() if box_id != "forward:c")
    assert widget.summary() == "1/13 boxes right, 12 revealed"
    widget.buttons["Reveal all"].click()
    assert widget.states() == states
    widget.buttons["Hide all"].click()
    assert widget.state("forward:a").text == "7" and widget.state("forward:a").status == "wrong"
    assert widget.state("forward:d").status == "empty"
    widget.buttons["Hide all"].click()
    assert widget.state("forward:a").status == "wrong"


def test_reset_asks_first_and_no_keeps_everything(make):
    widget = make(config_nw0)
    widget.enter("11", "forward:a")
    widget.buttons["Reset"].click()
    assert widget.confirm_row.layout.display == "flex"
    assert widget.summary() == "1/5 boxes right"
    widget.cancel.click()
    assert widget.confirm_row.layout.display == "none"
    assert widget.summary() == "1/5 boxes right"
    widget.buttons["Reset"].click()
    widget.confirm.click()
    assert widget.summary() == "0/5 boxes right"
    assert widget.tutor.selected is None and widget.choose.value == "" and widget.answer.value == ""
    assert {widget.box_text(box.id) for box in widget.tutor.boxes} == {""}


def test_any_other_action_withdraws_the_reset_question(make):
    widget = make(config_nw0)
    widget.enter("11", "forward:a")
    widget.buttons["Reset"].click()
    click(widget, "forward:J")
    assert widget.confirm_row.layout.display == "none"
    widget.buttons["Reset"].click()
    widget.buttons["Hint"].click()
    assert widget.confirm_row.layout.display == "none"
    assert widget.summary() == "1/5 boxes right"


def test_new_numbers_are_seeded_and_redraw_the_graph(make):
    first, second = make(config_nw1), make(config_nw1)
    first.enter("-4", "forward:c")
    first.buttons["New numbers"].click()
    second.buttons["New numbers"].click()
    values = {name: first.tutor.graph.value(name) for name in first.tutor.graph.leaves}
    assert values == {name: second.tutor.graph.value(name) for name in second.tutor.graph.leaves}
    assert values != {name: config_nw1.value(name) for name in config_nw1.leaves}
    assert first.summary() == "0/13 boxes right" and "New numbers" in first.message.value
    for box in first.tutor.boxes:
        click(first, box.id)
        type_in(first, format_number(box.answer))
    assert first.summary() == "13/13 boxes right"
    first.buttons["New numbers"].click()
    assert first.tutor.graph.value("w") != values["w"] or first.tutor.graph.value("b") != values["b"]


def test_buttons_pressed_over_and_over_in_any_state(make):
    widget = make(config_neuron)
    names = ["Hint", "Reveal all", "Hide all", "Reset", "Hint", "New numbers", "Reveal all", "Reset"]
    for round_ in range(3):
        click(widget, widget.tutor.boxes[round_ * 5].id)
        for name in names:
            widget.buttons[name].click()
            widget.buttons[name].click()
        widget.confirm.click()
        widget.confirm.click()
        widget.cancel.click()
    assert widget.errors.outputs == ()
    box = widget.tutor.boxes[0]
    click(widget, box.id)
    type_in(widget, format_number(box.answer))
    assert widget.state(box.id).status == "right"


def test_boxes_in_any_order_green_before_blue(make):
    widget = make(config_nw1)
    for box in reversed(widget.tutor.boxes):
        click(widget, box.id)
        type_in(widget, format_number(box.answer))
        assert widget.state(box.id).status == "right"
    assert widget.summary() == "13/13 boxes right"


def test_two_graphs_at_once_do_not_mix(make):
    zero, one = make(config_nw0), make(config_nw1)
    click(zero, "forward:a")
    click(one, "forward:a")
    type_in(zero, "11")
    type_in(one, "4")
    zero.buttons["Reveal all"].click()
    assert one.summary() == "1/13 boxes right"
    assert {s.status for s in one.states().values()} == {"right", "empty"}
    one.buttons["Reset"].click()
    one.confirm.click()
    assert zero.state("forward:a").status == "right"


def test_an_error_in_a_callback_is_shown_and_the_widget_goes_on(make, monkeypatch):
    widget = make(config_nw0)
    click(widget, "forward:a")

    def broken(text, box_id=None):
        raise RuntimeError("a bug in the tutor")

    monkeypatch.setattr(widget.tutor, "enter", broken)
    type_in(widget, "11")
    (output,) = widget.errors.outputs
    assert output["name"] == "stderr"
    assert output["text"].startswith(CRASH) and "RuntimeError: a bug in the tutor" in output["text"]
    assert "Something went wrong" in widget.message.value
    monkeypatch.undo()
    type_in(widget, "12")
    type_in(widget, "11")
    assert widget.state("forward:a").status == "right"


@pytest.mark.parametrize("name", GRAPHS)
def test_positions_agree_with_the_figure(make, name):
    widget = make(GRAPHS[name])
    for box in widget.tutor.boxes:
        figure = widget.figure_of(box.id)
        assert figure in widget.figures
        x, y = widget.display_position(box.id)
        assert 0 < x < figure.bbox.width and 0 < y < figure.bbox.height
        assert widget.css_position(box.id) == pytest.approx((x, figure.bbox.height - y))


def test_a_wrapped_graph_has_a_figure_per_strip_and_one_picture(make):
    """The neuron's three bands are six strips: six canvases, stacked into one PNG where one is shown."""
    widget = make(config_neuron)
    assert len(widget.figures) == 6
    widths = {figure.bbox.width for figure in widget.figures}
    assert len(widths) == 1
    assert {widget.figure_of(box.id) for box in widget.tutor.boxes} == set(widget.figures)
    bundle = widget._repr_mimebundle_()
    images = list(widget.view.children[0].children)
    assert len(images) == 6 and all(bytes(image.value).startswith(b"\x89PNG") for image in images)
    whole = base64.b64decode(bundle["image/png"])
    assert png_size(whole) == (
        round(widths.pop()),
        sum(png_size(bytes(image.value))[1] for image in images),
    )
    strips = [decoded(bytes(image.value)) for image in images]
    assert np.array_equal(decoded(whole), np.vstack(strips))  # the strips, in order, pixel for pixel
    assert all(strip[..., :3].min() < 128 for strip in strips)  # each strip has ink, not only paper
    before = [bytes(image.value) for image in images]
    widget.enter("1", widget.tutor.boxes[0].id)  # only the strip holding the box is rendered again
    strip = widget.figures.index(widget.figure_of(widget.tutor.boxes[0].id))
    changed = [bytes(image.value) != old for image, old in zip(images, before, strict=True)]
    assert changed == [i == strip for i in range(6)]


def test_display_gives_a_stable_text_and_a_png(make):
    widget = make(config_nw0)
    bundle = widget._repr_mimebundle_()
    assert bundle["text/plain"] == "GraphWidget(a = 2 + 3*w; J = a**2)"
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == widget.view.model_id
    graph, derivatives = widget.view.children[0].children  # under Agg each strip is a static image
    shown = [bytes(graph.value), bytes(derivatives.value)]
    assert png_size(base64.b64decode(bundle["image/png"]))[1] == sum(png_size(png)[1] for png in shown)
    widget.enter("11", "forward:a")  # a forward box: in the graph's strip
    assert bytes(graph.value).startswith(b"\x89PNG")
    assert bytes(graph.value) != shown[0]  # it follows changes once shown
    assert bytes(derivatives.value) == shown[1]


def test_running_the_cell_again_replaces_the_graph_without_growth():
    first = interactive_graph(config_nw0, progress=False)
    first_ref = weakref.ref(first)
    other = interactive_graph(config_nw1, progress=False)
    for _ in range(100):
        latest = interactive_graph(config_nw0, progress=False)
    assert first.closed and first.view.comm is None
    assert not other.closed and not latest.closed
    assert plt.get_fignums() == []
    del first
    gc.collect()
    assert first_ref() is None
    click(latest, "forward:a")
    type_in(latest, "11")
    assert latest.summary() == "1/5 boxes right"
    other.close()
    latest.close()
    closed = "GraphWidget(c = w*x; a = c + b; d = a - y; J = d**2/2) (closed: run the cell again)"
    assert other._repr_mimebundle_() == {"text/plain": closed}


@pytest.fixture
def shell():
    """An IPython shell, so that display() publishes bundles that can be captured."""
    from IPython.core.interactiveshell import InteractiveShell

    yield InteractiveShell.instance()
    InteractiveShell.clear_instance()


def test_the_original_call_still_works(tmp_path, monkeypatch, shell):
    from IPython.utils.capture import capture_output

    monkeypatch.chdir(tmp_path)  # progress is saved beside the notebook: here, a temporary folder
    with capture_output() as captured:
        plt.close("all")
        result = plt_network(config_nw0, "./images/C2_W2_BP_network0.PNG")
    assert result is None
    (output,) = captured.outputs
    assert output.data["text/plain"] == "GraphWidget(a = 2 + 3*w; J = a**2)"
    assert "application/vnd.jupyter.widget-view+json" in output.data
    assert captured.stdout == "" and captured.stderr == ""
    assert plt.get_fignums() == []


def test_a_wide_graph_is_drawn_smaller_to_fit_the_notebook_and_a_narrow_one_is_not():
    from lab_utils_backprop.diagram.draw import DPI
    from lab_utils_backprop.notebook.canvas import MAX_CSS_WIDTH

    wide, narrow = GraphWidget(config_nw1, progress=False), GraphWidget(config_nw0, progress=False)
    try:
        for figure in wide.figures:
            assert figure.bbox.width <= MAX_CSS_WIDTH < figure.get_size_inches()[0] * DPI
        assert {figure.dpi for figure in narrow.figures} == {DPI}
        box = "gradient:w"  # clicks still land: the positions follow the dpi
        figure = wide.figure_of(box)
        press = MouseEvent("button_press_event", figure.canvas, *wide.display_position(box), button=1)
        figure.canvas.callbacks.process("button_press_event", press)
        assert wide.tutor.selected == box
    finally:
        wide.close()
        narrow.close()


def test_a_right_answer_proposes_the_next_box_and_the_last_one_says_the_graph_is_complete(make):
    widget = make(config_nw0)
    click(widget, "forward:a")
    assert "Type the forward value of a, then press Enter." in widget.message.value
    boxes = widget.tutor.boxes
    for box, following in zip(boxes, [*boxes[1:], None], strict=True):
        assert widget.tutor.selected == box.id  # proposed by the answer before, so typing goes on
        type_in(widget, format_number(box.answer))
        if following is not None:
            assert f"Next: the {KIND_NAMES[following.kind]}" in widget.message.value
            assert widget.answer.description == f"{widget.tutor.asked(following.id)} ="
    assert "The graph is complete: 5/5 boxes right." in html.unescape(widget.message.value)


def test_the_next_box_proposed_skips_those_already_right(make):
    widget = make(config_nw1)
    ids = [box.id for box in widget.tutor.boxes]
    widget.enter(format_number(widget.tutor.box(ids[1]).answer), ids[1])
    widget.enter(format_number(widget.tutor.box(ids[0]).answer), ids[0])
    assert widget.tutor.selected == ids[2]


def test_after_a_button_the_keyboard_goes_where_typing_makes_sense(make, monkeypatch):
    widget = make(config_nw0)
    focused = []
    for name, control in (("answer", widget.answer), ("list", widget.choose), ("no", widget.cancel)):
        monkeypatch.setattr(control, "focus", lambda name=name: focused.append(name))
    click(widget, "forward:a")
    widget.buttons["Hint"].click()
    widget.buttons["Reveal all"].click()
    widget.buttons["Reset"].click()
    widget.confirm.click()
    widget.buttons["New numbers"].click()
    # the click, Hint, Reveal all: the answer; Reset asks: "No"; after the reset, no box: the list
    assert focused == ["answer", "answer", "answer", "no", "list", "list"]


@pytest.mark.parametrize(
    "graph", [config_nw1, config_fanout, config_neuron], ids=["nw1", "fan-out", "neuron"]
)
def test_the_diagram_fits_the_width_the_page_reports_and_follows_it(make, graph):
    from lab_utils_backprop.notebook.strips import MIN_DPI

    widget = make(graph)
    widget.enter(format_number(widget.tutor.boxes[0].answer), widget.tutor.boxes[0].id)
    for width in (1880, 780, 560, 1180):
        widget.fit(width)
        sizes = [figure.bbox.width for figure in widget.figures]
        assert max(sizes) <= width, f"{sizes} px wide for {width} px"
        assert min(figure.dpi for figure in widget.figures) >= MIN_DPI
        first = widget.tutor.boxes[0].id  # still painted right after a re-wrap, and still takes clicks
        assert widget.box_text(first).endswith("✓")
        last = widget.tutor.boxes[-1].id
        click(widget, last)
        assert widget.tutor.selected == last
    widget.fit(560)
    narrow = len(widget.figures)
    widget.fit(1880)
    assert len(widget.figures) <= narrow
