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

Text sizes come from layout_text's estimates (no matplotlib here), on the large side;
the tests compare them with the text matplotlib draws. The origin is the bottom-left
corner, as in matplotlib's figure inches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

import sympy

from .answers import format_number
from .exercise import Box, boxes_for, latex_name
from .exercise import frac as frac_latex
from .graph import ComputationGraph
from .layout_text import (
    FONT,
    SMALL,
    VALUE_FONT,
    display,
    equation_text,
    hint_texts,
    leaf_text,
    note_text,
    prompt_lines,
    short_number,
    text_size,
)

__all__ = [
    "MAX_WIDTH",
    "Arrow",
    "Label",
    "Layout",
    "Rect",
    "layout_bump",
    "layout_graph",
    "layout_node",
]

#: Widest figure in inches: 1100 pixels at dpi 100, about what a JupyterLab output area shows.
MAX_WIDTH = 11.0

MARGIN = 0.15  # around the whole figure
GAP = 0.12  # between neighbours
ROW_GAP = 0.22  # between rows of the graph
SECTION_GAP = 0.3  # between the graph and the derivative columns
SECTION_SEP = 0.2  # between two derivative columns side by side (a rule runs in the middle)
BAND_GAP = 0.35  # between wrapped bands
BOX_H = 0.4  # an answer box
BOX_MIN_W = 0.65
BOX_MAX_W = 1.5  # a longer text is shown smaller, and clipped to its box
NODE_PAD_X, NODE_PAD_Y = 0.14, 0.07  # between a node's equation and its rounded outline
ARROW_MIN = 0.35  # the shortest arrow drawn (to the output's name, from or to a connector)
ARROW_HEAD = 0.16  # room for an arrow head after a forward box
SECTION_MAX_W = 5.0  # a chain-rule line wider than this goes on several lines: two columns fit a band


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in inches; ``(x, y)`` is its bottom-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def x1(self) -> float:
        return self.x + self.w

    @property
    def y1(self) -> float:
        return self.y + self.h

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def overlaps(self, other: Rect) -> bool:
        """True when the two share some area (touching edges do not count)."""
        return self.x < other.x1 and other.x < self.x1 and self.y < other.y1 and other.y < self.y1

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)


@dataclass(frozen=True)
class Label:
    """Text (mathtext between dollars) with its estimated extent, point size and role.

    ``role`` says how to draw it: "computed" (an equation in a rounded box), "param",
    "data" (leaves), "prompt", "hint", "note", "terminal", "connector", "factor"
    (a local derivative in a rounded box) or "bump". ``ha`` is the horizontal alignment
    of the text at its anchor.
    """

    text: str
    rect: Rect
    size: float
    role: str
    ha: str = "center"

    @property
    def anchor(self) -> tuple[float, float]:
        """The point to draw the text at, with ``ha`` and vertical alignment "center"."""
        x = {"left": self.rect.x, "center": self.rect.center[0], "right": self.rect.x1}[self.ha]
        return (x, self.rect.center[1])

    def moved(self, dx: float, dy: float) -> Label:
        return replace(self, rect=self.rect.moved(dx, dy))


@dataclass(frozen=True)
class Arrow:
    """An edge drawn as a polyline from ``source`` towards ``target`` (arrow head at the end)."""

    points: tuple[tuple[float, float], ...]
    source: str
    target: str

    def moved(self, dx: float, dy: float) -> Arrow:
        return replace(self, points=tuple((x + dx, y + dy) for x, y in self.points))


