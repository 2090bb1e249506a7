"""What a box asks for and what a wrong entry means, in the diagram's words.

:mod:`.mistakes` computes the numbers slips give; this module words them. A mistake is
named only when the entry matches it alone; two matches are both named; more say what
is certain (the number comes up in several places) and what to do. No message is
circular, empty, or gives the answer; math reads as written (``3w + 2``, ``d²/2``).
"""

from __future__ import annotations

import sympy

from ..engine.graph import ComputationGraph
from .boxes import Box
from .chain_rule import chain_rule_text
from .mistakes import Mistake, matching
from .plain_math import plain_equation, plain_frac
from .reading import AnswerError, read_entry

__all__ = ["box_name", "diagnose", "equation", "not_yet", "what_is_asked"]


def equation(graph: ComputationGraph, name: str) -> str:
    """A node's equation as a reader writes it (``a = 2 + 3w``)."""
    node = graph.node(name)
    return plain_equation(name, node.source if node.source else node.expr)


def _fans_into_output(graph: ComputationGraph, wrt: str) -> bool:
    consumers = graph.consumers(wrt)
    return graph.output in consumers and len(consumers) > 1


def what_is_asked(graph: ComputationGraph, box: Box) -> str:
    """What a box asks for: ``a``, ``∂a/∂w``, or ``∂J/∂w``; marked (local) or (total) where both exist."""
    if box.kind == "forward":
        return box.node
    if box.kind == "local":
        local = box.node == graph.output
        return plain_frac(box.node, box.wrt) + (" (local)" if local else "")
    return gradient_name(graph, box.wrt)


def gradient_name(graph: ComputationGraph, name: str) -> str:
    """``∂J/∂name``, marked (total) where a local box of the output has the same fraction."""
    return plain_frac(graph.output, name) + (" (total)" if _fans_into_output(graph, name) else "")


def box_name(graph: ComputationGraph, box: Box) -> str:
    """The name of a box in a list: what it asks and its kind, with the path for a fan-out.

    Examples
    --------
    >>> from lab_utils_backprop import config_fanout
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> names = [box_name(config_fanout, b) for b in boxes_for(config_fanout)]
    >>> names[0], names[-2], names[-1]
    ('p (forward value)', '∂p/∂w (local derivative, path w → p)', '∂J/∂w (gradient, 2 paths)')
    """
    asked = (
        box.node
        if box.kind == "forward"
        else plain_frac(box.node if box.kind == "local" else graph.output, box.wrt)
    )
    if box.kind == "forward":
        return f"{asked} (forward value)"
    consumers = graph.consumers(box.wrt)
    if box.kind == "local":
        path = f", path {box.wrt} → {box.node}" if len(consumers) > 1 else ""
        return f"{asked} (local derivative{path})"
    return f"{asked} (gradient{f', {len(consumers)} paths' if len(consumers) > 1 else ''})"


def _kind_of(answer: sympy.Expr) -> str:
    if answer.is_Integer:
        return "here it is a whole number"
    if answer.is_Rational:
        return "here it is a fraction (type it as a fraction or its exact decimal)"
    return "here it is not a whole number: keep at least three significant figures"


def _phrase(graph: ComputationGraph, boxes: list[Box], box: Box, m: Mistake) -> str:
    """A short noun phrase for a mistake, for "two slips give this number: ..., or ..."."""
    (first, *_) = m.about or ("",)
    by_id = {b.id: b for b in boxes}
    return {
        "sign": lambda: "the right size with the sign flipped",
        "factor": lambda: f"{equation(graph, first)} with a constant factor left out",
        "total_for_local": lambda: f"the gradient {gradient_name(graph, first)}, a total",
        "gradient_of_node": lambda: f"the gradient of {first}, {gradient_name(graph, first)}",
        "local_for_total": lambda: f"the local derivative {plain_frac(first, box.wrt)} alone",
        "gradient_alone": lambda: f"the gradient {gradient_name(graph, first)} alone",
        "one_path": lambda: f"the path through {first} alone",
        "product": lambda: "the paths' terms multiplied instead of added",
        "forward": lambda: f"the forward value of {first}",
        "value": lambda: f"the value of {first}",
        "other_box": lambda: (
            f"the answer of the box {what_is_asked(graph, by_id[first]) if first in by_id else first}"
        ),
        "estimate": lambda: "an estimate by a nudge of ε",
    }[m.kind]()


