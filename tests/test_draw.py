"""Drawing: what matplotlib draws does not overlap, clicks find boxes, one box changes at a time."""

from __future__ import annotations

from itertools import combinations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Text
from random_graphs import random_graph

from lab_utils_backprop.diagram.draw import DPI, Diagram
from lab_utils_backprop.diagram.layout import MAX_WIDTH
from lab_utils_backprop.diagram.measure import VALUE_FONT
from lab_utils_backprop.diagram.style import BLUE, BLUE_TINT, GREEN, GREY, RED, SELECTED
from lab_utils_backprop.engine.examples import config_fanout, config_neuron, config_nw0, config_nw1
from lab_utils_backprop.exercise.answers import format_number
from lab_utils_backprop.exercise.boxes import boxes_for

GRAPHS = {
    "nw0": config_nw0,
    "nw1": config_nw1,
    "neuron": config_neuron,
    "fanout": config_fanout,
    "random 30 nodes": random_graph(3, n_nodes=25, n_params=3, n_data=2),
    "random fan-out": random_graph(8, n_nodes=10, n_params=2, n_data=1),
}


def all_right(diagram: Diagram) -> None:
    """Fill every box with its answer, so values, marks and notes are all shown."""
    for box in boxes_for(diagram.graph):
        diagram.set_box(box.id, "right", format_number(box.answer))


def drawn(diagram: Diagram):
    """The visible texts and rounded boxes after a full draw, with their window extents in pixels.

    ``findobj`` walks every artist of the figure, those of the static layer included.
    """
    diagram.fig.canvas.draw()
    renderer = diagram.fig.canvas.get_renderer()
    found = diagram.fig.findobj(lambda a: a.get_visible() and isinstance(a, Text | FancyBboxPatch))
    texts = [(t, t.get_window_extent(renderer)) for t in found if isinstance(t, Text) and t.get_text()]
    boxes = [(p, p.get_window_extent(renderer)) for p in found if isinstance(p, FancyBboxPatch)]
    return texts, boxes


def overlap(a, b) -> bool:
    """Bboxes sharing more than a pixel's sliver (antialiasing may touch)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a.y1, b.y1) - max(a.y0, b.y0) > 1


def inside(inner, outer) -> bool:
    return (
        inner.x0 >= outer.x0 - 1
        and inner.x1 <= outer.x1 + 1
        and inner.y0 >= outer.y0 - 1
        and inner.y1 <= outer.y1 + 1
    )


@pytest.mark.parametrize("name", GRAPHS)
def test_drawn_texts_and_boxes_do_not_overlap(name):
    diagram = Diagram(GRAPHS[name])
    all_right(diagram)
    texts, boxes = drawn(diagram)
    assert [
        (a.get_text(), b.get_text()) for (a, ea), (b, eb) in combinations(texts, 2) if overlap(ea, eb)
    ] == []
    assert [(ea.bounds, eb.bounds) for (_, ea), (_, eb) in combinations(boxes, 2) if overlap(ea, eb)] == []
    for text, extent in texts:
        holders = [e for _, e in boxes if overlap(extent, e)]
        # a text is either free, or entirely inside the one box that holds it (an equation, a value)
        assert holders == [] or (len(holders) == 1 and inside(extent, holders[0])), text.get_text()


@pytest.mark.parametrize("name", GRAPHS)
def test_drawn_text_stays_inside_the_rectangle_layout_estimated(name):
    diagram = Diagram(GRAPHS[name])
    all_right(diagram)
    texts, _ = drawn(diagram)
    labels = [*diagram.layout.nodes.values(), *diagram.layout.labels.values()]
    to_pixels = diagram.transform
    for text, extent in texts:
        matches = [
            label for label in labels if label.text == text.get_text() and text.get_position() == label.anchor
        ]
        if not matches:  # a value typed in a box: it must stay inside the box
            continue
        rect = matches[0].rect
        estimate = to_pixels.transform([(rect.x, rect.y), (rect.x1, rect.y1)])
        assert estimate[0][0] - 1 <= extent.x0 and extent.x1 <= estimate[1][0] + 1, text.get_text()
        assert estimate[0][1] - 1 <= extent.y0 and extent.y1 <= estimate[1][1] + 1, text.get_text()


@pytest.mark.parametrize("name", GRAPHS)
def test_figure_fits_a_notebook(name):
    diagram = Diagram(GRAPHS[name])
    width, _ = diagram.fig.canvas.get_width_height()
    assert width <= MAX_WIDTH * DPI
    assert tuple(diagram.fig.get_size_inches()) == pytest.approx(diagram.layout.size)
    assert Diagram.figure_size(GRAPHS[name]) == diagram.layout.size


def click(diagram: Diagram, x: float, y: float) -> list[str | None]:
    """Press the mouse at (x, y) through matplotlib's own event system; what did box_at say?"""
    found = []
    canvas = diagram.fig.canvas
    cid = canvas.mpl_connect("button_press_event", lambda event: found.append(diagram.box_at(event)))
    canvas.callbacks.process("button_press_event", MouseEvent("button_press_event", canvas, x, y, button=1))
    canvas.mpl_disconnect(cid)
    return found