Segment = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Layout:
    """Everything a diagram draws, in inches, origin bottom-left.

    ``nodes`` maps a node name to its Label (computed nodes in a rounded box, leaves as
    coloured text); ``boxes`` maps a Box.id to its Rect; ``labels`` holds prompts
    ("prompt:<box id>", earlier lines of a long one "prompt:<box id>#1", ...), the
    output's bump hint ("hint:1", "hint:2"), the gradient notes shown once a gradient
    box is right ("note:<name>"), the output's name at the end of the last arrow
    ("terminal") and the connectors of wrapped edges; ``rules`` are separator lines.
    """

    size: tuple[float, float]
    nodes: dict[str, Label]
    boxes: dict[str, Rect]
    labels: dict[str, Label]
    arrows: tuple[Arrow, ...]
    rules: tuple[Segment, ...]

    def rects(self) -> dict[str, Rect]:
        """Every node, box and label by a unique key ("node:a", "box:forward:a", "label:note:a")."""
        return {
            **{f"node:{k}": v.rect for k, v in self.nodes.items()},
            **{f"box:{k}": v for k, v in self.boxes.items()},
            **{f"label:{k}": v.rect for k, v in self.labels.items()},
        }

    def moved(self, dx: float, dy: float) -> Layout:
        return replace(
            self,
            nodes={k: v.moved(dx, dy) for k, v in self.nodes.items()},
            boxes={k: v.moved(dx, dy) for k, v in self.boxes.items()},
            labels={k: v.moved(dx, dy) for k, v in self.labels.items()},
            arrows=tuple(a.moved(dx, dy) for a in self.arrows),
            rules=tuple(((x0 + dx, y0 + dy), (x1 + dx, y1 + dy)) for (x0, y0), (x1, y1) in self.rules),
        )


def _label(text: str, size: float, role: str, x: float, y: float, ha: str = "center") -> Label:
    """A Label whose anchor is ``(x, y)``, sized by ``text_size``."""
    w, h = text_size(text, size)
    left = {"left": x, "center": x - w / 2, "right": x - w}[ha]
    return Label(text, Rect(left, y - h / 2, w, h), size, role, ha)


def _node_label(text: str, role: str, cx: float, cy: float) -> Label:
    """A rounded node box (equation inside) centred at ``(cx, cy)``; leaves get no padding."""
    w, h = text_size(text, FONT)
    if role in ("computed", "factor"):
        w, h = w + 2 * NODE_PAD_X, h + 2 * NODE_PAD_Y
    return Label(text, Rect(cx - w / 2, cy - h / 2, w, h), FONT, role)


def _box_width(box: Box) -> float:
    """Room for the answer and a mark (``4.5 ✓``), between BOX_MIN_W and BOX_MAX_W."""
    return min(BOX_MAX_W, max(BOX_MIN_W, text_size(f"{short_number(box.answer)} ✓", VALUE_FONT)[0] + 0.2))


# -- derivative columns -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """One line of a derivative column: prompt texts, an optional box, or a rule."""

    key: str  # label key of the last text ("prompt:<box id>", "hint:1"); "" for a rule
    texts: tuple[str, ...] = ()
    size: float = FONT
    box: str | None = None
    box_w: float = 0.0

    def extent(self) -> tuple[float, float]:
        if not self.texts:
            return 0.0, GAP
        sizes = [text_size(t, self.size) for t in self.texts]
        w = max(s[0] for s in sizes[:-1]) if len(sizes) > 1 else 0.0
        last = sizes[-1][0] + (GAP + self.box_w if self.box else 0.0)
        heights = [s[1] for s in sizes[:-1]] + [max(sizes[-1][1], BOX_H if self.box else 0.0)]
        return max(w, last), sum(heights) + GAP / 2 * (len(heights) - 1)


def _section(graph: ComputationGraph, name: str, boxes: dict[str, Box], limit: float) -> list[_Line]:
    """The derivative column under a computed node: per input, its local and gradient lines."""
    lines: list[_Line] = []
    if name == graph.output:
        lines += [_Line(f"hint:{i}", (text,), FONT - 1) for i, text in enumerate(hint_texts(graph), 1)]
    groups = 0
    for wrt in graph.node(name).inputs:
        group = []
        local = boxes.get(f"local:{name}:{wrt}")
        gradient = boxes.get(f"gradient:{wrt}")
        for box in (local, gradient if gradient is not None and gradient.node == name else None):
            if box is not None:
                room = limit - _box_width(box) - GAP
                texts = tuple(prompt_lines(graph, box, room))
                group.append(_Line(f"prompt:{box.id}", texts, FONT, box.id, _box_width(box)))
        if group and groups:
            lines.append(_Line(""))
        groups += bool(group)
        lines += group
    return lines


