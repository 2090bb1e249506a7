"""Turn what a student typed into an exact number, safely, and judge it against a box's answer.

Reading
-------
:func:`parse_answer` reads the text with a whitelist of regular expressions (ASCII digits
only); it never passes student text to ``eval``, ``exec``, ``sympify`` or ``parse_expr``.
It accepts, with spaces, tabs or newlines around them:

* integers and decimals: ``66``, ``4.5``, ``4.50``, ``.5``, ``5.``;
* a sign in front: ``+``, ``-`` or the minus sign U+2212;
* scientific notation: ``2.2e1``, ``2.2E-1`` (exponents from -300 to 300, checked before the
  number is built, so ``1e999999999`` is refused at once);
* fractions of whole numbers: ``9/2``, ``-3/4``, ``9 / 2`` (the sign goes in front: ``9/-2``
  is refused with a hint).

Everything else raises :class:`AnswerError` with a message a student can act on: blank text,
a decimal comma (``4,5`` is refused, since it could also be a thousands separator), digits
other than 0-9 (such as ``٤`` or fullwidth ``４``), ``1/0``, ``nan``, ``inf``, Python forms
(``0x10``, ``1_000``), calculations (``2*3``, ``sqrt(2)``) and text over 100 characters.

The precision rule
------------------
Let ``a`` be the box's answer and ``e`` the typed number.

1. *Exact entries.* ``e`` is right when it equals ``a``: ``9/2``, ``4.5`` and ``4.50`` are
   all right for 9/2, and ``66`` and ``66.0`` for 66. A fraction is always read as exact,
   so it is right only in this case. When ``a`` is a Float of ``p`` decimal digits
   (``p`` = 3/10 of its bits, 30 for the graph's values through exp, tanh ...), "equals"
   means within ``10**-max(p - 5, 10) * max(1, |a|)``, so ``1/3`` is right for a 30-digit
   0.333...
2. *Rounded entries.* A number typed with ``d`` decimals (0 for a whole number) is right
   when it is ``a`` rounded to ``d`` decimals, that is ``|e - a| <= 10**-d / 2`` (plus the
   Float tolerance above).
   On an exact tie both neighbours count: for 0.125, ``0.12`` and ``0.13`` are both right.
   It must also be precise enough: at least two decimals or three significant figures,
   and at least one non-zero digit. So for 0.1192..., ``0.12``, ``0.119`` and ``0.1192``
   are right while ``0.1`` is too coarse; for 12345.678, ``12345.68`` and ``12346`` are
   right. An answer that ends sooner, such as 4.5, is typed exactly (rule 1).
   Scientific notation counts as the same digits written out: ``d`` is the number of
   decimals of that form (``2.2e1`` is 22, ``d = 0``; ``1.19e-1`` is 0.119, ``d = 3``;
   ``1.23e4`` has ``d = -2``, right for 12345.678 at three significant figures), and the
   significant figures are the mantissa's digits from its first non-zero one.

A correctly rounded entry that is too coarse gets a "Close" message, unless it sits exactly
on a tie (``4`` or ``5`` for 4.5), which is as far from the answer as its neighbour and is
simply wrong. Messages never reveal the answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

import sympy

__all__ = ["AnswerError", "AnswerResult", "check", "format_number", "parse_answer"]

MAX_LENGTH = 100
MAX_EXPONENT = 300
_DISPLAY_DIGITS = 4

CORRECT = "Correct."
WRONG = "Not right yet. Check your arithmetic."
CLOSE = "Close, but round to at least two decimals (or three significant figures)."
CLOSE_TO_ZERO = "Close, but the answer is not 0: give more decimals."
EMPTY = "Type a number first, such as 4.5 or 9/2."
NOT_A_NUMBER = "Type a number such as 4.5 or 9/2."

_DECIMAL = re.compile(
    r"(?P<sign>[+-]?)[ \t]*(?=\.?[0-9])(?P<whole>[0-9]*)(?:\.(?P<frac>[0-9]*))?"
    r"(?:[eE](?P<exp>[+-]?[0-9]+))?",
    re.ASCII,
)
_FRACTION = re.compile(r"(?P<sign>[+-]?)[ \t]*(?P<top>[0-9]+)[ \t]*/[ \t]*(?P<bottom>[0-9]+)", re.ASCII)

# Recognisers for helpful messages, tried in order once the text is known not to be a number.
_MISTAKES = (
    (re.compile(r"[+-]?nan", re.ASCII | re.IGNORECASE), "That is not a number: type one such as 4.5 or 9/2."),
    (
        re.compile(r"[+-]?inf(inity)?", re.ASCII | re.IGNORECASE),
        "That number is too large: type a finite number such as 4.5 or 9/2.",
    ),
    (re.compile(r"[+-]?(?=[0-9.]*[0-9])[0-9.]*,[0-9.,]*", re.ASCII), "Use a dot for decimals: 4.5, not 4,5."),
    (
        re.compile(r"[+-]?0[xob][0-9a-f_]*", re.ASCII | re.IGNORECASE),
        "Write the number in ordinary decimal digits, such as 16 rather than 0x10.",
    ),
    (
        re.compile(r"[+-]?[0-9][0-9_]*(\.[0-9_]*)?", re.ASCII),
        "Leave out the underscores: type 1000, not 1_000.",
    ),
    (
        re.compile(r"[+-]?[0-9]+[ \t]*/[ \t]*[+-][0-9]+", re.ASCII),
        "Put the sign in front of the fraction: type -9/2, not 9/-2.",
    ),
    (
        re.compile(r"[+-]?[0-9.]+[ \t]*/[ \t]*[0-9.]+", re.ASCII),
        "Write a fraction with whole numbers, such as 9/2.",
    ),
)
_CALCULATION = re.compile(r"[*^()×÷√/]|[0-9.][ \t]*[-+]|[-+][ \t]*[-+]")


class AnswerError(ValueError):
    """Typed text that is not a number; the message tells the student what to type."""


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


@dataclass(frozen=True)
class _Entry:
    """A parsed entry: its value, decimals typed (None for a fraction), significant figures."""

    value: sympy.Rational
    decimals: int | None
    significant: int


def parse_answer(text: str) -> sympy.Rational:
    """Read typed text as an exact number, without ever evaluating it.

    Parameters
    ----------
    text : str
        What the student typed.

    Returns
    -------
    sympy.Rational
        The exact value (an Integer when it is whole).

    Raises
    ------
    AnswerError
        When the text is not a number; the message says what to type instead.
    TypeError
        When ``text`` is not a string.

    Examples
    --------
    >>> parse_answer(" 4.50 "), parse_answer("9/2"), parse_answer("\u22122.2e-1")
    (9/2, 9/2, -11/50)
    >>> parse_answer("4,5")
    Traceback (most recent call last):
    ...
    lab_utils_backprop.exercise.answers.AnswerError: Use a dot for decimals: 4.5, not 4,5.
    """
    return _parse(text).value


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
    >>> result = check(box, "1/0")
    >>> result.is_number, result.message
    (False, 'A fraction cannot have 0 at the bottom: type a number such as 9/2.')
    """
    if not isinstance(text, str):
        return AnswerResult(False, EMPTY, None)
    try:
        entry = _parse(text)
    except AnswerError as error:
        return AnswerResult(False, str(error), None)
    return AnswerResult(*_judge(entry, box.answer), entry.value)


