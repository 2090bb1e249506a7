"""What a layout is made of (Rect, Label, Arrow, Layout), in inches, and the spacing its parts share.

The other layout modules place these; draw.py turns them into artists. No matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..exercise.boxes import Box
from .measure import FONT, VALUE_FONT, text_size
from .text import short_number

__all__ = [
    "Arrow",
    "Label",
    "Layout",
    "Placed",
    "Rect",
    "Segment",
    "box_width",
    "centered",
    "label_at",
    "node_label",
]

# Spacing in inches, shared by the layout modules.
MARGIN = 0.15  # around the whole figure
GAP = 0.12  # between neighbours
ROW_GAP = 0.22  # between rows of the graph
STRIP_GAP = 0.3  # between a band's graph strip and its derivative strip
COLUMN_SEP = 0.2  # between two derivative columns side by side (a rule runs in the middle)
BAND_GAP = 0.35  # between wrapped bands
BOX_H = 0.4  # an answer box
BOX_MIN_W = 0.65
BOX_MAX_W = 1.5  # a longer text is shown smaller, and clipped to its box
NODE_PAD_X, NODE_PAD_Y = 0.14, 0.07  # between a node's equation and its rounded outline
ARROW_MIN = 0.35  # the shortest arrow drawn (to the output's name, from or to a connector)
ARROW_HEAD = 0.16  # room for an arrow head after a forward box
COLUMN_MAX_W = 5.0  # a chain-rule line wider than this goes on several lines: two columns fit a band


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in inches; ``(x, y)`` is its bottom-left corner.

    Examples
    --------
    >>> box = Rect(0, 0, 1, 0.5)
    >>> box.center, box.overlaps(Rect(0.5, 0.25, 1, 1)), box.overlaps(Rect(1, 0, 1, 1))
    ((0.5, 0.25), True, False)
    """

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
    (a local derivative in a rounded box) or "nudge". ``ha`` is the horizontal alignment
    of the text at its anchor.

    Examples
    --------
    >>> label = label_at("$w$", 14, "param", 1.0, 2.0)
    >>> label.role, label.anchor == (1.0, 2.0)
    ('param', True)
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
    """An edge drawn as a polyline from ``source`` towards ``target`` (arrow head at the end).

    Examples
    --------
    >>> Arrow(((0, 0), (1, 0)), "w", "a").moved(0, 2).points
    ((0, 2), (1, 2))
    """

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
    output's nudge hint ("hint:1", "hint:2"), the gradient notes shown once a gradient
    box is right ("note:<name>"), the output's name at the end of the last arrow
    ("terminal") and the connectors of wrapped edges; ``rules`` are separator lines.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> from lab_utils_backprop.diagram.layout import layout_graph
    >>> layout = layout_graph(config_nw0)
    >>> list(layout.nodes), len(layout.strips())
    (['w', 'a', 'J'], 2)
    """

    size: tuple[float, float]
    nodes: dict[str, Label]
    boxes: dict[str, Rect]
    labels: dict[str, Label]
    arrows: tuple[Arrow, ...]
    rules: tuple[Segment, ...]
    cuts: tuple[float, ...] = ()  # heights nothing crosses, top to bottom (see ``strips``)

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
            cuts=tuple(y + dy for y in self.cuts),
        )

    def strips(self) -> list[Layout]:
        """The layout cut at ``cuts`` into strips, top to bottom: each band's graph, then its derivatives.

        Stacked, they make the whole picture again: each strip is as wide as the whole and
        runs from one cut to the next, so an interactive view can give each strip its own
        canvas and repaint a box by sending only that strip's pixels. Nothing crosses a
        cut (a wrapped edge ends in "to g" and starts again at "from f"); the rule between
        two bands goes with the strip below it.
        """
        width, height = self.size
        edges = [height, *self.cuts, 0.0]
        return [
            _within(self, low, high).moved(0.0, -low) for high, low in zip(edges, edges[1:], strict=False)
        ]


def _within(layout: Layout, low: float, high: float) -> Layout:
    """What of ``layout`` lies between heights ``low`` and ``high`` (by its middle), sized to that."""

    def inside(y: float) -> bool:
        return low <= y < high

    def rect_inside(rect: Rect) -> bool:
        return inside(rect.center[1])

    return Layout(
        (layout.size[0], high - low),
        {k: v for k, v in layout.nodes.items() if rect_inside(v.rect)},
        {k: v for k, v in layout.boxes.items() if rect_inside(v)},
        {k: v for k, v in layout.labels.items() if rect_inside(v.rect)},
        tuple(a for a in layout.arrows if inside(sum(y for _, y in a.points) / len(a.points))),
        tuple(r for r in layout.rules if inside((r[0][1] + r[1][1]) / 2)),
    )


def label_at(text: str, size: float, role: str, x: float, y: float, ha: str = "center") -> Label:
    """A Label whose anchor is ``(x, y)``, sized by ``text_size``.

    Examples
    --------
    >>> label = label_at("$w$", 14, "param", 1.0, 2.0, ha="left")
    >>> label.rect.x, label.anchor[0]
    (1.0, 1.0)
    """
    w, h = text_size(text, size)
    left = {"left": x, "center": x - w / 2, "right": x - w}[ha]
    return Label(text, Rect(left, y - h / 2, w, h), size, role, ha)


def node_label(text: str, role: str, cx: float, cy: float) -> Label:
    """A rounded node box (equation inside) centred at ``(cx, cy)``; leaves get no padding.

    Examples
    --------
    >>> node = node_label("$a = 2 + 3w$", "computed", 1, 1)
    >>> node.rect.center == (1, 1), node.rect.w > node.rect.h
    (True, True)
    """
    w, h = text_size(text, FONT)
    if role in ("computed", "factor"):
        w, h = w + 2 * NODE_PAD_X, h + 2 * NODE_PAD_Y
    return Label(text, Rect(cx - w / 2, cy - h / 2, w, h), FONT, role)


def box_width(box: Box) -> float:
    """Room for the answer and a mark (``4.5 ✓``), between BOX_MIN_W and BOX_MAX_W.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> {box.id: round(box_width(box), 2) for box in boxes_for(config_nw0)[:2]}  # 11, then 121
    {'forward:a': 0.65, 'forward:J': 0.75}
    """
    return min(BOX_MAX_W, max(BOX_MIN_W, text_size(f"{short_number(box.answer)} ✓", VALUE_FONT)[0] + 0.2))


def centered(label: Label, cx: float, cy: float) -> Label:
    """The label moved so that its rectangle's centre is at ``(cx, cy)``.

    Examples
    --------
    >>> [round(v, 6) for v in centered(label_at("$w$", 14, "param", 5, 5), 1, 2).rect.center]
    [1.0, 2.0]
    """
    x, y = label.rect.center
    return label.moved(cx - x, cy - y)


@dataclass
class Placed:
    """What ``layout_graph`` placed so far, band by band, and where each vertex ended up (for the arrows).

    Examples
    --------
    >>> placed = Placed()
    >>> placed.boxes["forward:a"] = Rect(1, 1, 0.5, 0.3)
    >>> placed.right()
    1.5
    """

    nodes: dict[str, Label] = field(default_factory=dict)
    boxes: dict[str, Rect] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)
    rules: list[Segment] = field(default_factory=list)
    cuts: list[float] = field(default_factory=list)  # heights nothing crosses, top to bottom
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