def _place_section(
    lines: list[_Line], cx: float, top: float, width: float, labels: dict, boxes: dict, rules: list
) -> float:
    """Put a column's lines centred on ``cx`` from ``top`` down; return the bottom."""
    y = top
    for line in lines:
        w, h = line.extent()
        if not line.texts:
            rules.append(((cx - width / 2 + GAP, y - h / 2), (cx + width / 2 - GAP, y - h / 2)))
            y -= h
            continue
        left = cx - w / 2
        sizes = [text_size(t, line.size) for t in line.texts]
        for number, (text, (tw, th)) in enumerate(zip(line.texts[:-1], sizes[:-1], strict=True)):
            labels[f"{line.key}#{number + 1}"] = _label(
                text, line.size, "prompt", left + tw, y - th / 2, "right"
            )
            y -= th + GAP / 2
        tw, th = sizes[-1]
        row_h = max(th, BOX_H if line.box else 0.0)
        cy = y - row_h / 2
        if line.box:
            right = cx + w / 2
            boxes[line.box] = Rect(right - line.box_w, cy - BOX_H / 2, line.box_w, BOX_H)
            labels[line.key] = _label(
                line.texts[-1], line.size, "prompt", right - line.box_w - GAP, cy, "right"
            )
        else:
            labels[line.key] = _label(line.texts[-1], line.size, "hint", cx, cy)
        y -= row_h + GAP
    return y + GAP


def _section_extent(lines: list[_Line]) -> tuple[float, float]:
    extents = [line.extent() for line in lines]
    height = sum(h for _, h in extents) + GAP * sum(1 for line in lines if line.texts)
    return max((w for w, _ in extents), default=0.0), height - GAP if lines else 0.0


# -- the graph: layers, slots for long edges, order within a layer ----------------------------


@dataclass
class _Vertex:
    """A thing placed in a column: a node, the output's terminal, or a slot of a long edge."""

    key: str
    rank: int
    item: Label | None = None  # drawn text; None for a slot
    note: Label | None = None  # shown once the node's gradient box is right
    forward: Box | None = None  # the forward box on the edge leaving it
    section: list[_Line] = field(default_factory=list)
    row: int = 0

    @property
    def half(self) -> float:
        return max(self.item.rect.w if self.item else 0.0, self.note.rect.w if self.note else 0.0) / 2


@dataclass
class _Column:
    """One layer: its vertices top to bottom and, stacked, the derivative columns of its nodes."""

    keys: list[str]
    half: float  # half the widest item
    box_w: float  # the widest forward box leaving it
    lines: list[_Line]
    section_half: float

    @classmethod
    def of(cls, keys: list[str], vertices: dict[str, _Vertex]) -> _Column:
        lines: list[_Line] = []
        for key in keys:
            if vertices[key].section:
                lines += [_Line(""), *vertices[key].section] if lines else vertices[key].section
        boxes = [_box_width(vertices[k].forward) for k in keys if vertices[k].forward]
        return cls(
            keys,
            max(vertices[k].half for k in keys),
            max(boxes, default=0.0),
            lines,
            _section_extent(lines)[0] / 2,
        )

    @property
    def room(self) -> float:
        """Room an edge leaving this column needs before the next item: its box and an arrow head."""
        return self.box_w + 2 * GAP + ARROW_HEAD if self.box_w else ARROW_MIN


def _ranks(graph: ComputationGraph) -> dict[str, int]:
    """Longest path from the leaves for computed nodes; a leaf one column before its first consumer."""
    ranks: dict[str, int] = {}
    for node in graph.computed:
        ranks[node.name] = 1 + max((ranks.get(i, 0) for i in node.inputs), default=0)
    for name in graph.leaves:
        ranks[name] = min(ranks[c] for c in graph.consumers(name)) - 1
    return ranks


