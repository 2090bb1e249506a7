"""Numbers an exercise may hold: exact, finite, real and of a size a lesson can show.

Bounds, so that building a graph always ends quickly: every leaf value, forward value,
local derivative and gradient is at most ``10**MAX_DIGITS`` (1e300, what a float holds)
in size (and a nonzero one at least ``10**-MAX_DIGITS``), a fraction has at most
``MAX_FRACTION_DIGITS`` digits, and
before sympy computes an expression exactly, :func:`check_size` walks it in mpmath
floats (whose exponents cost nothing) so that no step of it is ever larger than
``10**MAX_STEP_DIGITS``: ``3**x`` at x = 1e50 is refused before it is computed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import mpmath
import sympy

from .equations import GraphError
from .functions import KINKED

__all__ = ["DIGITS", "MAX_DIGITS", "check_differentiable", "check_size", "exact"]

#: Significant digits kept for a value that is not rational.
DIGITS = 30
#: The largest size (in decimal digits before or after the point) of any value, and of any step.
MAX_DIGITS, MAX_STEP_DIGITS = 300, 1000
#: The most digits a fraction's top and bottom may have together.
MAX_FRACTION_DIGITS = 400
#: How long a number given as text may be.
MAX_TEXT = 60

_MPMATH = {
    "exp": mpmath.exp,
    "log": mpmath.log,
    "sqrt": mpmath.sqrt,
    "tanh": mpmath.tanh,
    "sin": mpmath.sin,
    "cos": mpmath.cos,
    "Abs": abs,
    "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)),
    "relu": lambda z: max(z, 0),
    "Heaviside": lambda z, *_: mpmath.mpf(z > 0),
    "sign": mpmath.sign,
}


def _digits(value) -> float:
    """About log10 |value| for an mpmath number (0 for zero)."""
    return 0.0 if not value else float(mpmath.log10(abs(value)))


def _mp(number: sympy.Expr) -> mpmath.mpf:
    """A sympy number as an mpmath float (no big integer power is computed)."""
    if number.is_Rational:
        return mpmath.mpf(int(number.p)) / int(number.q)
    return mpmath.mpmathify(sympy.Float(number, 15))


def _size(expr: sympy.Expr, point: Mapping) -> mpmath.mpf | mpmath.mpc:
    """The value of ``expr`` in 53-bit mpmath floats, step by step, refusing a step too large."""
    if expr.is_Symbol:
        value = _mp(point[expr]) if expr in point else mpmath.mpf(1)
    elif expr.is_Number or expr in (sympy.pi, sympy.E):
        value = _mp(expr)
    else:
        args = [_size(arg, point) for arg in expr.args]
        if expr.is_Add:
            value = mpmath.fsum(args)
        elif expr.is_Mul:
            value = mpmath.fprod(args)
        elif expr.is_Pow:
            if abs(args[1]) * max(abs(_digits(args[0])), 1) > MAX_STEP_DIGITS:
                raise OverflowError
            value = mpmath.power(*args)
        elif type(expr).__name__ in _MPMATH:
            value = _MPMATH[type(expr).__name__](*args)
        else:
            return mpmath.mpf(1)  # unknown to us: sympy's own evaluation decides
    if isinstance(value, mpmath.mpc) and value.imag == 0:
        value = value.real
    if mpmath.isinf(value) or mpmath.isnan(value):
        raise ZeroDivisionError  # mpmath's exponents do not overflow: this is a pole, like log(0)
    if value and abs(_digits(value)) > MAX_STEP_DIGITS:
        raise OverflowError
    return value


def check_size(expr: sympy.Expr, point: Mapping, what: str, line=None, source=None) -> None:
    """Refuse, before sympy computes it exactly, an expression with a step too large or too small.

    Examples
    --------
    >>> w, x = sympy.symbols("w x")
    >>> check_size(w**x, {w: sympy.Integer(3), x: sympy.Integer(20)}, "`a`")  # 3**20: fine
    >>> check_size(w**x, {w: sympy.Integer(3), x: sympy.Integer(10**50)}, "`a`")
    Traceback (most recent call last):
    ...
    lab_utils_backprop.engine.equations.GraphError: `a` is too large at these values (beyond 1e1000 ...
    """
    with mpmath.workprec(53):
        try:
            _size(expr, point)
        except OverflowError:
            raise GraphError(
                f"{what} is too large at these values (beyond 1e{MAX_STEP_DIGITS} along the way): "
                "choose smaller values",
                line,
                source,
            ) from None
        except (ValueError, ZeroDivisionError, TypeError, ArithmeticError):
            pass  # a pole or a domain error: the exact evaluation names it


def exact(value, what: str, line: int | None = None, source: str | None = None) -> sympy.Expr:
    """Make a finite real sympy number of a lesson's size: Rational when possible, else a 30-digit Float.

    Examples
    --------
    >>> exact("9/2", "the value of `w`"), exact(0.1, "the value of `w`")
    (9/2, 1/10)
    >>> exact("1e2000", "the value of `w`", 1, "J = w")
    Traceback (most recent call last):
    ...
    lab_utils_backprop.engine.equations.GraphError: line 1 (J = w): the value of `w` is too large ...
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, str, sympy.Basic))
        and not hasattr(value, "numerator")
    ):
        raise GraphError(f"{what} must be a number, not {_shown(value)}", line, source)
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise GraphError(f"{what} is too long a number ({len(value)} characters)", line, source)
    if isinstance(value, int) and abs(value).bit_length() > 4 * MAX_DIGITS:
        raise GraphError(f"{what} is too large: keep values within 1e{MAX_DIGITS}", line, source)
    try:
        if isinstance(value, float):
            number = sympy.Rational(repr(value)) if math.isfinite(value) else sympy.nan
        elif isinstance(value, str):
            number = _from_text(value.strip())
        elif isinstance(value, sympy.Basic):
            number = value
        else:
            number = (
                sympy.Rational(value.numerator, value.denominator)
                if hasattr(value, "denominator")
                else sympy.Integer(value)
            )
    except OverflowError:
        raise GraphError(
            f"{what} is too large or too small: keep values within 1e{MAX_DIGITS}", line, source
        ) from None
    except (TypeError, ValueError, ArithmeticError, sympy.SympifyError):
        raise GraphError(f"{what} must be a number, not {_shown(value)}", line, source) from None
    if not isinstance(number, sympy.Expr) or not number.is_number:
        raise GraphError(f"{what} must be a number, not {_shown(value)}", line, source)
    if number.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) or number.is_finite is False:
        raise GraphError(f"{what} is not finite at these values (a division by zero or a pole)", line, source)
    if not number.is_Rational:
        number = number.evalf(DIGITS)
    if not number.is_extended_real or not (number.is_Rational or number.is_Float):
        raise GraphError(
            f"{what} is not a real number at these values (such as the root or log of a negative number)",
            line,
            source,
        )
    _check_digits(number, what, line, source)
    return number


