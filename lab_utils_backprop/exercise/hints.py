"""The hints for one box, step by step: what it asks, how to compute it, then an estimate.

Math reads as written (``∂(wx)/∂w = x``, ``3w + 2``), the chain rule comes from
:mod:`.chain_rule`, and the estimate is the lab's nudge by ε = 0.001.
"""

from __future__ import annotations

import math

from ..engine.graph import ComputationGraph
from .answers import format_number
from .boxes import Box
from .chain_rule import chain_rule_text
from .feedback import equation, what_is_asked
from .plain_math import plain

__all__ = ["NUDGE", "hints"]

#: The lab's nudge.
NUDGE = 0.001


def _nudge(moved: str, changed: str, asked: str, estimate: float) -> str:
    """The estimate step; floats can fail where exact numbers do not (a value overflows, a log's domain)."""
    if not math.isfinite(estimate):
        return f"Nudging {moved} by {NUDGE} cannot be computed in floats here: work {asked} out exactly."
    change = f"{changed} changes by about {estimate * NUDGE:.6g}"
    return f"Nudge {moved} by {NUDGE}: {change}, so {asked} ≈ {estimate:.6g}."


def _local_rule(graph: ComputationGraph, node: str, wrt: str) -> str:
    expr = graph.node(node).expr
    inner = plain(expr) if expr.is_Atom else f"({plain(expr)})"
    return f"∂{inner}/∂{wrt} = {plain(graph.local_expr(node, wrt))}"


def hints(graph: ComputationGraph, box: Box) -> list[str]:
    """The hint steps for a box, in order (the tutor reveals the answer after the last).

    Examples
    --------
    >>> from lab_utils_backprop import config_nw1
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> hints(config_nw1, boxes_for(config_nw1)[-2])[1]
    "∂(wx)/∂w = x; put in the values of c's inputs."
    """
    asked = what_is_asked(graph, box)
    if box.kind == "forward":
        node = graph.node(box.node)
        known = ", ".join(f"{name} = {format_number(graph.value(name))}" for name in node.inputs)
        return [
            f"{asked} is a forward value: work left to right and compute {equation(graph, box.node)}.",
            f"Put in {known}." if known else f"{equation(graph, box.node)} uses no other value.",
        ]
    if box.kind == "local":
        estimate = graph.local_difference(box.node, box.wrt, NUDGE)
        return [
            f"{asked} is a local derivative: how much {box.node} changes when only {box.wrt} moves.",
            f"{_local_rule(graph, box.node, box.wrt)}; put in the values of {box.node}'s inputs.",
            _nudge(box.wrt, box.node, asked, estimate),
        ]
    output, consumers = graph.output, graph.consumers(box.wrt)
    estimate = graph.finite_difference(box.wrt, NUDGE)
    fan_out = (
        f" {box.wrt} feeds {len(consumers)} nodes, so add one term per path." if len(consumers) > 1 else ""
    )
    if consumers == [output]:
        how = f"{_local_rule(graph, output, box.wrt)}; put in the values of {output}'s inputs."
    else:
        how = f"Chain rule: {chain_rule_text(graph, box.wrt)}, using the boxes to the right."
    return [
        f"{asked}: how much {output} changes when {box.wrt} moves. Work right to left.{fan_out}",
        how,
        _nudge(box.wrt, output, asked, estimate),
    ]
