"""Estimates by a nudge of ε, in floats as the lab prints them: a mixin of ComputationGraph.

A float forward pass moves one value by ε and runs the graph on from there, so the
estimate is what a student's own code would compute. A float that overflows, or a
function nudged out of its domain (the log of a negative number), gives ``nan`` here,
never an exception: an estimate is a check, and the exact answers do not depend on it.
"""

from __future__ import annotations

import math

import sympy

from .functions import NUMERIC_FUNCTIONS

__all__ = ["Estimates"]


def _guarded(function):
    """A float function that answers nan instead of raising for overflow or a domain error."""

    def call(*args):
        try:
            value = function(*args)
        except (ArithmeticError, ValueError, TypeError):
            return math.nan
        return float(value.real) if isinstance(value, complex) else float(value)

    return call


class Estimates:
    """The estimates by a nudge of a graph's gradients and local derivatives (floats)."""

    def _evaluate(self, nudged: str, delta: float) -> dict[str, float]:
        """Float forward pass with ``nudged`` moved by ``delta``, the nodes before it unchanged."""
        values: dict[str, float] = {}
        for node in self.nodes:
            if node.name == nudged:
                values[node.name] = float(self._values[node.name]) + delta
            elif node.is_computed:
                values[node.name] = self._numeric(node)(*(values[i] for i in node.inputs))
            else:
                values[node.name] = float(self._values[node.name])
        return values

    def _numeric(self, node):
        cache = self.__dict__.setdefault("_numeric_cache", {})
        if node.name not in cache:
            args = [self._symbols[i] for i in node.inputs]
            cache[node.name] = _guarded(sympy.lambdify(args, node.expr, modules=[NUMERIC_FUNCTIONS, "math"]))
        return cache[node.name]

    def finite_difference(self, name: str, eps: float = 0.001, of: str | None = None) -> float:
        """The lab's one-sided estimate: (J(name + eps) - J) / eps, in floats as the lab prints it.

        ``of`` is the node whose change is measured (default: the output).

        Examples
        --------
        >>> from lab_utils_backprop import config_nw0
        >>> config_nw0.finite_difference("a")  # the lab's 22.001, in floats
        22.000999999988835
        """
        of = self.output if of is None else of
        base = self._evaluate(name, 0.0)[of]
        return (self._evaluate(name, eps)[of] - base) / eps

    def local_difference(self, node: str, wrt: str, eps: float = 0.001) -> float:
        """The estimate of a local derivative: nudge ``wrt`` in ``node``'s own equation only."""
        inputs = self.node(node).inputs
        self._local_pair(node, wrt)
        base = [float(self._values[name]) for name in inputs]
        nudged = [v + eps if name == wrt else v for name, v in zip(inputs, base, strict=True)]
        function = self._numeric(self.node(node))
        return (function(*nudged) - function(*base)) / eps

    def central_difference(self, name: str, eps: float = 1e-6, of: str | None = None) -> float:
        """(J(name + eps) - J(name - eps)) / (2 eps): the more accurate numeric check."""
        of = self.output if of is None else of
        return (self._evaluate(name, eps)[of] - self._evaluate(name, -eps)[of]) / (2 * eps)

    def self_check(self, rtol: float = 1e-5) -> list[str]:
        """Compare every gradient with a central difference; return the disagreements (empty: all agree).

        The allowance grows with |J|, since rounding in J - J' is what limits a difference quotient.
        """
        atol = 1e-7 * (1 + abs(float(self._values[self.output])))
        problems = []
        for node in self.nodes:
            exact_value = float(self._gradients[node.name])
            numeric = self.central_difference(node.name)
            if not math.isclose(exact_value, numeric, rel_tol=rtol, abs_tol=atol):
                problems.append(f"dJ/d{node.name}: exact {exact_value!r}, central difference {numeric!r}")
        return problems