def _from_text(text: str) -> sympy.Rational:
    """A number written as text: an integer, a decimal, scientific notation or a fraction."""
    if "/" in text:
        top, bottom = text.split("/", 1)
        return sympy.Rational(_from_text(top.strip()), _from_text(bottom.strip()))
    mantissa, _, power = text.lower().partition("e")
    if power and abs(int(power)) > MAX_DIGITS + MAX_TEXT:
        raise OverflowError(text)
    return sympy.Rational(text)


def _check_digits(number: sympy.Expr, what: str, line, source) -> None:
    if number.is_zero:
        return
    digits = _digits(_mp(number))
    if digits > MAX_DIGITS:
        raise GraphError(
            f"{what} is about 1e{round(digits)}: keep values within 1e{MAX_DIGITS}", line, source
        )
    if digits < -MAX_DIGITS:
        raise GraphError(
            f"{what} is about 1e{round(digits)}: too small to show; choose other values", line, source
        )
    if number.is_Rational and len(str(number.p)) + len(str(number.q)) > MAX_FRACTION_DIGITS:
        raise GraphError(
            f"{what} needs a fraction of over {MAX_FRACTION_DIGITS} digits: choose simpler values",
            line,
            source,
        )


def _shown(value) -> str:
    """A value as a message shows it: short, without a type's inner workings."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_differentiable(node, point: Mapping[sympy.Symbol, sympy.Expr]) -> None:
    """Refuse a point where a node's derivative does not exist (relu or Abs at 0)."""
    for kink in node.expr.atoms(*KINKED):
        argument = kink.args[0].xreplace(point)
        if argument.is_zero:
            raise GraphError(
                f"{kink} has no derivative where {kink.args[0]} = 0; choose other values",
                node.line,
                node.source,
            )
