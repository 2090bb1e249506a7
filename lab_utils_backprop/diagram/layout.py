r"""Where every node, arrow, box and label of a diagram sits: plain numbers, in inches.

The graph runs left to right on top: one column per layer (a computed node's layer is
the longest path to it from the leaves; a leaf sits one column before its first
consumer). An edge that skips layers passes through a reserved slot in every layer it
crosses, so it never runs through a node. Under each computed node, its derivative
column: for each input a green local box and the chain-rule line with a green
gradient box, as in the original lab's hand-drawn diagrams.

Wide graphs WRAP into bands of whole columns, stacked top to bottom, instead of being
scaled down: scaled to a notebook's 10 inches, the sigmoid neuron's 23 inches of
columns would shrink 14-point text to 6 points. An edge cut by the wrap ends in
"to g" and starts again at "from f", like a word carried to the next line.

Each band is two strips, top to bottom: its graph, then its derivative columns
(``Layout.strips`` cuts them apart for the widget's canvases).

Text sizes come from measure.py's estimates (no matplotlib here), on the large side; the
tests compare them with the text matplotlib draws. The origin is the bottom-left corner,
as in matplotlib's figure inches.

This module places the bands. The rest is in modules of one job each: shapes (Rect,
Label, Arrow, Layout and the spacing), grid (the column and row of each node), bands
(column widths, where to wrap), derivatives (the derivative columns), arrows (routing
the edges) and views (the close-ups and the nudge picture; ``layout_node`` and
``layout_nudge`` are importable from here too).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from ..engine.graph import ComputationGraph
from ..exercise.boxes import Box, boxes_for
from .arrows import route_arrows
from .bands import Column, Cut, choose_bands, column_centers
from .derivatives import column_spans, deal, place_derivatives, split_blocks
from .grid import (
    Step,
    Vertex,
    edge_chains,
    layer_ranks,
    node_vertices,
    order_columns,
    steps_of,
    with_slots,
)
from .measure import SMALL, text_size
from .shapes import (
    BAND_GAP,
    BOX_H,
    COLUMN_MAX_W,
    COLUMN_SEP,
    GAP,
    MARGIN,
    ROW_GAP,
    STRIP_GAP,
    Arrow,
    Label,
    Layout,
    Placed,
    Rect,
    box_width,
    centered,
    label_at,
)
from .views import layout_node, layout_nudge

__all__ = [
    "MAX_WIDTH",
    "Arrow",
    "Label",
    "Layout",
    "Rect",
    "layout_nudge",
    "layout_graph",
    "layout_node",
]

#: Widest figure in inches: 1100 pixels at dpi 100, about what a JupyterLab output area shows.
MAX_WIDTH = 11.0
RULE_ROOM = 0.03  # a band cut passes this far above the rule between bands: the rule stays whole below


def _rows(
    columns: list[Column], vertices: dict[str, Vertex], connectors: dict[str, str], top: float
) -> list[float]:
    """The height of each row's centre line: room above for forward boxes, below for notes."""
    rows = max(len(column.keys) for column in columns)
    above, below = [0.05] * rows, [0.05] * rows
    for column in columns:
        for key in column.keys:
            v = vertices[key]
            half = max(v.item.rect.h / 2 if v.item else 0.0, text_size(connectors.get(key, ""), SMALL)[1] / 2)
            above[v.row] = max(above[v.row], half, GAP / 2 + BOX_H if v.forward else 0.0)
            below[v.row] = max(below[v.row], half + (GAP / 2 + v.note.rect.h if v.note else 0.0))
    centers, y = [], top
    for j in range(rows):
        y -= above[j]
        centers.append(y)
        y -= below[j] + ROW_GAP
    return [*centers, y + ROW_GAP]


