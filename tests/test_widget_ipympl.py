"""The graph on a real ipympl canvas (the backend of ``%matplotlib widget``), without a browser.

A browser's click reaches the kernel as a comm message to the canvas widget, and typing as a
state update of the Text widget; these tests send those same messages.
"""

import ipywidgets
import matplotlib.pyplot as plt
import pytest
from comm_messages import browser_clicks, browser_types, from_browser
from matplotlib.backend_bases import MouseEvent

from lab_utils_backprop.engine.examples import config_neuron, config_nw0, config_nw1
from lab_utils_backprop.exercise.answers import format_number
from lab_utils_backprop.notebook.widget import GraphWidget

# ipympl 0.10's own Toolbar passes its canvas up to traitlets, which warns; nothing of ours.
pytestmark = pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\)")


@pytest.fixture
def widget(ipympl):
    widget = GraphWidget(config_nw1, progress=False)
    yield widget
    widget.close()


def test_the_canvases_are_ipympl_widgets_inside_the_view(widget):
    canvases = [figure.canvas for figure in widget.figures]
    assert list(widget.view.children[0].children) == canvases  # the graph, then its derivative columns
    for canvas in canvases:
        assert type(canvas).__module__ == "ipympl.backend_nbagg"
        assert isinstance(canvas, ipywidgets.DOMWidget)
        assert (canvas.toolbar_visible, canvas.header_visible, canvas.footer_visible) == (False, False, False)
    assert plt.get_fignums() == []  # not in pyplot's list: plt.show() elsewhere never shows it again


def test_a_matplotlib_click_on_the_ipympl_canvas_selects_the_box(widget):
    canvas = widget.figure_of("forward:a").canvas
    x, y = widget.display_position("forward:a")
    canvas.callbacks.process("button_press_event", MouseEvent("button_press_event", canvas, x, y, button=1))
    assert widget.tutor.selected == "forward:a"


def test_a_browser_click_and_typing_fill_every_box(widget):
    for box in widget.tutor.boxes:
        browser_clicks(widget, box.id)
        assert widget.tutor.selected == box.id
        browser_types(widget.answer, format_number(box.answer))
        assert widget.state(box.id).status == "right"
    assert widget.summary() == "13/13 boxes right"
    assert widget.errors.outputs == ()


def test_on_a_hidpi_screen_css_positions_stay_put(widget):
    before = {box.id: widget.css_position(box.id) for box in widget.tutor.boxes}
    display_before = widget.display_position("forward:a")
    from_browser(widget.figures[0].canvas, {"type": "set_device_pixel_ratio", "device_pixel_ratio": 2})
    assert widget.display_position("forward:a") == pytest.approx([2 * v for v in display_before])
    for box in widget.tutor.boxes:
        assert widget.css_position(box.id) == pytest.approx(before[box.id])
    browser_clicks(widget, "gradient:w")
    assert widget.tutor.selected == "gradient:w"


def test_closing_closes_the_canvas_widget(ipympl):
    widget = GraphWidget(config_nw0, progress=False)
    figures = widget.figures
    widget.close()
    assert [figure.canvas.comm for figure in figures] == [None] * len(figures)


def test_a_repaint_sends_frames_of_the_strips_it_touches_only(ipympl, monkeypatch):
    """The neuron's six strips are six canvases; a right gradient also shows its note in the graph above."""
    widget = GraphWidget(config_neuron, progress=False)
    try:
        frames = []
        for strip, figure in enumerate(widget.figures):
            figure.canvas.draw()  # the first frames, as when the canvases are first shown

            def send(content, buffers=None, strip=strip, send=figure.canvas.send):
                if buffers:  # a frame of pixels
                    frames.append(strip)
                send(content, buffers)

            monkeypatch.setattr(figure.canvas, "send", send)

        def strip_of(box):
            return widget.figures.index(widget.figure_of(box.id))

        last_strip = len(widget.figures) - 1
        first = next(box for box in widget.tutor.boxes if box.kind == "forward" and strip_of(box) == 0)
        local = next(box for box in widget.tutor.boxes if box.kind == "local" and strip_of(box) == last_strip)
        gradient = next(box for box in widget.tutor.boxes if box.id == "gradient:w0")
        steps = [
            (lambda: browser_clicks(widget, first.id), {0}),
            (lambda: browser_types(widget.answer, format_number(first.answer)), {0}),
            (lambda: browser_clicks(widget, local.id), {0, last_strip}),  # one box unselected, one selected
            (lambda: browser_types(widget.answer, format_number(local.answer)), {last_strip}),
            (lambda: browser_clicks(widget, gradient.id), {last_strip, strip_of(gradient)}),
            # right: the box, and the note ∂L/∂w0 = ... under w0 in the graph strip above it
            (lambda: browser_types(widget.answer, format_number(gradient.answer)), {1, 0}),
        ]
        assert strip_of(gradient) == 1
        for step, strips in steps:
            frames.clear()
            step()
            assert set(frames) == strips
        for box in widget.tutor.boxes:
            browser_clicks(widget, box.id)
            browser_types(widget.answer, format_number(box.answer))
        assert widget.summary() == f"{len(widget.tutor.boxes)}/{len(widget.tutor.boxes)} boxes right"
    finally:
        widget.close()
