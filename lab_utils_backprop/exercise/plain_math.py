"""Math in messages and hints as a reader writes it: ``3w + 2``, ``d²/2``, ``∂(wx)/∂w``, not Python.

An equation's right-hand side (as the instructor typed it) or a sympy expression is
re-spelled token by token: ``*`` is left out between a number and a name or between two
one-letter names (``3w``, ``wx``) and is a ``·`` elsewhere; small whole powers become
superscripts (``a²``), other powers ``^``; ``sigmoid`` is ``σ`` as in the diagram.
"""

from __future__ import annotations

import io
import tokenize

import sympy

__all__ = ["plain", "plain_equation", "plain_frac"]

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_NAMES = {"sigmoid": "σ", "pi": "π", "E": "e", "Abs": "abs"}
_SKIPPED = (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT)


def plain_frac(top: str, bottom: str) -> str:
    """A partial derivative in plain text, like ``∂J/∂a``."""
    return f"∂{top}/∂{bottom}"


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    try:
        found = tokenize.generate_tokens(io.StringIO(text.replace("^", "**")).readline)
        return [t for t in found if t.type not in _SKIPPED]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []


def _short_name(token: tokenize.TokenInfo | None) -> bool:
    return (
        token is not None and token.type == tokenize.NAME and len(_NAMES.get(token.string, token.string)) == 1
    )


def plain(expression: str | sympy.Expr) -> str:
    """An expression (text or sympy) as a reader writes it.

    Examples
    --------
    >>> plain("2 + 3*w"), plain(sympy.sympify("3*w + 2")), plain("d**2/2"), plain("w*x")
    ('2 + 3w', '3w + 2', 'd²/2', 'wx')
    >>> plain("x0*w0 + b"), plain("sigmoid(z)*(1 - sigmoid(z))"), plain("a^(n+1)")
    ('x0·w0 + b', 'σ(z)·(1 - σ(z))', 'a^(n + 1)')
    """
    text = sympy.sstr(expression) if isinstance(expression, sympy.Basic) else str(expression)
    tokens = _tokens(text)
    if not tokens:
        return text
    out: list[str] = []
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        unary = before is None or (before.type == tokenize.OP and before.string not in ")")
        if token.string == "**" and after is not None and after.type == tokenize.NUMBER:
            if after.string.isdigit():
                out.append("\0")  # the exponent that follows becomes a superscript
                continue
            out.append("^")
        elif token.string == "**":
            out.append("^")
        elif token.string == "*":
            name_after = after is not None and after.type == tokenize.NAME
            calls = index + 2 < len(tokens) and tokens[index + 2].string == "("
            if (
                before.type == tokenize.NUMBER
                and name_after
                and not calls
                or _short_name(before)
                and _short_name(after)
                and not calls
            ):
                out.append("")
            else:
                out.append("·")
        elif token.string in "+-" and token.type == tokenize.OP:
            out.append(token.string if unary else f" {token.string} ")
        elif token.string == ",":
            out.append(", ")
        elif token.type == tokenize.NUMBER and out and out[-1] == "\0":
            out[-1] = token.string.translate(_SUPERSCRIPTS)
        else:
            out.append(
                _NAMES.get(token.string, token.string) if token.type == tokenize.NAME else token.string
            )
    return "".join(out)


def plain_equation(name: str, source_or_expr: str | sympy.Expr) -> str:
    """``name = expression`` in plain math; a source line's own left side is dropped.

    Examples
    --------
    >>> plain_equation("J", "J = d**2/2")
    'J = d²/2'
    """
    if isinstance(source_or_expr, str) and "=" in source_or_expr:
        source_or_expr = source_or_expr.split("=", 1)[1].strip()
    return f"{name} = {plain(source_or_expr)}"
