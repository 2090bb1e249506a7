"""The functions an equation may call: sympy's own plus ``sigmoid`` and ``relu``.

``sigmoid`` and ``relu`` are sympy functions of our own so that a node keeps the
short name a student knows (``a = sigmoid(z)``) while sympy still differentiates it.
"""

from __future__ import annotations

import math

import sympy

__all__ = ["FUNCTIONS", "NUMERIC_FUNCTIONS", "relu", "sigmoid", "KINKED"]


class sigmoid(sympy.Function):  # noqa: N801 - the name students write
    r"""The logistic function 1 / (1 + e^{-z}).

    Examples
    --------
    >>> from sympy import Symbol, diff
    >>> z = Symbol("z")
    >>> diff(sigmoid(z), z)
    (1 - sigmoid(z))*sigmoid(z)
    """

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    @classmethod
    def eval(cls, z):
        if z.is_zero:
            return sympy.Rational(1, 2)
        return None

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return 1 / (1 + sympy.exp(-z))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)

    def _latex(self, printer):
        return rf"\sigma\left({printer._print(self.args[0])}\right)"


class relu(sympy.Function):  # noqa: N801 - the name students write
    """max(0, z); its derivative is 0 for z < 0, 1 for z > 0 and does not exist at 0.

    Examples
    --------
    >>> relu(3), relu(-2)
    (3, 0)
    """

    def fdiff(self, argindex=1):
        return sympy.Heaviside(self.args[0])

    @classmethod
    def eval(cls, z):
        if z.is_Number:
            return z if z > 0 else sympy.Integer(0)
        return None

    def _latex(self, printer):
        return rf"\mathrm{{relu}}\left({printer._print(self.args[0])}\right)"


#: Names an equation may call, and what they mean to sympy.
FUNCTIONS = {
    "exp": sympy.exp,
    "log": sympy.log,
    "ln": sympy.log,
    "sqrt": sympy.sqrt,
    "tanh": sympy.tanh,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "Abs": sympy.Abs,
    "abs": sympy.Abs,
    "sigmoid": sigmoid,
    "relu": relu,
    "pi": sympy.pi,
}

#: How the finite-difference evaluator computes our own functions with floats.
NUMERIC_FUNCTIONS = {
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)),
    "relu": lambda z: max(0.0, z),
    "Heaviside": lambda z, h0=None: 1.0 if z > 0 else 0.0,
}

#: Functions whose derivative does not exist where their argument is zero.
KINKED = (sympy.Abs, relu, sympy.Heaviside, sympy.sign)