@pytest.mark.parametrize("name", ["nw0", "nw1", "neuron", "fanout"])
def test_a_click_at_each_box_finds_that_box(name):
    diagram = Diagram(GRAPHS[name])
    diagram.fig.canvas.draw()
    for box_id in diagram.box_ids:
        assert click(diagram, *diagram.display_position(box_id)) == [box_id]


def test_a_click_beside_the_boxes_finds_nothing():
    diagram = Diagram(config_nw1)
    x, y = diagram.transform.transform(diagram.layout.nodes["a"].rect.center)
    assert click(diagram, x, y) == [None]
    assert click(diagram, 2, 2) == [None]


def test_box_ids_are_in_the_order_a_student_fills_them():
    assert Diagram(config_nw1).box_ids == [box.id for box in boxes_for(config_nw1)]


def box_artists(diagram: Diagram, box_id: str):
    """A box's patch and text, and the note a right gradient shows, from what set_box returns."""
    patch, text, *note = diagram.set_box(box_id, "right", "0")  # a note changes only when shown or hidden
    diagram.set_box(box_id, "empty")
    return patch, text, (note[0] if note else None)


def test_right_wrong_revealed_and_empty_change_colours_text_and_marks():
    diagram = Diagram(config_nw0)
    patch, text, _ = box_artists(diagram, "forward:a")
    diagram.set_box("forward:a", "right", "11")
    assert text.get_text() == "11 ✓" and patch.get_facecolor() == to_rgba(BLUE_TINT)
    assert patch.get_edgecolor() == to_rgba(BLUE)
    diagram.set_box("forward:a", "wrong", "12")
    assert text.get_text() == "12 ✗" and patch.get_edgecolor() == to_rgba(RED) and text.get_color() == RED
    diagram.set_box("forward:a", "revealed", "11")
    assert (
        text.get_text() == "11"
        and text.get_fontstyle() == "italic"
        and patch.get_edgecolor() == to_rgba(GREY)
    )
    assert patch.get_linestyle() == "--"
    diagram.set_box("forward:a", "empty")
    assert text.get_text() == "" and patch.get_facecolor() == to_rgba("white")


def test_derivative_boxes_are_green_and_selection_is_a_thick_dark_edge():
    diagram = Diagram(config_nw0)
    patch, _, _ = box_artists(diagram, "local:a:w")
    assert patch.get_edgecolor() == to_rgba(GREEN)
    width = patch.get_linewidth()
    diagram.set_box("local:a:w", "empty", selected=True)
    assert patch.get_edgecolor() == to_rgba(SELECTED) and patch.get_linewidth() > width


def test_a_right_gradient_box_shows_its_value_under_the_node_until_emptied():
    diagram = Diagram(config_nw0)
    _, _, note = box_artists(diagram, "gradient:a")
    assert not note.get_visible()
    diagram.set_box("gradient:a", "right", "22")
    assert note.get_visible() and note.get_text() == r"$\partial J/\partial a = 22$"
    diagram.set_box("gradient:a", "wrong", "21")
    assert not note.get_visible()
    diagram.set_box("gradient:a", "revealed", "22")
    assert note.get_visible()
    diagram.set_box("gradient:a", "empty")
    assert not note.get_visible()


def test_a_long_value_is_drawn_smaller_and_clipped_to_its_box():
    diagram = Diagram(config_nw0)
    _, text, _ = box_artists(diagram, "forward:a")
    diagram.set_box("forward:a", "wrong", "123456789.123456")
    assert text.get_fontsize() < VALUE_FONT and text.get_clip_path() is not None


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="status"):
        Diagram(config_nw0).set_box("forward:a", "maybe", "3")


def pixels(diagram: Diagram) -> np.ndarray:
    return np.asarray(diagram.fig.canvas.buffer_rgba()).copy()


def full_draw(diagram: Diagram) -> np.ndarray:
    diagram.fig.canvas.draw()
    return pixels(diagram)


def test_repaint_by_blitting_gives_the_same_pixels_as_a_full_draw():
    diagram = Diagram(config_nw1)
    diagram.fig.canvas.draw()
    statuses = ["right", "wrong", "revealed", "empty"]
    for i, box_id in enumerate(diagram.box_ids * 2):
        diagram.repaint(diagram.set_box(box_id, statuses[i % 4], "3", selected=i % 3 == 0))
        if i % 5 == 0:
            assert np.array_equal(pixels(diagram), full_draw(diagram))
    blitted = pixels(diagram)
    assert np.array_equal(blitted, full_draw(diagram))


