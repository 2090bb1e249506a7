"""The Python in a lesson's code cells: an equation's right side for numpy or sympy, and short literals.

The lesson's prose lives in :mod:`lab_utils_backprop.lesson`; this module decides only how
its code is spelled, so that the cells run, read well and fit a line.
"""

from __future__ import annotations

import io
import tokenize

import sympy

from ..engine.functions import HELPERS, NUMERIC, SYMBOLIC
from ..exercise.answers import format_number

__all__ = ["HELPERS", "NUMERIC", "RESERVED", "SYMBOLIC", "listing", "literal", "rewrite", "tokens"]

#: The longest line of code a lesson writes where it can choose.
LINE_LENGTH = 90

#: Names the lesson's code uses for itself; a node may not take them.
RESERVED = {"np", "sp", "plt", "graph", "at", "In", "Out", "get_ipython", "exit", "quit", "display"}


def rewrite(text: str, rename: dict[str, str]) -> str:
    """Rename the names of an expression (and write ``^`` as ``**``), leaving the rest as typed.

    Examples
    --------
    >>> rewrite("exp(-z)^2 + z", {**NUMERIC, "z": "z_eps"})
    'np.exp(-z_eps)**2 + z_eps'
    """
    pieces, last = [], 0
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        new = None
        if token.type == tokenize.NAME:
            new = rename.get(token.string)
        elif token.type == tokenize.OP and token.string == "^":
            new = "**"
        if new is not None:
            pieces += [text[last : token.start[1]], new]
            last = token.end[1]
    return "".join(pieces) + text[last:]


def listing(brackets: str, items: list[str], indent: str = "") -> str:
    """A list or dict literal on one line, or one item per line where one line would be too long.

    Examples
    --------
    >>> listing("[]", ['"w"', '"b"'])
    '["w", "b"]'
    >>> print(listing("{}", [f'"x{i}": {i}' for i in range(12)], indent="    ")[:40])
    {
            "x0": 0,
            "x1": 1,
    ...
    """
    line = brackets[0] + ", ".join(items) + brackets[1]
    if len(line) <= LINE_LENGTH:
        return line
    return brackets[0] + "".join(f"\n{indent}    {item}," for item in items) + f"\n{indent}" + brackets[1]


def literal(value: sympy.Expr) -> str:
    """A leaf value as Python source: exact where short, else the float.

    Examples
    --------
    >>> literal(sympy.Rational(9, 2)), literal(sympy.Rational(1, 3)), literal(sympy.sqrt(2))
    ('4.5', '1/3', '1.4142135623730951')
    """
    return format_number(value) if value.is_Rational else repr(float(value))


def tokens(source: str) -> set[str]:
    """The names used in an equation's source.

    Examples
    --------
    >>> sorted(tokens("a = sigmoid(w*x) + 2"))
    ['a', 'sigmoid', 'w', 'x']
    """
    return {
        t.string for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.NAME
    }
