"""The numbers a typical slip gives for one box, computed at the graph's own values.

For a box, :func:`candidates` lists every mistake we know how to name, each with the
number (or, for an estimate by a nudge of ε, the range of numbers) it produces:
a total for a local derivative and a local derivative for a total, the gradient of the
node it feeds alone, the sign, a constant factor left out, one path of a fan-out, the
paths' terms multiplied instead of added, an input's or a forward value, another box's
answer, and an estimate by a nudge (one-sided either way, or central, for any ε from
1e-1 to 1e-6). :func:`matching` keeps those the typed entry agrees with under the
answer rule, one per meaning; the wording module names a mistake only when it is alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace

import sympy

from ..engine.graph import ComputationGraph
from .answers import check
from .boxes import Box
from .reading import Entry

__all__ = ["Mistake", "candidates", "matching"]

#: The nudges an estimate may have used: every ε from 1e-1 down to 1e-6.
EPSILONS = tuple(10.0**-k for k in range(1, 7))


@dataclass(frozen=True)
class Mistake:
    """One slip: ``kind``, what it is about (``about``), and the number or range it gives.

    ``key`` names the number's meaning, so that the same number reached two ways (the
    local derivative ∂c/∂w and the answer of the box ∂c/∂w) counts once.
    """

    kind: str
    key: str
    low: sympy.Expr | float
    high: sympy.Expr | float | None = None  # None: a single number
    about: tuple[str, ...] = ()

    def matches(self, entry: Entry, text: str) -> bool:
        """Whether the typed entry is this number (rounded as a right answer may be), or in its range."""
        if self.high is None:
            return check(SimpleNamespace(answer=self.low), text).correct
        half_unit = sympy.Integer(0) if entry.decimals is None else sympy.Rational(10) ** -entry.decimals / 2
        value = float(entry.value)
        return self.low - float(half_unit) <= value <= self.high + float(half_unit)


def _coefficients(*expressions: sympy.Expr) -> list[sympy.Rational]:
    """The constant factors in front of expressions (½ of d²/2, 2 of 2a), other than ±1."""
    found = []
    for expression in expressions:
        factor = abs(expression.as_coeff_Mul()[0])
        if factor.is_Rational and factor not in (0, 1) and factor not in found:
            found.append(factor)
    return found


def _estimates(graph: ComputationGraph, box: Box) -> list[float]:
    """Estimates by a nudge, one-sided both ways and central, for every ε; failed nudges left out."""
    found = []
    for eps in EPSILONS:
        try:
            if box.kind == "local":
                up = graph.local_difference(box.node, box.wrt, eps)
                down = graph.local_difference(box.node, box.wrt, -eps)
            else:
                up = graph.finite_difference(box.wrt, eps)
                down = graph.finite_difference(box.wrt, -eps)
        except (ArithmeticError, ValueError, TypeError):
            continue
        found += [value for value in (up, down, (up + down) / 2) if math.isfinite(value)]
    return found


def _estimate_range(graph: ComputationGraph, box: Box) -> Mistake | None:
    """The range of every estimate, widened by the rounding a nudge of 1e-6 suffers in floats."""
    found = _estimates(graph, box)
    if not found:
        return None
    measured = graph.value(box.node if box.kind == "local" else graph.output)
    try:
        noise = 16 * math.ulp(abs(float(measured)) + 1.0) / EPSILONS[-1]
    except OverflowError:
        return None
    return Mistake("estimate", "estimate", min(found) - noise, max(found) + noise)


def _values(graph: ComputationGraph, first: list[str]) -> list[Mistake]:
    """An input's or a forward value typed where a derivative was asked, ``first`` ones first."""
    names = list(dict.fromkeys([*first, *(n.name for n in graph.nodes)]))
    return [
        Mistake(
            "forward" if graph.node(n).is_computed else "value",
            f"forward:{n}" if graph.node(n).is_computed else f"value:{n}",
            graph.value(n),
            about=(n,),
        )
        for n in names
    ]