def _chains(
    graph: ComputationGraph, ranks: dict[str, int], terminal: str, bands=None
) -> list[tuple[str, ...]]:
    """Every edge as the vertices it passes through, one per column.

    The long edges out of one node share their slots (named ``u>@k``): they run as one
    line until they part, so a value used far away many times takes one row, not many.

    With ``bands`` (first and last column of each band), an edge cut by the wrap has
    slots only in its source's band and its target's band: it leaves one band with
    "to v" and comes back with "from u" where ``v`` is, not in every band between.
    """
    band_of = {
        k: b
        for b, (first, last) in enumerate(bands or [(0, ranks[terminal])])
        for k in range(first, last + 1)
    }
    chains = []
    for node in graph.computed:
        for name in node.inputs:
            start, end = ranks[name], ranks[node.name]
            here, there = band_of[start], band_of[end]
            if here != there:
                between = [*range(start + 1, bands[here][1] + 1), *range(bands[there][0], end)]
            else:
                between = range(start + 1, end)
            chains.append((name, *(f"{name}>@{k}" for k in between), node.name))
    chains.append((graph.output, terminal))
    return chains


def _source(key: str) -> str:
    """The node whose edges pass through slot ``u>@k``; a node stands for itself."""
    return key.split(">@")[0]


def _vertices(
    graph: ComputationGraph, by_id: dict[str, Box], ranks: dict[str, int], terminal: str, limit: float
):
    """A _Vertex for every node and the terminal, with its texts not yet placed."""
    vertices: dict[str, _Vertex] = {}
    for node in graph.nodes:
        name = node.name
        note = None
        if f"gradient:{name}" in by_id:
            note = _label(note_text(graph, name, by_id[f"gradient:{name}"].answer), SMALL, "note", 0, 0)
        if node.is_computed:
            item = _node_label(equation_text(graph, name), "computed", 0, 0)
            section = _section(graph, name, by_id, limit)
            vertices[name] = _Vertex(name, ranks[name], item, note, by_id.get(f"forward:{name}"), section)
        else:
            vertices[name] = _Vertex(
                name, ranks[name], _node_label(leaf_text(graph, name), node.kind, 0, 0), note
            )
    item = _label(f"${latex_name(graph.output)}$", FONT, "terminal", 0, 0)
    vertices[terminal] = _Vertex(terminal, ranks[terminal], item)
    return vertices


def _with_slots(vertices: dict[str, _Vertex], chains) -> dict[str, _Vertex]:
    """The nodes' vertices and a new slot vertex for every column a long edge passes."""
    slots = {key: _Vertex(key, int(key.rsplit("@", 1)[1])) for chain in chains for key in chain[1:-1]}
    return {**vertices, **slots}


def _columns(graph: ComputationGraph, vertices: dict[str, _Vertex], chains) -> list[list[str]]:
    """The vertices of each layer, ordered by where they lead (right to left): the output's path on top."""
    successors: dict[str, list[str]] = {key: [] for key in vertices}
    for chain in chains:
        for a, b in pairwise(chain):
            successors[a].append(b)
    index = {node.name: i for i, node in enumerate(graph.nodes)}
    kinds = {"computed": 0, "param": 2, "data": 3}

    def priority(key: str) -> tuple[int, int]:
        if key in index:
            return (kinds[graph.node(key).kind], index[key])
        return (1, index.get(_source(key), len(index)))

    columns: list[list[str]] = [[] for _ in range(1 + max(v.rank for v in vertices.values()))]
    for key, vertex in vertices.items():
        columns[vertex.rank].append(key)
    position = {key: 0 for key in columns[-1]}
    for k in range(len(columns) - 2, -1, -1):
        columns[k].sort(
            key=lambda key: (sum(position[s] for s in successors[key]) / len(successors[key]), priority(key))
        )
        position.update((key, i) for i, key in enumerate(columns[k]))
    for column in columns:
        for row, key in enumerate(column):
            vertices[key].row = row
    return columns


@dataclass(frozen=True)
class _Step:
    """One step of an edge from ``source`` to ``target``: from vertex ``a`` to vertex ``b``."""

    a: str
    b: str
    source: str
    target: str


def _steps(chains) -> list[_Step]:
    return [_Step(a, b, chain[0], chain[-1]) for chain in chains for a, b in pairwise(chain)]


