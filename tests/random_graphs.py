"""Random computation graphs for property tests and benchmarks.

Every node uses earlier names only, so the equations are in forward order, and the
last node adds up every node nobody consumed yet, so the output uses them all.
"""

from __future__ import annotations

import random
import re

from hypothesis import strategies as st

from lab_utils_backprop import ComputationGraph, GraphError

UNARY = ["{0}**2", "exp({0}/4)", "tanh({0})", "sigmoid({0})", "3*{0} - 1", "{0}/(1 + {0}**2)"]
BINARY = ["{0} + {1}", "{0} - {1}", "{0}*{1}", "{0}*{1} + {0}"]


def random_equations(rng: random.Random, n_nodes: int, n_params: int = 2, n_data: int = 1):
    """(equations, values, params) for a random graph with ``n_nodes`` computed nodes."""
    params = [f"w{i}" for i in range(n_params)]
    data = [f"x{i}" for i in range(n_data)]
    values = {name: rng.choice([-3, -2, -1, 1, 2, 3, "1/2", "-3/2"]) for name in params + data}
    names = params + data
    unused = set(names)
    equations = []
    for i in range(n_nodes - 1):
        if i == 0 or rng.random() < 0.5:
            args = [params[0] if i == 0 else rng.choice(names)]
            template = rng.choice(UNARY)
        else:
            args = rng.sample(names, 2) if len(names) > 1 else names * 2
            template = rng.choice(BINARY)
        name = f"n{i}"
        equations.append(f"{name} = " + template.format(*args))
        unused -= set(args)
        unused.add(name)
        names.append(name)
    leftovers = sorted(unused - set(data)) or [names[-1]]
    equations.append("J = " + " + ".join(f"{n}**2" if rng.random() < 0.5 else n for n in leftovers))
    used = {name for name in values if any(re.search(rf"\b{name}\b", eq) for eq in equations)}
    return equations, {k: v for k, v in values.items() if k in used}, [p for p in params if p in used]


def random_graph(seed: int, n_nodes: int, **kwargs) -> ComputationGraph:
    """A random graph built from ``random_equations`` with a seeded generator."""
    return ComputationGraph.from_equations(*random_equations(random.Random(seed), n_nodes, **kwargs))


def _graph_or_none(seed: int, n_nodes: int, **kwargs) -> ComputationGraph | None:
    """A random graph, or None for the rare draw whose numbers leave the engine's bounds (1e300)."""
    try:
        return random_graph(seed, n_nodes, **kwargs)
    except GraphError:
        return None


def graphs(max_nodes: int = 12):
    """A hypothesis strategy of random graphs (fan-out happens often: names are reused)."""
    return st.builds(
        _graph_or_none,
        seed=st.integers(0, 2**32 - 1),
        n_nodes=st.integers(1, max_nodes),
        n_params=st.integers(1, 3),
        n_data=st.integers(0, 2),
    ).filter(lambda graph: graph is not None)


def tanh_neuron() -> ComputationGraph:
    """A tanh neuron whose forward value is tanh(0.5), so its answers are Floats, not fractions."""
    return ComputationGraph.from_equations(
        ["z = w*x + b", "a = tanh(z)", "J = (a - y)**2/2"],
        {"w": "1/2", "x": 1, "b": 0, "y": 1},
        params=["w", "b"],
    )