@pytest.mark.parametrize("graph", [config_nw1, config_neuron], ids=["network 1", "neuron"])
def test_moving_the_selection_across_the_figure_repaints_exactly(graph):
    diagram = Diagram(graph)
    diagram.fig.canvas.draw()
    far_apart = [diagram.box_ids[0], diagram.box_ids[-1], diagram.box_ids[len(diagram.box_ids) // 2]]
    previous = None
    for box_id in far_apart * 2:  # a click: one box loses the highlight, a distant one gains it
        changed = diagram.set_box(box_id, "empty", selected=True)
        if previous is not None:
            changed += diagram.set_box(previous, "wrong", "5")
        diagram.repaint(changed)
        previous = box_id
        assert np.array_equal(pixels(diagram), full_draw(diagram))


def test_blitting_draws_no_whole_figure_after_the_first_repaint():
    diagram = Diagram(config_nw1)
    full_draws = []
    diagram.fig.canvas.mpl_connect("draw_event", full_draws.append)
    diagram.repaint(diagram.set_box("forward:c", "right", "-4"))
    before = len(full_draws)
    for box_id in diagram.box_ids:
        diagram.repaint(diagram.set_box(box_id, "wrong", "7"))
    assert len(full_draws) == before


def test_repaint_after_a_resize_takes_a_new_background():
    diagram = Diagram(config_nw0)
    diagram.repaint(diagram.set_box("forward:a", "right", "11"))
    diagram.fig.set_size_inches(diagram.layout.size[0] * 1.2, diagram.layout.size[1] * 1.2)
    diagram.repaint(diagram.set_box("forward:J", "wrong", "100"))
    assert np.array_equal(pixels(diagram), full_draw(diagram))


@pytest.mark.parametrize("blit", [True, False])
def test_repaint_of_everything_or_without_blitting_draws_the_whole_figure(blit):
    diagram = Diagram(config_nw0, blit=blit)
    full_draws = []
    diagram.fig.canvas.mpl_connect("draw_event", full_draws.append)
    changed = diagram.set_box("forward:a", "right", "11")
    diagram.repaint(None if blit else changed)
    assert len(full_draws) == 1
    assert diagram.box_text("forward:a") == "11 ✓"


def test_draws_into_a_pyplot_figure_sized_by_figure_size():
    fig = plt.figure(figsize=Diagram.figure_size(config_nw1))
    diagram = Diagram(config_nw1, fig=fig)
    assert diagram.fig is fig and fig.axes == []  # the artists belong to the figure itself
    fig.canvas.draw()
    assert click(diagram, *diagram.display_position("gradient:w")) == ["gradient:w"]


def test_repaint_after_a_dpi_change_takes_a_new_background():
    diagram = Diagram(config_nw0)
    diagram.repaint(diagram.set_box("forward:a", "right", "11"))
    diagram.fig.set_dpi(2 * DPI)  # what ipympl does on a high-density screen
    diagram.repaint(diagram.set_box("gradient:a", "right", "22"))
    assert np.array_equal(pixels(diagram), full_draw(diagram))


# ipympl 0.10's own Toolbar passes its canvas up to traitlets, which warns; nothing of ours.
@pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\)")
def test_on_ipympl_repaint_blits_and_sends_one_frame_per_repaint(ipympl, monkeypatch):
    fig = plt.figure(figsize=Diagram.figure_size(config_nw1))
    diagram = Diagram(config_nw1, fig=fig)
    fig.canvas.draw()
    frames = []
    monkeypatch.setattr(fig.canvas.manager, "refresh_all", lambda: frames.append("frame"))
    full_draws = []
    fig.canvas.mpl_connect("draw_event", full_draws.append)
    diagram.repaint(diagram.set_box("forward:c", "right", "-4"))
    diagram.repaint(diagram.set_box("gradient:w", "wrong", "5", selected=True))
    assert len(frames) == 2 and len(full_draws) == 1  # the one full draw takes the background
    blitted = pixels(diagram)
    assert np.array_equal(blitted, full_draw(diagram))


def test_a_note_is_returned_only_when_it_changes_and_nothing_to_repaint_draws_nothing():
    """Selecting a right gradient leaves its note alone: a strip holding only the note sends no frame."""
    diagram = Diagram(config_nw0)
    _, _, note = box_artists(diagram, "gradient:a")
    assert note in diagram.set_box("gradient:a", "right", "22")
    assert note not in diagram.set_box("gradient:a", "right", "22", selected=True)
    diagram.fig.canvas.draw()
    before = np.asarray(diagram.fig.canvas.buffer_rgba()).copy()
    diagram.repaint([])
    assert np.array_equal(np.asarray(diagram.fig.canvas.buffer_rgba()), before)