#: Longer decimals are shown as a fraction (exact) or in scientific notation (Floats).
LONGEST_DECIMAL = 12


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
    """
    number = _as_number(value)
    if isinstance(number, sympy.Float):
        text = _rounded_text(sympy.Rational(number))
        return text if len(text) <= LONGEST_DECIMAL else f"{float(number):.4g}"
    p, q = int(number.p), int(number.q)
    places = max(sympy.multiplicity(2, q), sympy.multiplicity(5, q))
    if 10**places % q:
        return f"{p}/{q}"
    text = f"{Decimal(f'{p * 10**places // q}E-{places}'):f}"
    return text if places == 0 or len(text) <= LONGEST_DECIMAL else f"{p}/{q}"


def _parse(text: str) -> _Entry:
    if not isinstance(text, str):
        raise TypeError(f"expected the typed text as a str, got {type(text).__name__}")
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise AnswerError(f"That is too long for a number: use at most {MAX_LENGTH} characters.")
    if not text:
        raise AnswerError(EMPTY)
    text = text.replace("\u2212", "-")
    if match := _DECIMAL.fullmatch(text):
        return _decimal_entry(match)
    if match := _FRACTION.fullmatch(text):
        bottom = int(match["bottom"])
        if bottom == 0:
            raise AnswerError("A fraction cannot have 0 at the bottom: type a number such as 9/2.")
        top = -int(match["top"]) if match["sign"] == "-" else int(match["top"])
        return _Entry(sympy.Rational(top, bottom), None, 0)
    raise AnswerError(_explain(text))


def _decimal_entry(match: re.Match[str]) -> _Entry:
    exponent = int(match["exp"] or 0)
    if exponent > MAX_EXPONENT:
        raise AnswerError(f"That number is too large: use an exponent of at most {MAX_EXPONENT}.")
    if exponent < -MAX_EXPONENT:
        raise AnswerError(f"That number is too small: use an exponent of at least -{MAX_EXPONENT}.")
    fraction = match["frac"] or ""
    digits = match["whole"] + fraction
    mantissa = -int(digits) if match["sign"] == "-" else int(digits)
    decimals = len(fraction) - exponent
    value = (
        sympy.Rational(mantissa, 10**decimals) if decimals > 0 else sympy.Integer(mantissa * 10**-decimals)
    )
    return _Entry(value, decimals, len(digits.lstrip("0")))


def _explain(text: str) -> str:
    """The most helpful message for text that is not a number."""
    if any(not char.isascii() and unicodedata.numeric(char, None) is not None for char in text):
        return "Type the number with the digits 0-9, such as 4.5 or 9/2."
    for pattern, message in _MISTAKES:
        if pattern.fullmatch(text):
            return message
    if _CALCULATION.search(text):
        return "Type just the number, not a calculation: work it out first (6, not 2*3)."
    return NOT_A_NUMBER


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


def _judge(entry: _Entry, answer: object) -> tuple[bool, str]:
    answer = _as_number(answer)
    if isinstance(answer, sympy.Float):
        # Bits of precision to decimal digits (log10(2) is about 0.3): 30 for the graph's Floats.
        digits = max(answer._prec * 3 // 10 - 5, 10)
        answer = sympy.Rational(answer)
        tolerance = max(1, abs(answer)) / sympy.Integer(10) ** digits
    else:
        tolerance = sympy.Integer(0)
    error = abs(entry.value - answer)
    if error <= tolerance:
        return True, CORRECT
    if entry.decimals is None:
        return False, WRONG
    half_unit = sympy.Rational(1, 2) * sympy.Rational(10) ** -entry.decimals
    if error > half_unit + tolerance:
        return False, WRONG
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
