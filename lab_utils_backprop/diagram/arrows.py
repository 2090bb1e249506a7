"""The arrows of a diagram: each edge as polylines from its source to its target.

An edge runs out of its source's right side, through the slots reserved for it in the
columns it crosses (so it never runs through a node), into its target's left side. A
segment that would cut through a forward box runs level until it is past the boxes of its
gap, then turns; an edge cut by a band's wrap ends at the band's right edge and starts
again beside its "from" label in the band below.
"""

from __future__ import annotations

from itertools import pairwise

from .grid import Vertex
from .shapes import Arrow, Placed, Rect

__all__ = ["route_arrows"]


def _crosses(p: tuple[float, float], q: tuple[float, float], rect: Rect) -> bool:
    """True when the segment from p to q passes through the rectangle (sampled finely enough for a box)."""
    (left, right), (bottom, top) = sorted((p[0], q[0])), sorted((p[1], q[1]))
    if right <= rect.x or left >= rect.x1 or top <= rect.y or bottom >= rect.y1:
        return False  # every sample lies in the segment's bounding box, and that misses the rectangle
    steps = 24
    for i in range(steps + 1):
        x, y = p[0] + (q[0] - p[0]) * i / steps, p[1] + (q[1] - p[1]) * i / steps
        if rect.x < x < rect.x1 and rect.y < y < rect.y1:
            return True
    return False


def route_arrows(chains, vertices: dict[str, Vertex], placed: Placed) -> list[Arrow]:
    """Each edge as polylines: out of its source, through its slots, into its target.

    A segment that would cut through a forward box runs level until it is past the
    boxes of its gap, then turns. An edge from the same row enters its target in the
    middle of the left side; edges from rows below or above enter lower or higher.

    Examples
    --------
    ``layout_graph`` calls it once the bands are placed:

    >>> from lab_utils_backprop import ComputationGraph
    >>> from lab_utils_backprop.diagram.layout import layout_graph
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})
    >>> [(arrow.source, arrow.target, len(arrow.points)) for arrow in layout_graph(g).arrows]
    [('w', 'a', 2), ('a', 'J', 2), ('w', 'J', 4), ('J', 'J>', 2)]
    """
    entering: dict[str, list[tuple[int, str]]] = {}
    for chain in chains:
        entering.setdefault(chain[-1], []).append((vertices[chain[-2]].row, chain[0]))
    boxes = list(placed.boxes.values())
    arrows = []
    for chain in chains:
        source, target = chain[0], chain[-1]
        sx, sy = placed.centers[source]
        points = [(sx + vertices[source].item.rect.w / 2, sy)]
        for a, b in pairwise(chain):
            bx, by = placed.centers[b]
            if placed.band[a] != placed.band[b]:
                points.append((placed.exit_x[placed.band[a]], points[-1][1]))
                arrows.append(Arrow(tuple(points), source, target))
                points = [(placed.entry_x[b], by)]
            if b == target:
                item, row = vertices[target].item, vertices[target].row
                from_row = vertices[a].row if placed.band[a] == placed.band[b] else row
                if from_row != row:
                    side = [s for r, s in entering[target] if r != row and (r > row) == (from_row > row)]
                    spot = (side.index(source) + 1) / (len(side) + 1)
                    by += (-1 if from_row > row else 1) * item.rect.h * (0.1 + 0.3 * spot)
                end = (bx - item.rect.w / 2, by)
            else:
                end = (bx - placed.half[b], by)
            if any(_crosses(points[-1], end, box) for box in boxes):
                points.append((placed.turn[a], points[-1][1]))
            points.append(end)
            if b != target:
                points.append((bx + placed.half[b], by))
        arrows.append(Arrow(tuple(points), source, target))
    return arrows
