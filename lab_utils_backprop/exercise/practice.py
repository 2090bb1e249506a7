"""Other friendly numbers for the same graph, so a student can do it again.

Draws small integers for the leaves from a seeded generator and keeps a draw whose
every forward value and gradient is friendly: a short decimal (a denominator made of
2s and 5s, at most two decimals) of modest size, or, for a graph through exp or tanh, a
finite number of modest size. Among friendly draws it keeps the one where the common
slips (a flipped sign, a forgotten factor, a local derivative for a total, one path of a
fan-out ...) give numbers distinct from each other and from the answer, so the feedback
can name them; coincidences with other boxes' numbers are kept as few as it can. The
same seed always gives the same numbers; the lab's own graphs keep the lab's numbers.
"""

from __future__ import annotations

import random

import sympy

from ..engine.equations import GraphError
from ..engine.graph import ComputationGraph
from .boxes import boxes_for
from .mistakes import COMMON, candidates

__all__ = ["clashes", "practice_values"]

LIMIT = 1000
#: Draws tried: more for a small graph, fewer for a large one (each draw judges every box).
TRIES, BOX_BUDGET = 10, 600
DRAWN = (-4, -3, -2, -1, 1, 2, 3, 4, 5)


def is_friendly(number: sympy.Expr) -> bool:
    """A number a student can work with by hand: small, and a short decimal when rational."""
    if abs(number) > LIMIT:
        return False
    if number.is_Rational:
        return number.q in (1, 2, 4, 5, 10, 20, 25, 50, 100)
    return True


def clashes(graph: ComputationGraph) -> tuple[int, int]:
    """(common slips equal to the answer or to each other, other coincidences), summed over boxes.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw1
    >>> clashes(config_nw1)[0] > 0  # the lab's numbers: forgetting ½ of d²/2 gives ∂J/∂w's 6, ...
    True
    """
    boxes = boxes_for(graph)
    common = other = 0
    for box in boxes:
        slips = candidates(graph, boxes, box, everything=True)
        numbers = [box.answer]
        for slip in slips:
            same = sum(slip.low == number for number in numbers)
            if slip.kind in COMMON:
                common += same
            else:
                other += same
            numbers.append(slip.low)
    return common, other


def practice_values(graph: ComputationGraph, seed: int) -> dict[str, int]:
    """Leaf values that differ from the graph's, keep every box friendly and its slips apart.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> practice_values(config_nw0, seed=1) == practice_values(config_nw0, seed=1)
    True
    """
    rng = random.Random(seed)
    current = graph.values
    best, best_score = dict(current), None
    for _ in range(max(TRIES, BOX_BUDGET // len(boxes_for(graph)))):
        values = {name: rng.choice(DRAWN) for name in current}
        if values == current:
            continue
        try:
            candidate = graph.with_values(values)
        except GraphError:
            continue
        boxes = boxes_for(candidate)
        if not all(is_friendly(box.answer) for box in boxes) or not any(box.answer != 0 for box in boxes):
            continue
        score = clashes(candidate)
        if best_score is None or score < best_score:
            best, best_score = values, score
        if score == (0, 0):
            break
    return best
