"""A computation graph built from equations: exact values, local derivatives, one reverse sweep.

Each node holds its expression in terms of its direct inputs only. Values stay exact
(sympy Rationals) while the arithmetic is rational; a node whose value goes through
``exp``, ``log``, ``sqrt``, ``tanh``, ``sigmoid`` ... becomes a 30-digit sympy Float there,
so no nested symbolic value is ever carried from node to node (its size would double
per node along a chain). Gradients come from one reverse sweep that adds each
consumer's share into its inputs, so fan-out needs nothing special.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy

from .equations import Equation, GraphError, parse_equations
from .estimates import Estimates
from .numbers import check_differentiable, check_size, exact

__all__ = ["ComputationGraph", "GraphError", "Node"]

#: The most leaves (given values) a graph may have; equations are bounded in equations.py.
MAX_LEAVES = 100


@dataclass(frozen=True)
class Node:
    """A leaf (``kind`` "param" or "data") or a computed node with its equation."""

    name: str
    kind: str
    inputs: tuple[str, ...] = ()
    expr: sympy.Expr | None = None
    line: int | None = None
    source: str | None = None
    latex: str | None = None  # the right-hand side as written, for diagrams and lessons

    @property
    def is_computed(self) -> bool:
        return self.kind == "computed"


class ComputationGraph(Estimates):
    """Equations in order, with exact values, local derivatives and dJ/d(node) for all nodes.

    Parameters
    ----------
    equations : str or list of str
        ``name = expression`` lines in sympy syntax (``**`` or ``^`` for power).
    values : mapping
        A number for every leaf (int, float, fraction string such as "9/2", sympy number).
    params : list of str, optional
        The leaves to differentiate with respect to; the other leaves are data.
        Default: every leaf.
    output : str, optional
        The cost node; default: the last equation's name.

    Examples
    --------
    >>> g = ComputationGraph.from_equations(["a = 2 + 3*w", "J = a**2"], {"w": 3})
    >>> g.value("J"), g.local_expr("J", "a"), g.gradient("w")
    (121, 2*a, 66)
    """

    def __init__(self, equations: list[Equation], values: Mapping, params=None, output: str | None = None):
        self.equations = list(equations)
        self._nodes: dict[str, Node] = {}
        self._symbols: dict[str, sympy.Symbol] = {}
        self._define(values, params, output)
        self._values = self._forward()
        self._locals = self._local_derivatives()
        self._gradients = self._backward()

    @classmethod
    def from_equations(
        cls, equations, values: Mapping, params=None, output: str | None = None
    ) -> ComputationGraph:
        """Parse the equations and build the graph; every problem is a GraphError naming its line."""
        return cls(parse_equations(equations), values, params, output)

    # -- building -----------------------------------------------------------------------

    def _define(self, values: Mapping, params, output) -> None:
        if not isinstance(values, Mapping):
            raise GraphError("values must be a mapping of leaf names to numbers, such as {'w': 3}")
        defined = {eq.name: eq for eq in self.equations}
        leaves: list[str] = []
        first_use: dict[str, Equation] = {}
        for eq in self.equations:
            for name in eq.inputs:
                self._symbols[name] = sympy.Symbol(name, real=True)
                if name in defined and name not in self._nodes:
                    raise GraphError(
                        f"`{name}` is used before it is defined (on line {defined[name].line})",
                        eq.line,
                        eq.source,
                    )
                if name not in defined and name not in leaves:
                    if name not in values:
                        raise GraphError(f"`{name}` has no value: add it to the values", eq.line, eq.source)
                    leaves.append(name)
                    first_use[name] = eq
            if eq.name in self._nodes:
                raise GraphError(
                    f"`{eq.name}` is defined twice (first on line {self._nodes[eq.name].line})",
                    eq.line,
                    eq.source,
                )
            if eq.name in values:
                raise GraphError(
                    f"`{eq.name}` is computed here, so it cannot also be given a value", eq.line, eq.source
                )
            self._nodes[eq.name] = Node(eq.name, "computed", eq.inputs, eq.expr, eq.line, eq.source, eq.latex)
            self._symbols.setdefault(eq.name, sympy.Symbol(eq.name, real=True))
        if len(leaves) > MAX_LEAVES:
            raise GraphError(
                f"the equations use {len(leaves)} given values: a lesson's graph has at most {MAX_LEAVES}"
            )
        unused = sorted(set(values) - set(leaves))
        if unused:
            raise GraphError(
                f"a value is given for {', '.join(f'`{n}`' for n in unused)}, which no equation uses"
            )
        params = list(leaves) if params is None else list(params)
        for name in params:
            if name not in leaves:
                raise GraphError(f"parameter `{name}` is not an input of any equation")
        self.leaves = {name: Node(name, "param" if name in params else "data") for name in leaves}
        self.output = self.equations[-1].name if output is None else output
        if self.output not in self._nodes:
            raise GraphError(f"the output `{self.output}` is not defined by any equation")
        self.params = [name for name in leaves if name in params]
        self._leaf_values = {
            name: exact(values[name], f"the value of `{name}`", first_use[name].line, first_use[name].source)
            for name in leaves
        }
        order = {name: i for i, name in enumerate(self._nodes)}
        if order[self.output] != len(order) - 1:
            later = list(self._nodes)[order[self.output] + 1]
            raise GraphError(f"`{later}` comes after the output `{self.output}`", self._nodes[later].line)

    def _forward(self) -> dict[str, sympy.Expr]:
        values = dict(self._leaf_values)
        for node in self.computed:
            point = {self._symbols[i]: values[i] for i in node.inputs}
            check_size(node.expr, point, f"`{node.name}`", node.line, node.source)
            values[node.name] = exact(node.expr.xreplace(point), f"`{node.name}`", node.line, node.source)
        return values

    def _local_derivatives(self) -> dict[tuple[str, str], tuple[sympy.Expr, sympy.Expr]]:
        local = {}
        for node in self.computed:
            point = {self._symbols[i]: self._values[i] for i in node.inputs}
            check_differentiable(node, point)
            for name in node.inputs:
                expr = sympy.diff(node.expr, self._symbols[name])
                what = f"the derivative of `{node.name}` with respect to `{name}`"
                check_size(expr, point, what, node.line, node.source)
                local[node.name, name] = (expr, exact(expr.xreplace(point), what, node.line, node.source))
        return local

    def _backward(self) -> dict[str, sympy.Expr]:
        gradients = {name: sympy.Integer(0) for name in [*self.leaves, *self._nodes]}
        gradients[self.output] = sympy.Integer(1)
        for node in reversed(self.computed):
            what = f"the gradient ∂{self.output}/∂{node.name}"
            gradients[node.name] = exact(gradients[node.name], what, node.line, node.source)
            for name in node.inputs:
                gradients[name] += self._locals[node.name, name][1] * gradients[node.name]
        for name in self.leaves:
            gradients[name] = exact(gradients[name], f"the gradient ∂{self.output}/∂{name}")
        used = self.upstream(self.output)
        for node in self.computed:
            if node.name not in used:
                raise GraphError(
                    f"`{node.name}` is computed but the output `{self.output}` never uses it",
                    node.line,
                    node.source,
                )
        if not any(p in used for p in self.params):
            out = self.node(self.output)
            raise GraphError(
                f"the output `{self.output}` depends on no parameter "
                f"({', '.join(self.params) or 'none given'})",
                out.line,
                out.source,
            )
        for name in self.params:
            if name not in used:
                raise GraphError(f"parameter `{name}` does not reach the output `{self.output}`")
        return gradients

    def upstream(self, name: str) -> set[str]:
        """Every name that ``name`` is computed from, itself included."""
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.node(current).inputs)
        return seen

    # -- public reads -----------------------------------------------------------------------

    @property
    def nodes(self) -> list[Node]:
        """Leaves (in order of first use), then computed nodes in equation (forward) order."""
        return [*self.leaves.values(), *self._nodes.values()]

    @property
    def computed(self) -> list[Node]:
        """The computed nodes in forward order."""
        return list(self._nodes.values())

    @property
    def values(self) -> dict[str, sympy.Expr]:
        """Every leaf's given value, exact."""
        return dict(self._leaf_values)

    def node(self, name: str) -> Node:
        """The node called ``name``."""
        if name in self._nodes:
            return self._nodes[name]
        if name in self.leaves:
            return self.leaves[name]
        raise KeyError(f"no node named {name!r}")

    def consumers(self, name: str) -> list[str]:
        """The computed nodes that take ``name`` as an input, in forward order."""
        if "_consumers" not in self.__dict__:
            self._consumers: dict[str, list[str]] = {}
            for node in self.computed:
                for each in node.inputs:
                    self._consumers.setdefault(each, []).append(node.name)
        return list(self._consumers.get(name, []))

    def symbol(self, name: str) -> sympy.Symbol:
        """The sympy symbol that stands for ``name`` in the equations."""
        return self._symbols[name]

    def value(self, name: str) -> sympy.Expr:
        """The exact value of a node or leaf."""
        self.node(name)
        return self._values[name]

    def local(self, node: str, wrt: str) -> sympy.Expr:
        """The exact value of d node / d wrt, for a direct input ``wrt`` of ``node``."""
        return self._local_pair(node, wrt)[1]

    def local_expr(self, node: str, wrt: str) -> sympy.Expr:
        """d node / d wrt as a sympy expression in the node's inputs (like ``2*a``)."""
        return self._local_pair(node, wrt)[0]

    def _local_pair(self, node: str, wrt: str):
        try:
            return self._locals[node, wrt]
        except KeyError:
            raise KeyError(f"{wrt!r} is not an input of {node!r}") from None

    def gradient(self, name: str) -> sympy.Expr:
        """dJ/d name, exact: the sum over every path from ``name`` to the output."""
        self.node(name)
        return self._gradients[name]

    def with_values(self, values: Mapping) -> ComputationGraph:
        """The same equations, params and output at other leaf values."""
        merged = {**self._leaf_values, **values}
        return ComputationGraph(self.equations, merged, self.params, self.output)

    def __repr__(self) -> str:
        lines = "; ".join(eq.source for eq in self.equations)
        return f"<ComputationGraph {lines} at {', '.join(f'{n}={v}' for n, v in self._leaf_values.items())}>"
