"""Judge what a student typed against a box's answer, and show an answer for display.

Reading the text is :mod:`.reading`'s job (a whitelist, never ``eval``); this module
decides whether the number read is right, with the rule below.

The precision rule
------------------
Let ``a`` be the box's answer and ``e`` the typed number.

1. *Exact entries.* ``e`` is right when it equals ``a``: ``9/2``, ``4.5`` and ``4.50`` are
   all right for 9/2, and ``66`` and ``66.0`` for 66. A fraction is always read as exact,
   so it is right only in this case. When ``a`` is a Float of ``p`` decimal digits
   (``p`` = 3/10 of its bits, 30 for the graph's values through exp, tanh ...), "equals"
   means within ``10**-max(p - 5, 10) * max(1, |a|)``, so ``1/3`` is right for a 30-digit
   0.333...
2. *Python's own floats.* A decimal within two units in the last place of the float
   nearest ``a`` is right: what Python prints for the answer (``0.46211715726000974`` for
   tanh(0.5), ``0.6666666666666666`` for 2/3) is as exact as a float can be.
3. *Rounded entries.* A number typed with ``d`` decimals (0 for a whole number) is right
   when it is ``a`` rounded to ``d`` decimals, that is ``|e - a| <= 10**-d / 2`` (plus the
   Float tolerance above). On an exact tie both neighbours count: for 0.125, ``0.12`` and
   ``0.13`` are both right. It must also be precise enough: at least two decimals or three
   significant figures, and at least one non-zero digit. So for 0.1192..., ``0.12``,
   ``0.119`` and ``0.1192`` are right while ``0.1`` is too coarse; for 12345.678,
   ``12345.68`` and ``12346`` are right. An answer that ends sooner, such as 4.5, is typed
   exactly (rule 1). Scientific notation counts as the same digits written out: ``d`` is
   the number of decimals of that form (``2.2e1`` is 22, ``d = 0``; ``1.19e-1`` is 0.119,
   ``d = 3``; ``1.23e4`` has ``d = -2``), and the significant figures are the mantissa's
   digits from its first non-zero one.

A correctly rounded entry that is too coarse gets a "Close" message, unless it sits exactly
on a tie (``4`` or ``5`` for 4.5), which is as far from the answer as its neighbour and is
simply wrong. An entry cut off instead of rounded (``0.666`` for 2/3, ``2.71`` for e) hears
that it should be rounded. Messages never reveal the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

import mpmath
import sympy

from .reading import EMPTY, AnswerError, Entry, parse_answer, read_entry

__all__ = ["AnswerError", "AnswerResult", "check", "format_number", "parse_answer"]

_DISPLAY_DIGITS = 4

CORRECT = "Correct."
WRONG = "Not right yet. Check your arithmetic."
CLOSE = "Close, but round to at least two decimals (or three significant figures)."
CLOSE_TO_ZERO = "Close, but the answer is not 0: give more decimals."
CUT_OFF = "Close, but that is cut off rather than rounded: round the last digit you keep by the next one."
#: The messages that say an entry is near the answer, so no other diagnosis is needed.
CLOSE_MESSAGES = (CLOSE, CLOSE_TO_ZERO, CUT_OFF)

#: Beyond these decimal exponents no typed number (at most 100 digits, exponent 300) can match.
_HUGE, _TINY = 500, -500
#: Longer decimals are shown as a fraction (exact) or in scientific notation (Floats).
LONGEST_DECIMAL = 12


@dataclass(frozen=True)
class AnswerResult:
    """The verdict on one typed answer.

    ``correct`` whether it is right; ``message`` one sentence for the student; ``value``
    the parsed exact number, or None when the text was not a number.
    """

    correct: bool
    message: str
    value: sympy.Rational | None

    @property
    def is_number(self) -> bool:
        """False when the text was rejected as not a number."""
        return self.value is not None


def check(box: object, text: object) -> AnswerResult:
    """Judge typed text against ``box.answer`` with the module's precision rule; never raises for text.

    Parameters
    ----------
    box : object
        Anything with an ``answer`` attribute holding a real sympy number (Integer,
        Rational, or a Float such as a 30-digit value through exp or tanh).
    text : object
        What the student typed; anything that is not a string counts as blank.

    Returns
    -------
    AnswerResult
        Whether it is right, a one-sentence message, and the parsed value (None when the
        text is not a number).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> box = SimpleNamespace(answer=(1 / (1 + sympy.exp(2))).evalf(30))
    >>> check(box, "0.119")
    AnswerResult(correct=True, message='Correct.', value=119/1000)
    >>> check(box, "0.1").message
    'Close, but round to at least two decimals (or three significant figures).'
    >>> check(SimpleNamespace(answer=sympy.Rational(2, 3)), "0.6666666666666666").correct
    True
    >>> result = check(box, "1/0")
    >>> result.is_number, result.message
    (False, 'A fraction cannot have 0 at the bottom: type a number such as 9/2.')
    """
    if not isinstance(text, str):
        return AnswerResult(False, EMPTY, None)
    try:
        entry = read_entry(text)
    except AnswerError as error:
        return AnswerResult(False, str(error), None)
    return AnswerResult(*judge(entry, box.answer), entry.value)


def format_number(value: object) -> str:
    """Show an exact answer for display: exact when short, else four significant digits.

    Integers as they are, rationals with a terminating decimal as that decimal, other
    rationals as a fraction, Floats rounded to four significant digits (never rounding
    away digits before the point) with trailing zeros dropped. A decimal longer than
    12 characters becomes a fraction (exact) or scientific notation (Floats). Never shows ``-0``.

    Examples
    --------
    >>> format_number(sympy.Integer(66)), format_number(sympy.Rational(9, 2))
    ('66', '4.5')
    >>> format_number(sympy.Rational(-1, 3)), format_number((1 / (1 + sympy.exp(2))).evalf(30))
    ('-1/3', '0.1192')
    >>> format_number(sympy.Float("12345.678", 30)), format_number(sympy.Float(-0.0))
    ('12346', '0')
    >>> format_number(sympy.Float("-8.2494e-170", 30)), format_number(sympy.Rational(1, 2**20))
    ('-8.249e-170', '1/1048576')
    >>> format_number(sympy.Float("1e2000", 30))
    '1e+2000'
    """
    number = _as_number(value)
    if isinstance(number, sympy.Float):
        if number.is_zero:
            return "0"
        if not -40 < _decimal_exponent(number) < 40:
            return _scientific(number)
        text = _rounded_text(sympy.Rational(number))
        return text if len(text) <= LONGEST_DECIMAL else _scientific(number)
    p, q = int(number.p), int(number.q)
    places = max(sympy.multiplicity(2, q), sympy.multiplicity(5, q))
    if 10**places % q:
        return f"{p}/{q}"
    text = f"{Decimal(f'{p * 10**places // q}E-{places}'):f}"
    return text if places == 0 or len(text) <= LONGEST_DECIMAL else f"{p}/{q}"


def _decimal_exponent(number: sympy.Float) -> int:
    """About log10 |number|, read from its binary exponent (no big integer is built)."""
    return int(mpmath.mag(mpmath.mpf(number)) * 0.30103)


def _scientific(number: sympy.Float) -> str:
    """Four significant digits in the ``:.4g`` style (``-8.249e-170``), for any exponent."""
    mantissa, exponent = mpmath.nstr(mpmath.mpf(number), 4, min_fixed=1, max_fixed=0).split("e")
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    sign = "-" if exponent.startswith("-") else "+"
    return f"{mantissa}e{sign}{int(exponent.lstrip('+-')):02d}"


def _as_number(value: object) -> sympy.Rational | sympy.Float:
    """A box's answer as a sympy Rational or Float (other real sympy numbers at 30 digits)."""
    if isinstance(value, int):
        value = sympy.Integer(value)
    elif isinstance(value, float):
        value = sympy.Float(value)
    elif isinstance(value, sympy.Expr) and not isinstance(value, (sympy.Rational, sympy.Float)):
        value = value.evalf(30)
    if isinstance(value, sympy.Rational) or (isinstance(value, sympy.Float) and value.is_finite):
        return value
    raise TypeError(f"an answer must be a finite real number, got {value!r}")


