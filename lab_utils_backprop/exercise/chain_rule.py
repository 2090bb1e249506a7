r"""The chain rule for one gradient, one term per path: the one place it is spelled out.

The same rule is written as LaTeX for the diagram and the lessons
(``\frac{\partial J}{\partial w} = ...``) and as plain text for messages and hints
(``∂J/∂w = ∂a/∂w × ∂J/∂a``). A path straight into the output is that node's local
derivative alone, marked local so that the line never reads ``∂J/∂w = ∂J/∂w``.
"""

from __future__ import annotations

from ..engine.graph import ComputationGraph
from .boxes import frac, local_label
from .plain_math import plain_frac

__all__ = ["chain_rule_latex", "chain_rule_text", "chain_terms", "frac"]  # frac: the fractions it is made of


def chain_terms(graph: ComputationGraph, wrt: str) -> list[tuple[str, str | None]]:
    """Each path's (node it feeds, gradient node or None when that node is the output)."""
    output = graph.output
    return [(c, None if c == output else c) for c in graph.consumers(wrt)]


def chain_rule_latex(graph: ComputationGraph, wrt: str) -> str:
    r"""The chain-rule line for dJ/d(wrt) in LaTeX, one term per consumer.

    Examples
    --------
    >>> g = ComputationGraph.from_equations("a = 2 + 3*w\nJ = a**2", {"w": 3})
    >>> print(chain_rule_latex(g, "w"))
    \frac{\partial J}{\partial w} = \frac{\partial a}{\partial w} \times \frac{\partial J}{\partial a}
    """
    output = graph.output
    terms = [
        local_label(graph, c, wrt) if via is None else rf"{frac(c, wrt)} \times {frac(output, c)}"
        for c, via in chain_terms(graph, wrt)
    ]
    return f"{frac(output, wrt)} = " + " + ".join(terms)


def chain_rule_text(graph: ComputationGraph, wrt: str) -> str:
    """The same line in plain text; a path straight into the output is marked "(local)".

    Examples
    --------
    >>> g = ComputationGraph.from_equations("a = w*w\\nJ = a + w", {"w": 2})
    >>> chain_rule_text(g, "w")
    '∂J/∂w = ∂a/∂w × ∂J/∂a + ∂J/∂w (local)'
    """
    output = graph.output
    terms = [
        f"{plain_frac(c, wrt)} (local)" if via is None else f"{plain_frac(c, wrt)} × {plain_frac(output, c)}"
        for c, via in chain_terms(graph, wrt)
    ]
    return f"{plain_frac(output, wrt)} = " + " + ".join(terms)
