"""How wide each column of a graph is, and where a graph too wide for the notebook wraps.

A band is a run of whole columns; an edge cut by the wrap ends in "to g" and starts
again at "from f" (a ``Cut``'s connectors). ``choose_bands`` takes as few bands as fit,
then evens out their widths.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..exercise.boxes import latex_name
from .derivatives import Line, derivatives_extent
from .grid import Step, Vertex
from .measure import SMALL, text_size
from .shapes import ARROW_HEAD, ARROW_MIN, COLUMN_SEP, GAP, MARGIN, box_width

__all__ = ["Column", "Cut", "choose_bands", "column_centers"]


@dataclass
class Column:
    """One layer: its vertices top to bottom and, stacked, the derivative columns of its nodes.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> from lab_utils_backprop.diagram import grid
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})
    >>> ranks = {**grid.layer_ranks(g), "J>": 3}
    >>> chains = grid.edge_chains(g, ranks, "J>")
    >>> nodes = grid.node_vertices(g, {box.id: box for box in boxes_for(g)}, ranks, "J>", limit=5.0)
    >>> vertices = grid.with_slots(nodes, chains)
    >>> columns = [Column.of(keys, vertices) for keys in grid.order_columns(g, vertices, chains)]
    >>> [(column.keys, bool(column.lines)) for column in columns]  # a and J have derivative columns
    [(['w'], False), (['a', 'w>@1'], True), (['J'], True), (['J>'], False)]
    """

    keys: list[str]
    half: float  # half the widest item
    box_w: float  # the widest forward box leaving it
    lines: list[Line]
    derivatives_half: float

    @classmethod
    def of(cls, keys: list[str], vertices: dict[str, Vertex]) -> Column:
        lines: list[Line] = []
        for key in keys:
            if vertices[key].derivatives:
                lines += [Line(""), *vertices[key].derivatives] if lines else vertices[key].derivatives
        boxes = [box_width(vertices[k].forward) for k in keys if vertices[k].forward]
        return cls(
            keys,
            max(vertices[k].half for k in keys),
            max(boxes, default=0.0),
            lines,
            derivatives_extent(lines)[0] / 2,
        )

    @property
    def room(self) -> float:
        """Room an edge leaving this column needs before the next item: its box and an arrow head."""
        return self.box_w + 2 * GAP + ARROW_HEAD if self.box_w else ARROW_MIN


@dataclass
class Cut:
    """The connectors of a band: "from u" before the edges coming in, "to v" after those going out.

    Examples
    --------
    >>> from lab_utils_backprop.diagram.grid import Step
    >>> Cut.of([Step("a", "J", "a", "J"), Step("w>@1", "J", "w", "J")], [])  # a band starting at J
    Cut(entries={'J': 'from $a$, $w$'}, exits={})
    """

    entries: dict[str, str]  # vertex in the band's first column -> text
    exits: dict[str, str]  # vertex in the band's last column -> text

    @classmethod
    def of(cls, entering: list[Step], leaving: list[Step]) -> Cut:
        """From the steps of the edges that enter and leave the band."""
        sources: dict[str, list[str]] = {}
        targets: dict[str, list[str]] = {}
        for step in entering:
            sources.setdefault(step.b, []).append(step.source)
        for step in leaving:
            targets.setdefault(step.a, []).append(step.target)
        return cls(
            {b: _connector_text("from", u) for b, u in sources.items()},
            {a: _connector_text("to", v) for a, v in targets.items()},
        )

    @property
    def entry_width(self) -> float:
        widths = [text_size(t, SMALL)[0] for t in self.entries.values()]
        return max(widths) + GAP / 2 + ARROW_MIN if widths else 0.0

    @property
    def exit_width(self) -> float:
        return max((text_size(t, SMALL)[0] + GAP / 2 for t in self.exits.values()), default=0.0)


def _connector_text(word: str, names: list[str]) -> str:
    """``to $g$, $h$``: three names a line."""
    names = [f"${latex_name(n)}$" for n in dict.fromkeys(names)]
    lines = [", ".join(names[i : i + 3]) for i in range(0, len(names), 3)]
    return f"{word} " + ",\n".join(lines)


def column_centers(columns: list[Column], exit_width: float, left: float) -> tuple[list[float], float, float]:
    """Column centres from ``left``, as close as items, boxes and derivative columns allow.

    A leaf may sit above a neighbour's derivative column (as ``w`` does in the original),
    but no two derivative columns share an inch. Also returns where a wrapped band's
    edges end (``exit_x``) and the band's right edge.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> from lab_utils_backprop.diagram import grid
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})
    >>> ranks = {**grid.layer_ranks(g), "J>": 3}
    >>> chains = grid.edge_chains(g, ranks, "J>")
    >>> nodes = grid.node_vertices(g, {box.id: box for box in boxes_for(g)}, ranks, "J>", limit=5.0)
    >>> vertices = grid.with_slots(nodes, chains)
    >>> columns = [Column.of(keys, vertices) for keys in grid.order_columns(g, vertices, chains)]
    >>> centers, exit_x, right = column_centers(columns, exit_width=0.0, left=0.2)
    >>> [round(x, 2) for x in centers], round(right, 2)
    ([0.62, 2.06, 4.93, 6.55], 6.64)
    """
    centers: list[float] = []
    for k, column in enumerate(columns):
        center = left + max(column.half, column.derivatives_half + GAP if column.lines else 0.0)
        if k:
            before = columns[k - 1]
            center = max(center, centers[k - 1] + before.half + before.room + column.half)
        if column.lines:
            for j in range(k):
                if columns[j].lines:
                    center = max(
                        center,
                        centers[j] + columns[j].derivatives_half + COLUMN_SEP + column.derivatives_half,
                    )
        centers.append(center)
    right = max(
        c + max(col.half, col.derivatives_half + GAP if col.lines else 0.0)
        for c, col in zip(centers, columns, strict=True)
    )
    exit_x = centers[-1] + columns[-1].half + columns[-1].room
    if exit_width:
        right = max(right, exit_x + exit_width)
    return centers, exit_x, right


def choose_bands(columns: list[Column], cuts: list[Cut], limit: float) -> list[tuple[int, int]]:
    """Split the columns into as few bands as fit ``limit``, then even out their widths.

    ``cuts[k]`` holds the connectors a cut after column ``k`` would need.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> from lab_utils_backprop.diagram import grid
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})
    >>> ranks = {**grid.layer_ranks(g), "J>": 3}
    >>> chains = grid.edge_chains(g, ranks, "J>")
    >>> nodes = grid.node_vertices(g, {box.id: box for box in boxes_for(g)}, ranks, "J>", limit=5.0)
    >>> vertices = grid.with_slots(nodes, chains)
    >>> columns = [Column.of(keys, vertices) for keys in grid.order_columns(g, vertices, chains)]
    >>> no_cuts = [Cut({}, {}) for _ in columns]
    >>> choose_bands(columns, no_cuts, limit=11.0), choose_bands(columns, no_cuts, limit=4.0)
    ([(0, 3)], [(0, 0), (1, 1), (2, 3)])
    """
    last = len(columns) - 1

    def width(start: int, end: int) -> float:
        left = MARGIN + (cuts[start - 1].entry_width if start else 0.0)
        return (
            column_centers(columns[start : end + 1], cuts[end].exit_width if end < last else 0.0, left)[2]
            + MARGIN
        )

    def greedy(room: float) -> list[tuple[int, int]]:
        bands, start = [], 0
        while start <= last:
            end = start
            while end < last:
                step = 2 if end + 2 == last else 1  # the output and its terminal stay together
                if width(start, end + step) > room:
                    break
                end += step
            end = last if end == last - 1 else end
            bands.append((start, end))
            start = end + 1
        return bands

    room, best = limit, greedy(limit)
    while room > 1.0 and len(tighter := greedy(room - 0.1)) == len(best):
        room, best = room - 0.1, tighter
    return best
