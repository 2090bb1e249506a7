"""The functions an equation may call, in one table: what each means to sympy, to floats,
in a lesson's numpy and sympy code, and what a student should know about its derivative.

``sigmoid`` and ``relu`` are sympy functions of our own so that a node keeps the
short name a student knows (``a = sigmoid(z)``) while sympy still differentiates it.
Every other table (the parser's namespace, the float evaluator, the lesson's spellings)
is read from :data:`TABLE`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

__all__ = [
    "DERIVATIVE_NOTES",
    "FUNCTIONS",
    "HELPERS",
    "KINKED",
    "NUMERIC",
    "NUMERIC_FUNCTIONS",
    "SYMBOLIC",
    "TABLE",
    "Function",
    "relu",
    "sigmoid",
]


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

    def _latex(self, printer, exp=None):
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\sigma{power}\left({printer.doprint(self.args[0])}\right)"


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

    def _latex(self, printer, exp=None):
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\mathrm{{relu}}{power}\left({printer.doprint(self.args[0])}\right)"


_SIGMOID_CODE = """def sigmoid(z):
    \"\"\"σ(z) for numbers.\"\"\"
    return 1 / (1 + np.exp(-z))


def sigmoid_sym(z):
    \"\"\"σ(z) for sympy, written out so that sympy can differentiate it.\"\"\"
    return 1 / (1 + sp.exp(-z))"""
_RELU_CODE = """def relu(z):
    \"\"\"max(z, 0) for numbers.\"\"\"
    return np.maximum(z, 0.0)


def relu_sym(z):
    \"\"\"max(z, 0) for sympy; its derivative is a step (Heaviside).\"\"\"
    return sp.Max(z, 0)"""


@dataclass(frozen=True)
class Function:
    """One name an equation may use.

    ``meaning`` is the sympy function (or constant); ``numpy`` and ``sympy_code`` how a
    lesson's code cells spell it (None: under its own name, defined by ``helper``);
    ``note`` what a lesson says about its derivative (None: nothing to say).
    """

    name: str
    meaning: object
    numpy: str | None
    sympy_code: str
    note: str | None = None
    helper: str | None = None


_LN = r"The derivative of $\ln u$ is $1/u$."
_ABS = r"The derivative of $|u|$ is the sign of $u$ ($u \neq 0$)."

#: Every name an equation may use, once.
TABLE = {
    f.name: f
    for f in (
        Function("exp", sympy.exp, "np.exp", "sp.exp", r"The derivative of $e^u$ is $e^u$ itself."),
        Function("log", sympy.log, "np.log", "sp.log", _LN),
        Function("ln", sympy.log, "np.log", "sp.log", _LN),
        Function(
            "sqrt", sympy.sqrt, "np.sqrt", "sp.sqrt", r"The derivative of $\sqrt{u}$ is $1/(2\sqrt{u})$."
        ),
        Function(
            "tanh", sympy.tanh, "np.tanh", "sp.tanh", r"The derivative of $\tanh u$ is $1 - \tanh^2 u$."
        ),
        Function("sin", sympy.sin, "np.sin", "sp.sin", r"The derivative of $\sin u$ is $\cos u$."),
        Function("cos", sympy.cos, "np.cos", "sp.cos", r"The derivative of $\cos u$ is $-\sin u$."),
        Function("Abs", sympy.Abs, "abs", "sp.Abs", _ABS),
        Function("abs", sympy.Abs, "abs", "sp.Abs", _ABS),
        Function(
            "sigmoid",
            sigmoid,
            None,
            "sigmoid_sym",
            r"For sympy, $\sigma(z)$ is written out as $1/(1 + e^{-z})$; its derivative equals "
            r"$\sigma(z)\,(1 - \sigma(z))$, whichever way sympy prints it.",
            _SIGMOID_CODE,
        ),
        Function(
            "relu",
            relu,
            None,
            "relu_sym",
            r"relu has slope 1 where its input is positive and 0 where it is negative "
            r"(sympy writes this step as `Heaviside`).",
            _RELU_CODE,
        ),
        Function("pi", sympy.pi, "np.pi", "sp.pi"),
    )
}

#: Names an equation may call, and what they mean to sympy (the parser's namespace).
FUNCTIONS = {name: f.meaning for name, f in TABLE.items()}
#: How a lesson's numeric cells and its sympy cells spell each name.
NUMERIC = {name: f.numpy for name, f in TABLE.items() if f.numpy}
SYMBOLIC = {name: f.sympy_code for name, f in TABLE.items()}
#: Functions numpy and sympy lack under our names: defined in the lesson itself.
HELPERS = {name: f.helper for name, f in TABLE.items() if f.helper}
#: What a student should know about the derivative of each function.
DERIVATIVE_NOTES = {name: f.note for name, f in TABLE.items() if f.note}

#: How the estimate's float evaluator computes our own functions (and relu's step).
NUMERIC_FUNCTIONS = {
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)),
    "relu": lambda z: max(0.0, z),
    "Heaviside": lambda z, h0=None: 1.0 if z > 0 else 0.0,
}

#: Functions whose derivative does not exist where their argument is zero.
KINKED = (sympy.Abs, relu, sympy.Heaviside, sympy.sign)
