"""The static layer: a second figure of the same graph copies the first one's pixels, never wrongly."""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from lab_utils_backprop import draw_layer
from lab_utils_backprop.draw import DPI, Diagram
from lab_utils_backprop.examples import config_nw0, config_nw1

pytestmark = pytest.mark.usefixtures("nothing_kept")  # pixels kept in memory only


def drawn(diagram: Diagram) -> np.ndarray:
    diagram.fig.canvas.draw()
    return np.asarray(diagram.fig.canvas.buffer_rgba()).copy()


def test_a_second_figure_of_the_same_graph_parses_no_mathtext_and_looks_the_same(parses):
    first = drawn(Diagram(config_nw1))
    assert len(parses) >= len(Diagram(config_nw1).layout.nodes)
    parses.clear()
    again = Diagram(config_nw1)
    assert np.array_equal(drawn(again), first)
    assert parses == []  # nw1's notes are hidden and its boxes are empty: nothing else is mathtext
    again.set_box("forward:c", "right", "-4")
    assert not np.array_equal(drawn(again), first)


def test_another_dpi_or_style_draws_the_artists_again(parses):
    drawn(Diagram(config_nw0))
    parses.clear()
    diagram = Diagram(config_nw0)
    diagram.fig.set_dpi(2 * DPI)
    drawn(diagram)
    assert parses
    parses.clear()
    with mpl.rc_context({"text.antialiased": False}):
        drawn(Diagram(config_nw0))
    assert parses


def test_what_a_figure_draws_over_the_layer_shows_and_is_not_kept(parses):
    plain = drawn(Diagram(config_nw0))
    diagram = Diagram(config_nw0)
    diagram.fig.text(0.01, 0.01, "a caption over the diagram")
    parses.clear()
    with_caption = drawn(diagram)
    assert parses == [] and not np.array_equal(with_caption, plain)
    assert np.array_equal(drawn(Diagram(config_nw0)), plain)  # the caption was not kept


def test_a_figure_drawing_something_under_the_layer_draws_it_in_full(parses):
    plain = drawn(Diagram(config_nw0))
    diagram = Diagram(config_nw0)
    under = Rectangle((0, 0), 0.5, 0.5, transform=diagram.fig.transFigure, facecolor="yellow", zorder=-1)
    diagram.fig.add_artist(under)
    parses.clear()
    with_rectangle = drawn(diagram)
    assert parses and not np.array_equal(with_rectangle, plain)
    assert np.array_equal(drawn(Diagram(config_nw0)), plain)  # the rectangle was not kept


def test_vector_output_draws_every_artist():
    def svg() -> str:
        out = io.StringIO()
        Diagram(config_nw0).fig.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()

    with mpl.rc_context({"svg.hashsalt": "fixed"}):
        first, again = svg(), svg()
    assert first == again and "CMMI10" in first.upper()  # the equations' italic letters are there


def pixel_count(diagram: Diagram) -> int:
    width, height = diagram.fig.canvas.get_width_height()
    return width * height


def test_kept_pixels_stay_within_the_limit_least_recently_used_first(parses, monkeypatch):
    nw0, other = config_nw0, config_nw0.with_values({"w": 2})
    monkeypatch.setattr(
        draw_layer, "CACHE_PIXELS", pixel_count(Diagram(nw0)) + pixel_count(Diagram(other)) - 1
    )
    for graph in (nw0, config_nw1, other):  # network 1 is larger than the limit: drawn, not kept
        drawn(Diagram(graph))
    parses.clear()
    drawn(Diagram(other))
    assert parses == []
    drawn(Diagram(nw0))  # forgotten to make room for the other values
    assert parses
