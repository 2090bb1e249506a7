"""Smaller pictures for the lesson's text: a close-up of one node, and the nudge picture."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import sympy

from ..engine.graph import ComputationGraph
from ..exercise.answers import format_number
from ..exercise.boxes import Box, boxes_for, latex_name
from ..exercise.boxes import frac as frac_latex
from .derivatives import derivative_lines, derivatives_extent, place_derivatives
from .measure import FONT, text_size
from .shapes import (
    ARROW_MIN,
    COLUMN_MAX_W,
    GAP,
    MARGIN,
    NODE_PAD_Y,
    STRIP_GAP,
    Arrow,
    Label,
    Layout,
    Rect,
    Segment,
    centered,
    label_at,
    node_label,
)
from .text import display, equation_text

__all__ = ["layout_nudge", "layout_node"]


def layout_node(graph: ComputationGraph, name: str, boxes: Sequence[Box] | None = None) -> Layout:
    """A close-up of one computed node: its equation, and under it its derivative column.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw1
    >>> close_up = layout_node(config_nw1, "a")
    >>> list(close_up.nodes), list(close_up.boxes)
    (['a'], ['local:a:c', 'gradient:c', 'local:a:b', 'gradient:b'])
    """
    by_id = {box.id: box for box in (boxes_for(graph) if boxes is None else boxes)}
    item = node_label(equation_text(graph, name), "computed", 0.0, 0.0)
    lines = derivative_lines(graph, name, by_id, COLUMN_MAX_W)
    lines_w, lines_h = derivatives_extent(lines)
    width = max(item.rect.w, lines_w) + 2 * MARGIN + 2 * GAP
    top = -MARGIN - item.rect.h / 2
    labels: dict[str, Label] = {}
    boxes_placed: dict[str, Rect] = {}
    rules: list[Segment] = []
    bottom = top - item.rect.h / 2
    if lines:
        bottom = place_derivatives(
            lines, width / 2, bottom - STRIP_GAP, width - 2 * MARGIN, labels, boxes_placed, rules
        )
    height = -bottom + MARGIN
    layout = Layout(
        (width, height), {name: centered(item, width / 2, top)}, boxes_placed, labels, (), tuple(rules)
    )
    return layout.moved(0.0, height)


def layout_nudge(graph: ComputationGraph, wrt: str) -> Layout:
    r"""The nudge picture (the lab's "another view"): nudge ``wrt`` by ε, follow the change to the output.

    ``w ↑ ε → [∂a/∂w = 3] → a ↑ 3ε → [∂J/∂a = 22] → J ↑ 66ε``: each factor box is a local
    derivative (``graph.local``), each label the running product. ``wrt`` must reach the
    output along a single path (a ValueError says so otherwise).

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> picture = layout_nudge(config_nw0, "w")
    >>> print(*(label.text for label in picture.labels.values()))
    $w \,\uparrow\, \varepsilon$ $a \,\uparrow\, 3\varepsilon$ $J \,\uparrow\, 66\varepsilon$
    """
    path, factor = [wrt], sympy.Integer(1)
    while path[-1] != graph.output:
        consumers = graph.consumers(path[-1])
        if len(consumers) != 1:
            raise ValueError(
                f"`{path[-1]}` feeds {len(consumers)} nodes; the nudge picture follows a single path"
            )
        path.append(consumers[0])

    def nudged(name: str, factor: sympy.Expr) -> str:
        times = "" if factor == 1 else "-" if factor == -1 else format_number(factor)
        return rf"${latex_name(name)} \,\uparrow\, {times}\varepsilon$"

    labels: dict[str, Label] = {}
    nodes: dict[str, Label] = {}
    arrows: list[Arrow] = []
    nudge_h = text_size(nudged(wrt, factor), FONT)[1]
    factor_h = max(text_size(display(r"$\frac{\partial a}{\partial b} = 0$"), FONT)[1] + 2 * NODE_PAD_Y, 0.5)
    height = 2 * MARGIN + factor_h + (nudge_h + GAP)
    cy = MARGIN + factor_h / 2
    x = MARGIN
    for previous, target in pairwise([*path, f"{graph.output}>"]):
        text = nudged(previous, factor)
        length = max(text_size(text, FONT)[0] + 2 * GAP, ARROW_MIN)
        labels[f"nudge:{previous}"] = label_at(
            text, FONT, "nudge", x + length / 2, cy + GAP + text_size(text, FONT)[1] / 2
        )
        arrows.append(Arrow(((x, cy), (x + length, cy)), previous, target))
        x += length
        if previous == graph.output:
            break
        local = graph.local(target, previous)
        box = node_label(
            rf"${display(frac_latex(target, previous))} = {format_number(local)}$", "factor", 0.0, 0.0
        )
        nodes[target] = centered(box, x + box.rect.w / 2, cy)
        x += box.rect.w
        factor *= local
    return Layout((x + MARGIN, height), nodes, {}, labels, tuple(arrows), ())