def _place_band(band: int, columns: list[Column], vertices, cut: Cut, top, right: float, placed) -> float:
    """Place one band: its graph rows, then its derivative columns; return its bottom.

    A column's derivative blocks (one per input) spread into sub-columns side by side
    when the band has room up to ``right``, rather than piling up.
    """
    left = MARGIN + cut.entry_width
    xs, exit_x, _ = column_centers(columns, cut.exit_width, left)
    connectors = {**cut.entries, **cut.exits}
    *ys, graph_bottom = _rows(columns, vertices, connectors, top)
    for k, column in enumerate(columns):
        next_left = xs[k + 1] - columns[k + 1].half if k + 1 < len(columns) else exit_x
        for key in column.keys:
            v, cx, cy = vertices[key], xs[k], ys[vertices[key].row]
            placed.centers[key], placed.band[key], placed.half[key] = (cx, cy), band, column.half
            if v.item is not None:
                item = centered(v.item, cx, cy)
                if v.item.role == "terminal":
                    placed.labels["terminal"] = item
                else:
                    placed.nodes[key] = item
            if v.note is not None:
                placed.labels[f"note:{key}"] = centered(
                    v.note, cx, cy - v.item.rect.h / 2 - GAP / 2 - v.note.rect.h / 2
                )
            if v.forward is not None:
                w = box_width(v.forward)
                middle = (cx + v.item.rect.w / 2 + next_left) / 2
                placed.boxes[v.forward.id] = Rect(middle - w / 2, cy + GAP / 2, w, BOX_H)
        turn = max(
            (placed.boxes[vertices[k].forward.id].x1 for k in column.keys if vertices[k].forward), default=0.0
        )
        for key in column.keys:
            placed.turn[key] = max(turn, xs[k] + column.half) + GAP / 2
    placed.exit_x[band] = exit_x
    for key, text in cut.exits.items():
        y = placed.centers[key][1]
        placed.labels[f"to:{key}"] = label_at(text, SMALL, "connector", exit_x + GAP / 2, y, "left")
    for key, text in cut.entries.items():
        label = label_at(text, SMALL, "connector", MARGIN, ys[vertices[key].row], "left")
        placed.labels[f"from:{key}"] = label
        placed.entry_x[key] = label.rect.x1 + GAP / 2

    strip_top, bottom = graph_bottom - STRIP_GAP, graph_bottom
    with_lines = [k for k, column in enumerate(columns) if column.lines]
    if with_lines:  # the graph rows and the derivative columns can be shown apart
        placed.cuts.append(graph_bottom - STRIP_GAP / 2)
    spans = column_spans(
        [(xs[k] - columns[k].derivatives_half, xs[k] + columns[k].derivatives_half) for k in with_lines],
        right,
    )
    edges: list[tuple[float, float]] = []
    for k, (low, high) in zip(with_lines, spans, strict=True):
        width = 2 * columns[k].derivatives_half
        blocks = split_blocks(columns[k].lines)
        count = max(1, min(len(blocks), int((high - low + COLUMN_SEP) // (width + COLUMN_SEP))))
        total = count * width + (count - 1) * COLUMN_SEP
        start = min(max(xs[k] - total / 2, low), high - total)
        for i, lines in enumerate(deal(blocks, count)):
            x = start + i * (width + COLUMN_SEP)
            end = place_derivatives(
                lines, x + width / 2, strip_top, width + 2 * GAP, placed.labels, placed.boxes, placed.rules
            )
            bottom = min(bottom, end)
            edges.append((x, x + width))
    for (_, a), (b, _) in pairwise(edges):
        placed.rules.append((((a + b) / 2, strip_top + GAP), ((a + b) / 2, bottom)))
    return bottom


def layout_graph(
    graph: ComputationGraph, boxes: Sequence[Box] | None = None, max_width: float = MAX_WIDTH
) -> Layout:
    r"""Place a graph's nodes, arrows, boxes and derivative columns, wrapping at ``max_width``.

    Parameters
    ----------
    graph : ComputationGraph
    boxes : list of Box, optional
        The boxes to place (default: ``boxes_for(graph)``, every box of the lab's rule).
    max_width : float
        The widest the figure may be, in inches; wider graphs wrap into bands.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw1
    >>> layout = layout_graph(config_nw1)
    >>> layout.size[0] <= MAX_WIDTH, len(layout.boxes), layout.nodes["a"].text
    (True, 13, '$a = c + b$')
    >>> print(layout.labels["prompt:gradient:b"].text)
    $\dfrac{\partial J}{\partial b} = \dfrac{\partial a}{\partial b} \times \dfrac{\partial J}{\partial a} =$
    """
    boxes = boxes_for(graph) if boxes is None else list(boxes)
    by_id = {box.id: box for box in boxes}
    ranks = layer_ranks(graph)
    terminal = f"{graph.output}>"
    ranks[terminal] = ranks[graph.output] + 1
    nodes = node_vertices(graph, by_id, ranks, terminal, min(COLUMN_MAX_W, max_width - 2 * MARGIN - 2 * GAP))

    # First every long edge gets a slot in each column it crosses, to choose the bands;
    # then the edges cut by the wrap lose their slots in the bands they only cross.
    chains = edge_chains(graph, ranks, terminal)
    vertices = with_slots(nodes, chains)
    columns = [Column.of(keys, vertices) for keys in order_columns(graph, vertices, chains)]
    steps: list[list[Step]] = [[] for _ in columns]
    for step in steps_of(chains):
        steps[vertices[step.a].rank].append(step)
    bands = choose_bands(columns, [Cut.of(s, s) for s in steps], max_width)

    chains = edge_chains(graph, ranks, terminal, bands)
    vertices = with_slots(nodes, chains)
    columns = [Column.of(keys, vertices) for keys in order_columns(graph, vertices, chains)]
    band_of = {k: b for b, (first, last) in enumerate(bands) for k in range(first, last + 1)}
    crossing = [
        step for step in steps_of(chains) if band_of[vertices[step.a].rank] != band_of[vertices[step.b].rank]
    ]

    placed = Placed()
    top = -MARGIN
    for band, (start, end) in enumerate(bands):
        if band:
            rule_y = top - BAND_GAP / 2
            placed.rules.append(((MARGIN, rule_y), (max_width - MARGIN, rule_y)))
            placed.cuts.append(rule_y + RULE_ROOM)
            top -= BAND_GAP
        cut = Cut.of(
            [step for step in crossing if band_of[vertices[step.b].rank] == band],
            [step for step in crossing if band_of[vertices[step.a].rank] == band],
        )
        top = _place_band(band, columns[start : end + 1], vertices, cut, top, max_width, placed)
    width, height = placed.right() + MARGIN, -top + MARGIN
    rules = tuple(((x0, y0), (min(x1, width - MARGIN), y1)) for (x0, y0), (x1, y1) in placed.rules)
    ordered = {box.id: placed.boxes[box.id] for box in boxes}
    layout = Layout(
        (width, height),
        placed.nodes,
        ordered,
        placed.labels,
        tuple(route_arrows(chains, vertices, placed)),
        rules,
        tuple(placed.cuts),
    )
    return layout.moved(0.0, height)