@dataclass
class _Cut:
    """The connectors of a band: "from u" before the edges coming in, "to v" after those going out."""

    entries: dict[str, str]  # vertex in the band's first column -> text
    exits: dict[str, str]  # vertex in the band's last column -> text

    @classmethod
    def of(cls, entering: list[_Step], leaving: list[_Step]) -> _Cut:
        """From the steps of the edges that enter and leave the band."""
        sources: dict[str, list[str]] = {}
        targets: dict[str, list[str]] = {}
        for step in entering:
            sources.setdefault(step.b, []).append(step.source)
        for step in leaving:
            targets.setdefault(step.a, []).append(step.target)
        return cls(
            {b: _names("from", u) for b, u in sources.items()},
            {a: _names("to", v) for a, v in targets.items()},
        )

    @property
    def entry_width(self) -> float:
        widths = [text_size(t, SMALL)[0] for t in self.entries.values()]
        return max(widths) + GAP / 2 + ARROW_MIN if widths else 0.0

    @property
    def exit_width(self) -> float:
        return max((text_size(t, SMALL)[0] + GAP / 2 for t in self.exits.values()), default=0.0)


def _names(word: str, names: list[str]) -> str:
    """``to $g$, $h$``: three names a line."""
    names = [f"${latex_name(n)}$" for n in dict.fromkeys(names)]
    lines = [", ".join(names[i : i + 3]) for i in range(0, len(names), 3)]
    return f"{word} " + ",\n".join(lines)


def _centers(columns: list[_Column], exit_width: float, left: float) -> tuple[list[float], float, float]:
    """Column centres from ``left``, as close as items, boxes and derivative columns allow.

    A leaf may sit above a neighbour's derivative column (as ``w`` does in the original),
    but no two derivative columns share an inch. Also returns where a wrapped band's
    edges end (``exit_x``) and the band's right edge.
    """
    centers: list[float] = []
    for k, column in enumerate(columns):
        center = left + max(column.half, column.section_half + GAP if column.lines else 0.0)
        if k:
            before = columns[k - 1]
            center = max(center, centers[k - 1] + before.half + before.room + column.half)
        if column.lines:
            for j in range(k):
                if columns[j].lines:
                    center = max(
                        center, centers[j] + columns[j].section_half + SECTION_SEP + column.section_half
                    )
        centers.append(center)
    right = max(
        c + max(col.half, col.section_half + GAP if col.lines else 0.0)
        for c, col in zip(centers, columns, strict=True)
    )
    exit_x = centers[-1] + columns[-1].half + columns[-1].room
    if exit_width:
        right = max(right, exit_x + exit_width)
    return centers, exit_x, right


def _bands(columns: list[_Column], cuts: list[_Cut], limit: float) -> list[tuple[int, int]]:
    """Split the columns into as few bands as fit ``limit``, then even out their widths.

    ``cuts[k]`` holds the connectors a cut after column ``k`` would need.
    """
    last = len(columns) - 1

    def width(start: int, end: int) -> float:
        left = MARGIN + (cuts[start - 1].entry_width if start else 0.0)
        return (
            _centers(columns[start : end + 1], cuts[end].exit_width if end < last else 0.0, left)[2] + MARGIN
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


@dataclass
class _Placed:
    """What the bands placed so far, and where each vertex ended up (for the arrows)."""

    nodes: dict[str, Label] = field(default_factory=dict)
    boxes: dict[str, Rect] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)
    rules: list[Segment] = field(default_factory=list)
    centers: dict[str, tuple[float, float]] = field(default_factory=dict)
    half: dict[str, float] = field(default_factory=dict)  # half the width of the vertex's column
    turn: dict[str, float] = field(default_factory=dict)  # past the forward boxes of the vertex's gap
    band: dict[str, int] = field(default_factory=dict)
    exit_x: dict[int, float] = field(default_factory=dict)
    entry_x: dict[str, float] = field(default_factory=dict)

    def right(self) -> float:
        rects = [
            *(n.rect for n in self.nodes.values()),
            *self.boxes.values(),
            *(la.rect for la in self.labels.values()),
        ]
        return max(r.x1 for r in rects)


def _centered(label: Label, cx: float, cy: float) -> Label:
    x, y = label.rect.center
    return label.moved(cx - x, cy - y)


