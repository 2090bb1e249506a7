"""How the cost of building a graph and its boxes grows with its size, and against the naive way.

Run: ``python benchmarks/bench_graph.py``. Prints, for chains and fan-out graphs of 10 to
1,000 nodes (exp and tanh among them): the median time to build the graph and all its
boxes, the time per node as a ratio to the 10-node graph's time per node (flat means
linear), and, where it finishes within the limit, the naive way's time as a ratio to ours
(substitute everything into one expression, then sympy.diff it per parameter).
Ratios are measured in one process, so a busy machine moves both sides alike.
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import sys
import time

import sympy
from sympy.core.cache import clear_cache

from lab_utils_backprop import ComputationGraph
from lab_utils_backprop.engine.equations import parse_equations
from lab_utils_backprop.exercise.boxes import boxes_for

SIZES = [10, 30, 100, 300, 1000]
NAIVE_LIMIT_S = 20.0
OPS = ["tanh({0} + {w})", "{0}*{w}", "exp({0}/8)", "{0}**2/4 - {w}"]


def chain(n: int) -> tuple[list[str], dict]:
    """z0 = w0*x, then each node uses the one before it and one of three parameters."""
    lines = ["z0 = w0*x"] + [f"z{i} = " + OPS[i % 4].format(f"z{i - 1}", w=f"w{i % 3}") for i in range(1, n)]
    return lines, {"x": "1/2", "w0": "1/3", "w1": "-1/5", "w2": "1/4"}


def fan_out(n: int) -> tuple[list[str], dict]:
    """Each node uses the one before it and one halfway back, so values fan out to two consumers."""
    lines = ["z0 = w0*x", "z1 = tanh(z0 + w1)"]
    for i in range(2, n):
        lines.append(
            f"z{i} = " + ("tanh(({0} + {1})/2)" if i % 2 else "{0}*{1}/2").format(f"z{i - 1}", f"z{i // 2}")
        )
    return lines, {"x": "1/2", "w0": "1/3", "w1": "-1/5"}


def build(lines, values):
    graph = ComputationGraph.from_equations(lines, values)
    return graph, boxes_for(graph)


def naive(lines, values) -> None:
    """The naive way: the output as one expression in the leaves, differentiated per parameter."""
    full, symbols = {}, {}
    equations = parse_equations(lines)
    for eq in equations:
        full[sympy.Symbol(eq.name, real=True)] = eq.expr.xreplace(full)
        symbols.update({s.name: s for s in eq.expr.free_symbols})
    output = full[sympy.Symbol(equations[-1].name, real=True)]
    point = {symbols[name]: sympy.Rational(value) for name, value in values.items()}
    for name in values:
        sympy.diff(output, symbols[name]).xreplace(point).evalf(30)


def _naive_worker(lines, values, queue):
    start = time.perf_counter()
    try:
        naive(lines, values)
    except RecursionError:  # sympy recurses once per level of the nested expression
        queue.put("RecursionError")
        return
    queue.put(time.perf_counter() - start)


def naive_time(lines, values) -> float | str:
    """Seconds for the naive way, or why it did not finish."""
    queue = mp.Queue()
    process = mp.Process(target=_naive_worker, args=(lines, values, queue))
    process.start()
    process.join(NAIVE_LIMIT_S)
    if process.is_alive():
        process.terminate()
        process.join()
        return f"> {NAIVE_LIMIT_S:.0f} s"
    return queue.get()


def median_time(function, *args, repeat: int) -> float:
    """Median seconds of ``function(*args)``, each run from an empty sympy cache.

    Without clearing it, the repeats of a small graph find everything cached and look
    cheaper per node than a large graph that overflows the cache.
    """
    times = []
    for _ in range(repeat):
        clear_cache()
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    print(f"{'family':<8} {'nodes':>6} {'ours ms':>9} {'per node vs 10':>15} {'naive / ours':>13}")
    for family in (chain, fan_out):
        base_per_node = None
        for n in SIZES:
            lines, values = family(n)
            ours = median_time(build, lines, values, repeat=5 if n <= 100 else 3)
            per_node = ours / n
            base_per_node = base_per_node or per_node
            slow = naive_time(lines, values) if n <= 100 else "not run"
            ratio = f"{slow / ours:13.1f}" if isinstance(slow, float) else f"{slow:>13}"
            print(f"{family.__name__:<8} {n:>6} {ours * 1000:9.1f} {per_node / base_per_node:15.2f} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
