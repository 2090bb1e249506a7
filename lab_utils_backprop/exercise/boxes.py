r"""The boxes a student fills for a graph, with their labels and exact answers.

The rule of the original lab: a blue forward box per computed node; for each edge into
a node from another computed node or a parameter, a green local-derivative box
(:math:`\partial a/\partial c`) and a green gradient box (:math:`\partial J/\partial c`).
The edge into the output has only the gradient box, since there the local derivative
and dJ/d(input) are the same number. Data leaves get no boxes. A value that fans out
into several consumers has one gradient box, whose answer is the sum over them; it
sits under its first consumer, the last one a student reaches going right to left.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy

from ..engine.graph import ComputationGraph

__all__ = ["Box", "boxes_for", "frac", "latex_name", "local_label"]

KINDS = ("forward", "local", "gradient")


@dataclass(frozen=True)
class Box:
    """One box to fill.

    ``kind`` is "forward", "local" or "gradient"; ``node`` the node it sits under;
    ``wrt`` the input it differentiates with respect to (None for forward boxes);
    ``label`` LaTeX for what is asked; ``answer`` the exact number.
    """

    kind: str
    node: str
    wrt: str | None
    label: str
    answer: sympy.Expr

    @property
    def id(self) -> str:
        """A stable name for the box: "forward:a", "local:a:w" or "gradient:w"."""
        if self.kind == "forward":
            return f"forward:{self.node}"
        if self.kind == "local":
            return f"local:{self.node}:{self.wrt}"
        return f"gradient:{self.wrt}"

    @property
    def is_derivative(self) -> bool:
        return self.kind != "forward"


def frac(top: str, bottom: str) -> str:
    r"""LaTeX for a partial derivative, ``\frac{\partial top}{\partial bottom}``."""
    return rf"\frac{{\partial {latex_name(top)}}}{{\partial {latex_name(bottom)}}}"


@functools.lru_cache(maxsize=4096)
def latex_name(name: str) -> str:
    """A node name as LaTeX (``w_1`` stays a subscript, Greek names become letters)."""
    return sympy.latex(sympy.Symbol(name))


def local_label(graph: ComputationGraph, node: str, wrt: str) -> str:
    r"""The label of a local box; into the output it is marked local, to tell it from the total."""
    if node == graph.output:
        return rf"\left.{frac(node, wrt)}\right|_{{\mathrm{{local}}}}"
    return frac(node, wrt)


def boxes_for(graph: ComputationGraph) -> list[Box]:
    r"""Every box of a graph, in the order a student fills them.

    Forward boxes left to right, then, node by node from right to left, each input's
    local box and (under its first consumer) its gradient box.

    Examples
    --------
    >>> g = ComputationGraph.from_equations("a = 2 + 3*w\nJ = a**2", {"w": 3})
    >>> [(b.id, b.answer) for b in boxes_for(g)]
    [('forward:a', 11), ('forward:J', 121), ('gradient:a', 22), ('local:a:w', 3), ('gradient:w', 66)]
    """
    output = graph.output
    boxes = [Box("forward", n.name, None, latex_name(n.name), graph.value(n.name)) for n in graph.computed]
    for node in reversed(graph.computed):
        for wrt in node.inputs:
            if graph.node(wrt).kind == "data":
                continue
            consumers = graph.consumers(wrt)
            if node.name != output or len(consumers) > 1:
                label = local_label(graph, node.name, wrt)
                boxes.append(Box("local", node.name, wrt, label, graph.local(node.name, wrt)))
            if consumers[0] == node.name:
                boxes.append(Box("gradient", node.name, wrt, frac(output, wrt), graph.gradient(wrt)))
    return boxes
