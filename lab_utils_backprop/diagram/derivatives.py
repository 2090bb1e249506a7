"""The derivative column under a computed node: for each input a local box and a chain-rule line.

Each input's lines form a block; blocks are separated by a rule. When a band has room,
layout.py spreads a column's blocks into sub-columns side by side (``split_blocks``,
``deal``) within the span ``column_spans`` allows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.graph import ComputationGraph
from ..exercise.boxes import Box
from .measure import FONT, text_size
from .shapes import BOX_H, GAP, MARGIN, Rect, box_width, label_at
from .text import hint_texts, prompt_lines

__all__ = [
    "Line",
    "column_spans",
    "deal",
    "place_derivatives",
    "derivatives_extent",
    "derivative_lines",
    "split_blocks",
]


@dataclass(frozen=True)
class Line:
    """One line of a derivative column: prompt texts, an optional box, or a rule.

    Examples
    --------
    >>> Line("").extent()  # a rule: no width, a gap's height
    (0.0, 0.12)
    """

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


def derivative_lines(graph: ComputationGraph, name: str, boxes: dict[str, Box], limit: float) -> list[Line]:
    """The derivative column under a computed node: per input, its local and gradient lines.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})
    >>> lines = derivative_lines(g, "J", {box.id: box for box in boxes_for(g)}, limit=5.0)
    >>> [line.key for line in lines]  # the output's hint, then per input of J; "" is a rule
    ['hint:1', 'hint:2', 'prompt:gradient:a', '', 'prompt:local:J:w']
    """
    lines: list[Line] = []
    if name == graph.output:
        lines += [Line(f"hint:{i}", (text,), FONT - 1) for i, text in enumerate(hint_texts(graph), 1)]
    groups = 0
    for wrt in graph.node(name).inputs:
        group = []
        local = boxes.get(f"local:{name}:{wrt}")
        gradient = boxes.get(f"gradient:{wrt}")
        for box in (local, gradient if gradient is not None and gradient.node == name else None):
            if box is not None:
                room = limit - box_width(box) - GAP
                texts = tuple(prompt_lines(graph, box, room))
                group.append(Line(f"prompt:{box.id}", texts, FONT, box.id, box_width(box)))
        if group and groups:
            lines.append(Line(""))
        groups += bool(group)
        lines += group
    return lines


def place_derivatives(
    lines: list[Line], cx: float, top: float, width: float, labels: dict, boxes: dict, rules: list
) -> float:
    """Put a column's lines centred on ``cx`` from ``top`` down; return the bottom.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})
    >>> lines = derivative_lines(g, "J", {box.id: box for box in boxes_for(g)}, limit=5.0)
    >>> labels, boxes, rules = {}, {}, []
    >>> bottom = place_derivatives(lines, 3.0, 0.0, 4.0, labels, boxes, rules)
    >>> sorted(boxes), len(rules), bottom < 0
    (['gradient:a', 'local:J:w'], 1, True)
    """
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
            labels[f"{line.key}#{number + 1}"] = label_at(
                text, line.size, "prompt", left + tw, y - th / 2, "right"
            )
            y -= th + GAP / 2
        tw, th = sizes[-1]
        row_h = max(th, BOX_H if line.box else 0.0)
        cy = y - row_h / 2
        if line.box:
            right = cx + w / 2
            boxes[line.box] = Rect(right - line.box_w, cy - BOX_H / 2, line.box_w, BOX_H)
            labels[line.key] = label_at(
                line.texts[-1], line.size, "prompt", right - line.box_w - GAP, cy, "right"
            )
        else:
            labels[line.key] = label_at(line.texts[-1], line.size, "hint", cx, cy)
        y -= row_h + GAP
    return y + GAP


def derivatives_extent(lines: list[Line]) -> tuple[float, float]:
    """(width, height) in inches of a column of lines, as ``place_derivatives`` places them.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})
    >>> lines = derivative_lines(g, "J", {box.id: box for box in boxes_for(g)}, limit=5.0)
    >>> [round(size, 2) for size in derivatives_extent(lines)]
    [1.88, 1.75]
    """
    extents = [line.extent() for line in lines]
    height = sum(h for _, h in extents) + GAP * sum(1 for line in lines if line.texts)
    return max((w for w, _ in extents), default=0.0), height - GAP if lines else 0.0


def column_spans(intervals: list[tuple[float, float]], right: float) -> list[tuple[float, float]]:
    """How far each derivative column may spread: half way to its neighbours, to the band's edges.

    Examples
    --------
    >>> column_spans([(1, 2), (4, 5)], right=8.0)
    [(0.27, 2.88), (3.12, 7.7299999999999995)]
    """
    spans = []
    for i, (low, high) in enumerate(intervals):
        start = MARGIN + GAP if i == 0 else (intervals[i - 1][1] + low) / 2 + GAP
        end = right - MARGIN - GAP if i == len(intervals) - 1 else (high + intervals[i + 1][0]) / 2 - GAP
        spans.append((min(start, low), max(end, high)))
    return spans


def split_blocks(lines: list[Line]) -> list[list[Line]]:
    """A derivative column cut at its rules: one block per input (the hint stays with the first).

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})
    >>> lines = derivative_lines(g, "J", {box.id: box for box in boxes_for(g)}, limit=5.0)
    >>> [[line.key for line in block] for block in split_blocks(lines)]
    [['hint:1', 'hint:2', 'prompt:gradient:a'], ['prompt:local:J:w']]
    """
    blocks: list[list[Line]] = [[]]
    for line in lines:
        if line.texts:
            blocks[-1].append(line)
        else:
            blocks.append([])
    return blocks


def deal(blocks: list[list[Line]], count: int) -> list[list[Line]]:
    """The blocks in order into ``count`` sub-columns of about equal height, rules between blocks.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})
    >>> lines = derivative_lines(g, "J", {box.id: box for box in boxes_for(g)}, limit=5.0)
    >>> [[line.key for line in column] for column in deal(split_blocks(lines), 2)]
    [['hint:1', 'hint:2', 'prompt:gradient:a'], ['prompt:local:J:w']]
    """
    heights = [derivatives_extent(block)[1] for block in blocks]
    target = sum(heights) / count
    groups: list[list[list[Line]]] = [[]]
    height = 0.0
    for block, h in zip(blocks, heights, strict=True):
        if groups[-1] and height + h / 2 > target and len(groups) < count:
            groups.append([])
            height = 0.0
        groups[-1].append(block)
        height += h
    return [
        [line for i, block in enumerate(group) for line in ([Line("")] if i else []) + block]
        for group in groups
    ]
