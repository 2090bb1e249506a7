"""Lines of mathtext drawn as pieces: each distinct piece parsed once, the line looking the same."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from lab_utils_backprop.draw import Diagram
from lab_utils_backprop.draw_math import MathText, pieces
from lab_utils_backprop.examples import config_nw1

JW, CW, JC = (rf"\dfrac{{\partial {top}}}{{\partial {bottom}}}" for top, bottom in ("Jw", "cw", "Jc"))
CHAIN = rf"${JW} = {CW} \times {JC} =$"  # w's chain-rule line in network 1


def test_a_chain_rule_line_is_cut_at_its_operators_and_nothing_else_is():
    assert pieces(CHAIN) == [f"${JW}$", "$=$", f"${CW}$", r"$\times$", f"${JC}$", "$=$"]
    assert pieces(r"$J = \dfrac{d^{2}}{2} - y$") == ["$J$", "$=$", r"$\dfrac{d^{2}}{2} - y$"]
    assert pieces(r"$\left(a + \dfrac{1}{2}\right) = - \dfrac{b}{2}$") == [
        r"$\left(a + \dfrac{1}{2}\right)$",
        "$=$",
        r"$- \dfrac{b}{2}$",  # a sign, not an operator between two terms
    ]
    for whole in ["$a = c + b$", "plain = text", "$a = \\dfrac{1}{2}$\n$+ b$", r"$x$ and $\dfrac{1}{2} = y$"]:
        assert pieces(whole) == [whole]


def test_drawing_network_1_parses_each_fraction_once(parses, nothing_kept):
    parsed = parses
    Diagram(config_nw1).fig.canvas.draw()
    assert max(s.count(r"\dfrac") for s in parsed) == 1
    assert f"${JC}$" in parsed  # c's prompt and w's chain rule share it


def drawn(cls, text: str, ha: str, va: str):
    """The pixels of one text at (2.5, 0.5) in a 5 x 1 inch figure, and its window extent."""
    fig = Figure(figsize=(5, 1), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 5)
    ax.set_ylim(0, 1)
    artist = ax.add_artist(cls(2.5, 0.5, text, fontsize=13, ha=ha, va=va, math_fontfamily="cm"))
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., 0].copy(), artist.get_window_extent()


def ink(pixels: np.ndarray) -> tuple[int, int, int, int]:
    rows, columns = np.nonzero(pixels < 250)
    return columns.min(), columns.max(), pixels.shape[0] - rows.max(), pixels.shape[0] - rows.min()


@pytest.mark.parametrize("ha", ["left", "center", "right"])
@pytest.mark.parametrize("va", ["center", "baseline", "bottom", "top"])
def test_a_line_in_pieces_sits_where_text_puts_it_within_a_pixel_per_piece(ha, va):
    whole, whole_extent = drawn(Text, CHAIN, ha, va)
    cut, cut_extent = drawn(MathText, CHAIN, ha, va)
    (x0, x1, y0, y1), (u0, u1, v0, v1) = ink(whole), ink(cut)
    slack = len(pieces(CHAIN))  # each piece's width is rounded up to a whole pixel
    assert (v0, v1) == (y0, y1)
    assert abs(u0 - x0) <= slack and abs(u1 - x1) <= slack and abs((u1 - u0) - (x1 - x0)) <= slack
    assert cut_extent.height == pytest.approx(whole_extent.height, abs=1)
    assert cut_extent.x0 - 1 <= u0 and u1 <= cut_extent.x1 + 1  # the extent holds the ink
    assert cut_extent.y0 - 1 <= v0 and v1 <= cut_extent.y1 + 1


@pytest.mark.parametrize("text", ["$x = 2$", "$a = c + b$", "$a$\n$b$"])
def test_a_text_of_one_piece_is_drawn_by_text_itself(text):
    whole, whole_extent = drawn(Text, text, "right", "center")
    same, same_extent = drawn(MathText, text, "right", "center")
    assert np.array_equal(whole, same) and same_extent.bounds == whole_extent.bounds