def _float_ulps(answer: sympy.Rational) -> sympy.Rational:
    """Two units in the last place of the float nearest ``answer`` (0 where no float is near)."""
    try:
        return 2 * sympy.Rational(math.ulp(float(answer)))
    except OverflowError:
        return sympy.Integer(0)


def judge(entry: Entry, answer: object) -> tuple[bool, str]:
    """Whether a read entry is right for ``answer``, and the message, by the module's rule."""
    answer = _as_number(answer)
    if isinstance(answer, sympy.Float):
        if not answer.is_zero and _decimal_exponent(answer) >= _HUGE:
            return False, WRONG
        # Bits of precision to decimal digits (log10(2) is about 0.3): 30 for the graph's Floats.
        digits = max(answer._prec * 3 // 10 - 5, 10)
        tiny = answer.is_zero or _decimal_exponent(answer) <= _TINY
        answer = sympy.Integer(0) if tiny else sympy.Rational(answer)
        tolerance = max(1, abs(answer)) / sympy.Integer(10) ** digits
    else:
        tolerance = sympy.Integer(0)
    error = abs(entry.value - answer)
    if error <= tolerance:
        return True, CORRECT
    if entry.decimals is None:
        return False, WRONG
    if error <= _float_ulps(answer) + tolerance:
        return True, CORRECT
    unit = sympy.Rational(10) ** -entry.decimals
    half_unit = unit / 2
    if error > half_unit + tolerance:
        cut_off = entry.value * answer > 0 and abs(entry.value) < abs(answer) and error < unit
        return False, CUT_OFF if cut_off and entry.significant >= 2 else WRONG
    if entry.significant >= 3 or (entry.decimals >= 2 and entry.significant >= 1):
        return True, CORRECT
    if error < half_unit - tolerance:
        return False, CLOSE if entry.significant else CLOSE_TO_ZERO
    return False, WRONG


def _rounded_text(number: sympy.Rational) -> str:
    with localcontext() as context:
        context.prec = 50
        decimal = Decimal(int(number.p)) / int(number.q)
        places = max(0, _DISPLAY_DIGITS - 1 - decimal.adjusted())
        context.prec = max(50, decimal.adjusted() + places + 2)
        text = f"{decimal.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
