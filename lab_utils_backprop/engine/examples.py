"""The lessons' graphs: the original lab's two, the sigmoid neuron it planned, and a fan-out.

Every answer comes from the engine (sympy), never typed by hand: the original's
hand-written sigmoid-neuron derivatives had two errors.
"""

from __future__ import annotations

from .graph import ComputationGraph

__all__ = ["config_fanout", "config_neuron", "config_nw0", "config_nw1"]

#: Part 1 of the lab: J = (2 + 3w)^2 at w = 3, split into two nodes (5 boxes).
config_nw0 = ComputationGraph.from_equations(
    ["a = 2 + 3*w", "J = a**2"],
    {"w": 3},
)

#: Part 2: a one-weight "network" with data x, y and parameters w, b (13 boxes).
config_nw1 = ComputationGraph.from_equations(
    ["c = w*x", "a = c + b", "d = a - y", "J = d**2/2"],
    {"w": -2, "b": 8, "x": 2, "y": 1},
    params=["w", "b"],
)

#: The sigmoid neuron the original planned: two inputs, squared error, written node by node.
config_neuron = ComputationGraph.from_equations(
    [
        "d = x0*w0",
        "e = x1*w1",
        "f = d + e + b",
        "g = -f",
        "h = exp(g)",
        "i = h + 1",
        "a = 1/i",
        "k = y - a",
        "L = k**2",
    ],
    {"x0": 1, "x1": 2, "w0": -2, "w1": 3, "b": -4, "y": 1},
    params=["w0", "w1", "b"],
)

#: Fan-out: w is used twice (in the prediction and in a penalty), so dJ/dw adds two paths.
config_fanout = ComputationGraph.from_equations(
    ["p = w*x", "e = p - y", "r = w**2", "J = e**2 + r"],
    {"w": 2, "x": 3, "y": 5},
    params=["w"],
)
