"""Name the common mistake behind a wrong entry, so the message teaches.

Each check asks whether the student's entry matches a number a typical slip would
produce (under the same precision rule as a right answer): the local derivative
typed where dJ/d(input) was asked, one branch only where a value fans out, a flipped
sign, a forward value in a derivative box, or another box's answer. None of the
messages gives the answer away.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..engine.graph import ComputationGraph
from .answers import check
from .boxes import Box

__all__ = ["chain_rule_text", "diagnose", "plain_frac", "what_is_asked"]


@dataclass(frozen=True)
class _Candidate:
    answer: sympy.Expr


def plain_frac(top: str, bottom: str) -> str:
    """A partial derivative in plain text, like ``∂J/∂a``, for messages."""
    return f"∂{top}/∂{bottom}"


def what_is_asked(graph: ComputationGraph, box: Box) -> str:
    """What a box asks for, in plain text (``a``, ``∂a/∂w`` or ``∂J/∂w``)."""
    if box.kind == "forward":
        return box.node
    if box.kind == "local":
        return plain_frac(box.node, box.wrt)
    return plain_frac(graph.output, box.wrt)


def _matches(number: sympy.Expr, text: str) -> bool:
    return check(_Candidate(number), text).correct


def _gradient_slip(graph: ComputationGraph, box: Box, text: str) -> str | None:
    wrt, output = box.wrt, graph.output
    consumers = graph.consumers(wrt)
    target = plain_frac(output, wrt)
    if len(consumers) > 1:
        for consumer in consumers:
            if _matches(graph.local(consumer, wrt) * graph.gradient(consumer), text):
                return (
                    f"That is only the path through {consumer}. {wrt} feeds {len(consumers)} nodes "
                    f"({', '.join(consumers)}), so {target} adds one term per path."
                )
    for consumer in consumers:
        if consumer == output:
            continue
        upstream = plain_frac(output, consumer)
        if _matches(graph.local(consumer, wrt), text):
            return (
                f"That is {plain_frac(consumer, wrt)}, the local derivative. {target} also needs the "
                f"upstream factor: multiply it by {upstream}."
            )
        if len(consumers) == 1 and _matches(graph.gradient(consumer), text):
            return f"That is {upstream}. Multiply it by the local derivative {plain_frac(consumer, wrt)}."
    return None


def _generic(graph: ComputationGraph, box: Box) -> str:
    if box.kind == "forward":
        node = graph.node(box.node)
        inputs = ", ".join(node.inputs)
        return f"Not right yet. Compute {node.source} from the values of {inputs}."
    if box.kind == "local":
        others = [name for name in graph.node(box.node).inputs if name != box.wrt]
        held = f", holding {', '.join(others)} fixed" if others else ""
        return f"Not right yet. Differentiate {graph.node(box.node).source} with respect to {box.wrt}{held}."
    return f"Not right yet. Use the chain rule: {chain_rule_text(graph, box.wrt)}."


def chain_rule_text(graph: ComputationGraph, wrt: str) -> str:
    """The chain rule for dJ/d(wrt) in plain text, one term per consumer (``∂J/∂w = ∂a/∂w × ∂J/∂a``)."""
    output = graph.output
    terms = " + ".join(
        plain_frac(c, wrt) if c == output else f"{plain_frac(c, wrt)} × {plain_frac(output, c)}"
        for c in graph.consumers(wrt)
    )
    return f"{plain_frac(output, wrt)} = {terms}"


def diagnose(graph: ComputationGraph, boxes: list[Box], box: Box, text: str) -> str:
    """The message for a wrong entry: the mistake it looks like, else what to do.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> boxes = boxes_for(config_nw0)
    >>> diagnose(config_nw0, boxes, boxes[-1], "3")
    'That is ∂a/∂w, the local derivative. ∂J/∂w also needs the upstream factor: multiply it by ∂J/∂a.'
    """
    if box.kind == "gradient":
        slip = _gradient_slip(graph, box, text)
        if slip:
            return slip
    if box.answer != 0 and _matches(-box.answer, text):
        return "The size is right but the sign is flipped: check the sign of each factor."
    if box.is_derivative:
        for name in dict.fromkeys([box.node, box.wrt]):
            if graph.node(name).is_computed and _matches(graph.value(name), text):
                return (
                    f"That is the forward value of {name}. This box asks for a derivative, "
                    f"{what_is_asked(graph, box)}: how much one value changes when another moves."
                )
    for other in boxes:
        if other.id != box.id and other.answer != box.answer and _matches(other.answer, text):
            return (
                f"That is the answer of another box ({what_is_asked(graph, other)}). "
                f"This box asks for {what_is_asked(graph, box)}."
            )
    return _generic(graph, box)
