"""draw_warm: matplotlib's mathtext readied in a running event loop's next idle moment, and only there."""

from __future__ import annotations

import asyncio

from lab_utils_backprop import draw_warm


def test_outside_an_event_loop_nothing_is_scheduled(monkeypatch):
    monkeypatch.setattr(draw_warm, "ready", False)
    assert draw_warm.when_idle() is False
    assert draw_warm.ready is False


def test_in_a_running_loop_mathtext_is_readied_after_the_cell_not_inside_it(monkeypatch):
    monkeypatch.setattr(draw_warm, "ready", False)

    async def cell_then_idle():
        assert draw_warm.when_idle() is True
        during = draw_warm.ready  # the cell itself pays nothing
        await asyncio.sleep(0)  # the loop's next turn: the kernel idle between cells
        return during, draw_warm.ready

    assert asyncio.run(cell_then_idle()) == (False, True)


def test_a_failing_head_start_stays_quiet_and_is_left_to_the_draw(monkeypatch):
    """Whatever fails here fails again where a diagram is drawn, and is shown there."""
    monkeypatch.setattr(draw_warm, "ready", False)

    def broken():
        raise OSError("no fonts")

    monkeypatch.setattr(draw_warm, "ready_mathtext", broken)
    reported = []

    async def cell_then_idle():
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: reported.append(context))
        draw_warm.when_idle()
        await asyncio.sleep(0)

    asyncio.run(cell_then_idle())
    assert reported == [] and draw_warm.ready is False


def test_ready_mathtext_parses_with_the_diagrams_own_font_and_size():
    """It runs a real parse with the diagrams' maths font, size and dpi; mathtext works after it."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    from lab_utils_backprop.draw import DPI, MATH_FONT
    from lab_utils_backprop.layout_text import FONT

    draw_warm.ready_mathtext()
    assert draw_warm.ready is True
    parsed = MathTextParser("agg").parse(
        r"$\dfrac{\partial J}{\partial a}$", DPI, FontProperties(size=FONT, math_fontfamily=MATH_FONT)
    )
    assert parsed.width > 0 and parsed.height > parsed.depth >= 0