def _for_forward(graph: ComputationGraph, box: Box) -> list[Mistake]:
    node = graph.node(box.node)
    factors = [
        Mistake("factor", f"factor:{k}", box.answer / k, about=(box.node,)) for k in _coefficients(node.expr)
    ]
    return factors + _values(graph, list(node.inputs))


def _for_local(graph: ComputationGraph, box: Box) -> list[Mistake]:
    node, wrt = box.node, box.wrt
    found = [Mistake("total_for_local", f"gradient:{wrt}", graph.gradient(wrt), about=(wrt,))]
    if node != graph.output:
        found.append(Mistake("gradient_of_node", f"gradient:{node}", graph.gradient(node), about=(node,)))
    expressions = (graph.node(node).expr, graph.local_expr(node, wrt))
    found += [
        Mistake("factor", f"factor:{k}", box.answer / k, about=(node,)) for k in _coefficients(*expressions)
    ]
    return found + _values(graph, [wrt, *graph.node(node).inputs, node])


def _for_gradient(graph: ComputationGraph, box: Box) -> list[Mistake]:
    wrt, output = box.wrt, graph.output
    consumers = graph.consumers(wrt)
    found = []
    terms = [graph.local(c, wrt) * graph.gradient(c) for c in consumers]
    if len(consumers) > 1:
        found += [
            Mistake("one_path", f"path:{c}", t, about=(c,)) for c, t in zip(consumers, terms, strict=True)
        ]
        found.append(Mistake("product", "product", sympy.Mul(*terms), about=tuple(consumers)))
    for c in consumers:
        if c != output:
            found.append(Mistake("local_for_total", f"local:{c}:{wrt}", graph.local(c, wrt), about=(c,)))
            found.append(Mistake("gradient_alone", f"gradient:{c}", graph.gradient(c), about=(c,)))
    if consumers == [output]:
        expressions = (graph.node(output).expr, graph.local_expr(output, wrt))
        found += [
            Mistake("factor", f"factor:{k}", box.answer / k, about=(output,))
            for k in _coefficients(*expressions)
        ]
    return found + _values(graph, [wrt, *consumers])


#: The slips of the chain rule itself, as opposed to a number that is also found elsewhere.
COMMON = (
    "sign",
    "factor",
    "total_for_local",
    "gradient_of_node",
    "local_for_total",
    "gradient_alone",
    "one_path",
    "product",
)


def candidates(
    graph: ComputationGraph, boxes: list[Box], box: Box, everything: bool = False
) -> list[Mistake]:
    """Every named slip for ``box``, most telling first; numbers equal to the answer left out.

    ``everything`` keeps them (and one entry per key) and leaves out the estimate, for
    choosing numbers where slips differ.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> boxes = boxes_for(config_nw0)
    >>> [(m.kind, m.low) for m in candidates(config_nw0, boxes, boxes[-1])][:3]
    [('sign', -66), ('local_for_total', 3), ('gradient_alone', 22)]
    """
    specific = {"forward": _for_forward, "local": _for_local, "gradient": _for_gradient}[box.kind](graph, box)
    found = specific[:]
    if box.answer != 0:
        found.insert(0, Mistake("sign", "sign", -box.answer))
    found += [
        Mistake("other_box", other.id, other.answer, about=(other.id,))
        for other in boxes
        if other.id != box.id
    ]
    if everything:
        return list({m.key: m for m in reversed(found)}.values())
    if box.is_derivative:
        estimate = _estimate_range(graph, box)
        if estimate is not None:
            found.append(estimate)
    unique: dict[str, Mistake] = {}
    for mistake in found:
        if mistake.high is None and mistake.low == box.answer:
            continue
        unique.setdefault(mistake.key, mistake)
    return list(unique.values())


def matching(graph: ComputationGraph, boxes: list[Box], box: Box, entry: Entry, text: str) -> list[Mistake]:
    """The slips that give the typed entry, one per meaning (an entry may match several)."""
    return [m for m in candidates(graph, boxes, box) if m.matches(entry, text)]
