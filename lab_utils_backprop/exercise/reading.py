"""Read what a student typed as an exact number, safely: a whitelist, never ``eval``.

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
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import sympy

__all__ = ["AnswerError", "Entry", "parse_answer", "read_entry"]

MAX_LENGTH = 100
MAX_EXPONENT = 300

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
class Entry:
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
    lab_utils_backprop.exercise.reading.AnswerError: Use a dot for decimals: 4.5, not 4,5.
    """
    return read_entry(text).value


def read_entry(text: str) -> Entry:
    """Read typed text as an :class:`Entry` (value, decimals, significant figures), or raise AnswerError."""
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
        return Entry(sympy.Rational(top, bottom), None, 0)
    raise AnswerError(_explain(text))


def _decimal_entry(match: re.Match[str]) -> Entry:
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
    return Entry(value, decimals, len(digits.lstrip("0")))


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