def _message(graph: ComputationGraph, boxes: list[Box], box: Box, m: Mistake) -> str:
    """The full message when a mistake is the only one that gives the entry."""
    asked, (first, *_) = what_is_asked(graph, box), (m.about or ("",))
    wrt, node = box.wrt, box.node
    consumers = graph.consumers(wrt) if wrt else []
    local_task = f"how {node} changes when only {wrt} moves in {equation(graph, node)}" if wrt else ""
    feeds = f"{', '.join(consumers[:-1])} and {consumers[-1]}" if len(consumers) > 1 else ""
    paths = f"{wrt} feeds {feeds}, so {asked} adds one term per path"
    others = f" Then add the other paths' terms: {paths}." if len(consumers) > 1 else ""
    if m.kind == "sign":
        return "The size is right but the sign is flipped: check the sign of each factor."
    if m.kind == "factor":
        return f"It looks like a constant factor of {equation(graph, first)} was left out: keep every factor."
    if m.kind == "total_for_local":
        return (
            f"That is {gradient_name(graph, first)}, the gradient (the total through the graph). "
            f"This box asks for the local derivative {asked}: {local_task}."
        )
    if m.kind == "gradient_of_node":
        return (
            f"That is {gradient_name(graph, first)}, the gradient of {first}. "
            f"This box asks only for {asked}: {local_task}."
        )
    if m.kind == "local_for_total":
        return (
            f"That is {plain_frac(first, wrt)}, the local derivative alone. {asked} also needs the "
            f"gradient of the node it feeds: multiply it by {gradient_name(graph, first)}.{others}"
        )
    if m.kind == "gradient_alone":
        return (
            f"That is {gradient_name(graph, first)}, the gradient of the node {wrt} feeds. "
            f"Multiply it by the local derivative {plain_frac(first, wrt)}.{others}"
        )
    if m.kind == "one_path":
        return f"That is only the path through {first}. {paths}."
    if m.kind == "product":
        return f"That multiplies the paths' terms, which add up instead: {paths}."
    if m.kind in ("forward", "value") and box.kind == "forward":
        used = first in graph.node(node).inputs
        role = f"an input of {node}" if used else "another value in the graph"
        return (
            f"That is the value of {first}, {role}. Compute {equation(graph, node)} from its inputs' values."
        )
    if m.kind == "value" and first == wrt and box.kind == "local":
        return f"That is the value of {wrt} itself. {asked} asks {local_task}: differentiate it."
    if m.kind in ("forward", "value"):
        what = "forward value" if m.kind == "forward" else "value"
        return (
            f"That is the {what} of {first}. This box asks for a derivative, {asked}: "
            "how much one value changes when another moves."
        )
    if m.kind == "estimate":
        return (
            f"That is close to {asked}, like an estimate by a nudge of ε: an estimate carries an ε term "
            f"(and rounding), so it is not exact. Work it out exactly; {_kind_of(box.answer)}."
        )
    return f"That is {_phrase(graph, boxes, box, m)}. This box asks for {asked}."


def _what_to_do(graph: ComputationGraph, box: Box) -> str:
    node = graph.node(box.node)
    if box.kind == "forward":
        inputs = ", ".join(node.inputs)
        return (
            f"Compute {equation(graph, box.node)} from the value{'s' * (len(node.inputs) > 1)} of {inputs}."
        )
    if box.kind == "local":
        others = [name for name in node.inputs if name != box.wrt]
        held = f", holding {', '.join(others)} fixed" if others else ""
        return f"Differentiate {equation(graph, box.node)} with respect to {box.wrt}{held}."
    if graph.consumers(box.wrt) == [graph.output]:
        return (
            f"{box.wrt} feeds the output {graph.output} directly, so this is the local derivative of "
            f"{equation(graph, graph.output)}: differentiate it with respect to {box.wrt}."
        )
    return f"Use the chain rule: {chain_rule_text(graph, box.wrt)}."


def diagnose(graph: ComputationGraph, boxes: list[Box], box: Box, text: str) -> str:
    """The message for a wrong entry: the one mistake it matches, both of two, else what to do.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> boxes = boxes_for(config_nw0)
    >>> diagnose(config_nw0, boxes, boxes[-1], "22")
    'That is ∂J/∂a, the gradient of the node w feeds. Multiply it by the local derivative ∂a/∂w.'
    >>> print(diagnose(config_nw0, boxes, boxes[-1], "3"))  # w = 3 too: both are named
    Two slips give this number: the local derivative ∂a/∂w alone, or the value of w. This box asks for ∂J/∂w.
    >>> diagnose(config_nw0, boxes, boxes[2], "22.001")[:60]
    'That is close to ∂J/∂a, like an estimate by a nudge of ε: an'
    """
    try:
        entry = read_entry(text)
    except AnswerError as error:
        return str(error)
    found = matching(graph, boxes, box, entry, text)
    if len(found) == 1:
        return _message(graph, boxes, box, found[0])
    phrases = [_phrase(graph, boxes, box, m) for m in found]
    if len(found) == 2:
        asked = what_is_asked(graph, box)
        return f"Two slips give this number: {phrases[0]}, or {phrases[1]}. This box asks for {asked}."
    if found:
        more = "; ..." if len(phrases) > 3 else ""
        return (
            f"That number comes up in several places ({'; '.join(phrases[:3])}{more}), so it points to no "
            f"one slip. {_what_to_do(graph, box)}"
        )
    return f"Not right yet. {_what_to_do(graph, box)}"


def not_yet(graph: ComputationGraph, box: Box, filled: set[str]) -> str:
    """A gentle note when a derivative comes before the forward values it uses ("" when none is missing)."""
    if not box.is_derivative:
        return ""
    if box.kind == "local":
        pairs = [(box.node, box.wrt)]
    else:
        reach = [n.name for n in graph.computed if box.wrt in graph.upstream(n.name)]
        pairs = [(n, i) for n in reach for i in graph.node(n).inputs]
    used = {s.name for n, i in pairs for s in graph.local_expr(n, i).free_symbols}
    missing = [n.name for n in graph.computed if n.name in used and f"forward:{n.name}" not in filled]
    if not missing:
        return ""
    names = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
    return (
        f" (Note: this uses the forward value{'s' * (len(missing) > 1)} of {names}, not filled in yet; "
        "working left to right first makes the derivatives easier.)"
    )