def _rows(
    columns: list[_Column], vertices: dict[str, _Vertex], connectors: dict[str, str], top: float
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


def _place_band(band: int, columns: list[_Column], vertices, cut: _Cut, top, right: float, placed) -> float:
    """Place one band: its graph rows, then its derivative columns; return its bottom.

    A column's derivative blocks (one per input) spread into sub-columns side by side
    when the band has room up to ``right``, rather than piling up.
    """
    left = MARGIN + cut.entry_width
    xs, exit_x, _ = _centers(columns, cut.exit_width, left)
    connectors = {**cut.entries, **cut.exits}
    *ys, graph_bottom = _rows(columns, vertices, connectors, top)
    for k, column in enumerate(columns):
        next_left = xs[k + 1] - columns[k + 1].half if k + 1 < len(columns) else exit_x
        for key in column.keys:
            v, cx, cy = vertices[key], xs[k], ys[vertices[key].row]
            placed.centers[key], placed.band[key], placed.half[key] = (cx, cy), band, column.half
            if v.item is not None:
                item = _centered(v.item, cx, cy)
                if v.item.role == "terminal":
                    placed.labels["terminal"] = item
                else:
                    placed.nodes[key] = item
            if v.note is not None:
                placed.labels[f"note:{key}"] = _centered(
                    v.note, cx, cy - v.item.rect.h / 2 - GAP / 2 - v.note.rect.h / 2
                )
            if v.forward is not None:
                w = _box_width(v.forward)
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
        placed.labels[f"to:{key}"] = _label(text, SMALL, "connector", exit_x + GAP / 2, y, "left")
    for key, text in cut.entries.items():
        label = _label(text, SMALL, "connector", MARGIN, ys[vertices[key].row], "left")
        placed.labels[f"from:{key}"] = label
        placed.entry_x[key] = label.rect.x1 + GAP / 2

    section_top, bottom = graph_bottom - SECTION_GAP, graph_bottom
    sections = [k for k, column in enumerate(columns) if column.lines]
    spans = _spans(
        [(xs[k] - columns[k].section_half, xs[k] + columns[k].section_half) for k in sections], right
    )
    edges: list[tuple[float, float]] = []
    for k, (low, high) in zip(sections, spans, strict=True):
        width = 2 * columns[k].section_half
        blocks = _blocks(columns[k].lines)
        count = max(1, min(len(blocks), int((high - low + SECTION_SEP) // (width + SECTION_SEP))))
        total = count * width + (count - 1) * SECTION_SEP
        start = min(max(xs[k] - total / 2, low), high - total)
        for i, lines in enumerate(_deal(blocks, count)):
            x = start + i * (width + SECTION_SEP)
            end = _place_section(
                lines, x + width / 2, section_top, width + 2 * GAP, placed.labels, placed.boxes, placed.rules
            )
            bottom = min(bottom, end)
            edges.append((x, x + width))
    for (_, a), (b, _) in pairwise(edges):
        placed.rules.append((((a + b) / 2, section_top + GAP), ((a + b) / 2, bottom)))
    return bottom


def _spans(intervals: list[tuple[float, float]], right: float) -> list[tuple[float, float]]:
    """How far each derivative column may spread: half way to its neighbours, to the band's edges."""
    spans = []
    for i, (low, high) in enumerate(intervals):
        start = MARGIN + GAP if i == 0 else (intervals[i - 1][1] + low) / 2 + GAP
        end = right - MARGIN - GAP if i == len(intervals) - 1 else (high + intervals[i + 1][0]) / 2 - GAP
        spans.append((min(start, low), max(end, high)))
    return spans


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    """A derivative column cut at its rules: one block per input (the hint stays with the first)."""
    blocks: list[list[_Line]] = [[]]
    for line in lines:
        if line.texts:
            blocks[-1].append(line)
        else:
            blocks.append([])
    return blocks


def _deal(blocks: list[list[_Line]], count: int) -> list[list[_Line]]:
    """The blocks in order into ``count`` sub-columns of about equal height, rules between blocks."""
    heights = [_section_extent(block)[1] for block in blocks]
    target = sum(heights) / count
    groups: list[list[list[_Line]]] = [[]]
    height = 0.0
    for block, h in zip(blocks, heights, strict=True):
        if groups[-1] and height + h / 2 > target and len(groups) < count:
            groups.append([])
            height = 0.0
        groups[-1].append(block)
        height += h
    return [
        [line for i, block in enumerate(group) for line in ([_Line("")] if i else []) + block]
        for group in groups
    ]


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


def _arrows(chains, vertices: dict[str, _Vertex], placed: _Placed) -> list[Arrow]:
    """Each edge as polylines: out of its source, through its slots, into its target.

    A segment that would cut through a forward box runs level until it is past the
    boxes of its gap, then turns. An edge from the same row enters its target in the
    middle of the left side; edges from rows below or above enter lower or higher.
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
    >>> from lab_utils_backprop.examples import config_nw1
    >>> layout = layout_graph(config_nw1)
    >>> layout.size[0] <= MAX_WIDTH, len(layout.boxes), layout.nodes["a"].text
    (True, 13, '$a = c + b$')
    >>> print(layout.labels["prompt:gradient:b"].text)
    $\dfrac{\partial J}{\partial b} = \dfrac{\partial a}{\partial b} \times \dfrac{\partial J}{\partial a} =$
    """
    boxes = boxes_for(graph) if boxes is None else list(boxes)
    by_id = {box.id: box for box in boxes}
    ranks = _ranks(graph)
    terminal = f"{graph.output}>"
    ranks[terminal] = ranks[graph.output] + 1
    nodes = _vertices(graph, by_id, ranks, terminal, min(SECTION_MAX_W, max_width - 2 * MARGIN - 2 * GAP))

    # First every long edge gets a slot in each column it crosses, to choose the bands;
    # then the edges cut by the wrap lose their slots in the bands they only cross.
    chains = _chains(graph, ranks, terminal)
    vertices = _with_slots(nodes, chains)
    columns = [_Column.of(keys, vertices) for keys in _columns(graph, vertices, chains)]
    steps: list[list[_Step]] = [[] for _ in columns]
    for step in _steps(chains):
        steps[vertices[step.a].rank].append(step)
    bands = _bands(columns, [_Cut.of(s, s) for s in steps], max_width)

    chains = _chains(graph, ranks, terminal, bands)
    vertices = _with_slots(nodes, chains)
    columns = [_Column.of(keys, vertices) for keys in _columns(graph, vertices, chains)]
    band_of = {k: b for b, (first, last) in enumerate(bands) for k in range(first, last + 1)}
    crossing = [
        step for step in _steps(chains) if band_of[vertices[step.a].rank] != band_of[vertices[step.b].rank]
    ]

    placed = _Placed()
    top = -MARGIN
    for band, (start, end) in enumerate(bands):
        if band:
            placed.rules.append(((MARGIN, top - BAND_GAP / 2), (max_width - MARGIN, top - BAND_GAP / 2)))
            top -= BAND_GAP
        cut = _Cut.of(
            [step for step in crossing if band_of[vertices[step.b].rank] == band],
            [step for step in crossing if band_of[vertices[step.a].rank] == band],
        )
        top = _place_band(band, columns[start : end + 1], vertices, cut, top, max_width, placed)
    width, height = placed.right() + MARGIN, -top + MARGIN
    rules = tuple(((x0, y0), (min(x1, width - MARGIN), y1)) for (x0, y0), (x1, y1) in placed.rules)
    ordered = {box.id: placed.boxes[box.id] for box in boxes}
    layout = Layout(
        (width, height), placed.nodes, ordered, placed.labels, tuple(_arrows(chains, vertices, placed)), rules
    )
    return layout.moved(0.0, height)


# -- smaller pictures for the lesson's text -----------------------------------------------------


def layout_node(graph: ComputationGraph, name: str, boxes: Sequence[Box] | None = None) -> Layout:
    """A close-up of one computed node: its equation, and under it its derivative column.

    Examples
    --------
    >>> from lab_utils_backprop.examples import config_nw1
    >>> close_up = layout_node(config_nw1, "a")
    >>> list(close_up.nodes), list(close_up.boxes)
    (['a'], ['local:a:c', 'gradient:c', 'local:a:b', 'gradient:b'])
    """
    by_id = {box.id: box for box in (boxes_for(graph) if boxes is None else boxes)}
    item = _node_label(equation_text(graph, name), "computed", 0.0, 0.0)
    lines = _section(graph, name, by_id, SECTION_MAX_W)
    section_w, section_h = _section_extent(lines)
    width = max(item.rect.w, section_w) + 2 * MARGIN + 2 * GAP
    top = -MARGIN - item.rect.h / 2
    labels: dict[str, Label] = {}
    boxes_placed: dict[str, Rect] = {}
    rules: list[Segment] = []
    bottom = top - item.rect.h / 2
    if lines:
        bottom = _place_section(
            lines, width / 2, bottom - SECTION_GAP, width - 2 * MARGIN, labels, boxes_placed, rules
        )
    height = -bottom + MARGIN
    layout = Layout(
        (width, height), {name: _centered(item, width / 2, top)}, boxes_placed, labels, (), tuple(rules)
    )
    return layout.moved(0.0, height)


def layout_bump(graph: ComputationGraph, wrt: str) -> Layout:
    r"""The "another view" strip: nudge ``wrt`` by ε and follow the change along its path to the output.

    ``w ↑ ε → [∂a/∂w = 3] → a ↑ 3ε → [∂J/∂a = 22] → J ↑ 66ε``: each factor box is a local
    derivative (``graph.local``), each label the running product. ``wrt`` must reach the
    output along a single path (a ValueError says so otherwise).

    Examples
    --------
    >>> from lab_utils_backprop.examples import config_nw0
    >>> strip = layout_bump(config_nw0, "w")
    >>> print(*(label.text for label in strip.labels.values()))
    $w \,\uparrow\, \varepsilon$ $a \,\uparrow\, 3\varepsilon$ $J \,\uparrow\, 66\varepsilon$
    """
    path, factor = [wrt], sympy.Integer(1)
    while path[-1] != graph.output:
        consumers = graph.consumers(path[-1])
        if len(consumers) != 1:
            raise ValueError(f"`{path[-1]}` feeds {len(consumers)} nodes; the strip follows a single path")
        path.append(consumers[0])

    def bump(name: str, factor: sympy.Expr) -> str:
        times = "" if factor == 1 else "-" if factor == -1 else format_number(factor)
        return rf"${latex_name(name)} \,\uparrow\, {times}\varepsilon$"

    labels: dict[str, Label] = {}
    nodes: dict[str, Label] = {}
    arrows: list[Arrow] = []
    height = MARGIN * 2 + max(
        text_size(display(r"$\frac{\partial a}{\partial b} = 0$"), FONT)[1] + 2 * NODE_PAD_Y, 0.5
    )
    height += text_size(bump(wrt, factor), FONT)[1] + GAP
    cy = MARGIN + (height - 2 * MARGIN - text_size(bump(wrt, factor), FONT)[1] - GAP) / 2
    x = MARGIN
    for previous, name in pairwise(path):
        text = bump(previous, factor)
        length = max(text_size(text, FONT)[0] + 2 * GAP, ARROW_MIN)
        labels[f"bump:{previous}"] = _label(
            text, FONT, "bump", x + length / 2, cy + GAP + text_size(text, FONT)[1] / 2
        )
        local = graph.local(name, previous)
        box = _node_label(
            rf"${display(frac_latex(name, previous))} = {format_number(local)}$", "factor", 0.0, 0.0
        )
        arrows.append(Arrow(((x, cy), (x + length, cy)), previous, name))
        x += length
        nodes[name] = _centered(box, x + box.rect.w / 2, cy)
        x += box.rect.w
        factor *= local
    text = bump(graph.output, factor)
    length = max(text_size(text, FONT)[0] + 2 * GAP, ARROW_MIN)
    labels[f"bump:{graph.output}"] = _label(
        text, FONT, "bump", x + length / 2, cy + GAP + text_size(text, FONT)[1] / 2
    )
    arrows.append(Arrow(((x, cy), (x + length, cy)), graph.output, f"{graph.output}>"))
    return Layout((x + length + MARGIN, height), nodes, {}, labels, tuple(arrows), ())
