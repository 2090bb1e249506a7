"""Which column and row each node of a graph sits in, with slots for the edges that skip columns.

A computed node's column is the longest path to it from the leaves; a leaf sits one
column before its first consumer. An edge that skips columns passes through a slot
(``u>@k``) in each column it crosses; rows are ordered so that edges cross little.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from ..engine.graph import ComputationGraph
from ..exercise.boxes import Box, latex_name
from .derivatives import Line, derivative_lines
from .measure import FONT, SMALL
from .shapes import Label, label_at, node_label
from .text import equation_text, leaf_text, note_text

__all__ = [
    "Step",
    "Vertex",
    "edge_chains",
    "layer_ranks",
    "node_vertices",
    "order_columns",
    "steps_of",
    "with_slots",
]


@dataclass
class Vertex:
    """A thing placed in a column: a node, the output's terminal, or a slot of a long edge.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})  # w also skips to J
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> by_id = {box.id: box for box in boxes_for(g)}
    >>> a = node_vertices(g, by_id, {**layer_ranks(g), "J>": 3}, "J>", limit=5.0)["a"]
    >>> a.rank, a.item.text, a.forward.id
    (1, '$a = w + 1$', 'forward:a')
    """

    key: str
    rank: int
    item: Label | None = None  # drawn text; None for a slot
    note: Label | None = None  # shown once the node's gradient box is right
    forward: Box | None = None  # the forward box on the edge leaving it
    derivatives: list[Line] = field(default_factory=list)
    row: int = 0

    @property
    def half(self) -> float:
        return max(self.item.rect.w if self.item else 0.0, self.note.rect.w if self.note else 0.0) / 2


def layer_ranks(graph: ComputationGraph) -> dict[str, int]:
    """Longest path from the leaves for computed nodes; a leaf one column before its first consumer.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})  # w also skips to J
    >>> layer_ranks(g)
    {'a': 1, 'J': 2, 'w': 0}
    """
    ranks: dict[str, int] = {}
    for node in graph.computed:
        ranks[node.name] = 1 + max((ranks.get(i, 0) for i in node.inputs), default=0)
    for name in graph.leaves:
        ranks[name] = min(ranks[c] for c in graph.consumers(name)) - 1
    return ranks


def edge_chains(
    graph: ComputationGraph, ranks: dict[str, int], terminal: str, bands=None
) -> list[tuple[str, ...]]:
    """Every edge as the vertices it passes through, one per column.

    The long edges out of one node share their slots (named ``u>@k``): they run as one
    line until they part, so a value used far away many times takes one row, not many.

    With ``bands`` (first and last column of each band), an edge cut by the wrap has
    slots only in its source's band and its target's band: it leaves one band with
    "to v" and comes back with "from u" where ``v`` is, not in every band between.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})  # w also skips to J
    >>> ranks = {**layer_ranks(g), "J>": 3}  # "J>": the output's terminal arrow
    >>> chains = edge_chains(g, ranks, "J>")
    >>> chains
    [('w', 'a'), ('a', 'J'), ('w', 'w>@1', 'J'), ('J', 'J>')]
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


def _slot_source(key: str) -> str:
    """The node whose edges pass through slot ``u>@k``; a node stands for itself."""
    return key.split(">@")[0]


def node_vertices(
    graph: ComputationGraph, by_id: dict[str, Box], ranks: dict[str, int], terminal: str, limit: float
):
    """A Vertex for every node and the terminal, with its texts not yet placed.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})  # w also skips to J
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> by_id = {box.id: box for box in boxes_for(g)}
    >>> vertices = node_vertices(g, by_id, {**layer_ranks(g), "J>": 3}, "J>", limit=5.0)
    >>> sorted(vertices), vertices["w"].item.text, vertices["J>"].item.role
    (['J', 'J>', 'a', 'w'], '$w = 3$', 'terminal')
    """
    vertices: dict[str, Vertex] = {}
    for node in graph.nodes:
        name = node.name
        note = None
        if f"gradient:{name}" in by_id:
            note = label_at(note_text(graph, name, by_id[f"gradient:{name}"].answer), SMALL, "note", 0, 0)
        if node.is_computed:
            item = node_label(equation_text(graph, name), "computed", 0, 0)
            derivatives = derivative_lines(graph, name, by_id, limit)
            vertices[name] = Vertex(name, ranks[name], item, note, by_id.get(f"forward:{name}"), derivatives)
        else:
            vertices[name] = Vertex(
                name, ranks[name], node_label(leaf_text(graph, name), node.kind, 0, 0), note
            )
    item = label_at(f"${latex_name(graph.output)}$", FONT, "terminal", 0, 0)
    vertices[terminal] = Vertex(terminal, ranks[terminal], item)
    return vertices


def with_slots(vertices: dict[str, Vertex], chains) -> dict[str, Vertex]:
    """The nodes' vertices and a new slot vertex for every column a long edge passes.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})  # w also skips to J
    >>> ranks = {**layer_ranks(g), "J>": 3}  # "J>": the output's terminal arrow
    >>> chains = edge_chains(g, ranks, "J>")
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> nodes = node_vertices(g, {box.id: box for box in boxes_for(g)}, ranks, "J>", limit=5.0)
    >>> sorted(set(with_slots(nodes, chains)) - set(nodes))
    ['w>@1']
    """
    slots = {key: Vertex(key, int(key.rsplit("@", 1)[1])) for chain in chains for key in chain[1:-1]}
    return {**vertices, **slots}


def order_columns(graph: ComputationGraph, vertices: dict[str, Vertex], chains) -> list[list[str]]:
    """The vertices of each layer, ordered by where they lead (right to left): the output's path on top.

    Examples
    --------
    >>> from lab_utils_backprop import ComputationGraph
    >>> g = ComputationGraph.from_equations(["a = w + 1", "J = a*w"], {"w": 3})  # w also skips to J
    >>> ranks = {**layer_ranks(g), "J>": 3}  # "J>": the output's terminal arrow
    >>> chains = edge_chains(g, ranks, "J>")
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> nodes = node_vertices(g, {box.id: box for box in boxes_for(g)}, ranks, "J>", limit=5.0)
    >>> order_columns(g, with_slots(nodes, chains), chains)
    [['w'], ['a', 'w>@1'], ['J'], ['J>']]
    """
    successors: dict[str, list[str]] = {key: [] for key in vertices}
    for chain in chains:
        for a, b in pairwise(chain):
            successors[a].append(b)
    index = {node.name: i for i, node in enumerate(graph.nodes)}
    kinds = {"computed": 0, "param": 2, "data": 3}

    def priority(key: str) -> tuple[int, int]:
        if key in index:
            return (kinds[graph.node(key).kind], index[key])
        return (1, index.get(_slot_source(key), len(index)))

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
class Step:
    """One step of an edge from ``source`` to ``target``: from vertex ``a`` to vertex ``b``.

    Examples
    --------
    >>> Step("w>@1", "J", "w", "J").target
    'J'
    """

    a: str
    b: str
    source: str
    target: str


def steps_of(chains) -> list[Step]:
    """Every step of every chain, one vertex to the next.

    Examples
    --------
    >>> steps_of([("w", "w>@1", "J")])
    [Step(a='w', b='w>@1', source='w', target='J'), Step(a='w>@1', b='J', source='w', target='J')]
    """
    return [Step(a, b, chain[0], chain[-1]) for chain in chains for a, b in pairwise(chain)]
