"""Read an instructor's equations (``name = expression`` lines) into sympy.

This is instructor input, not student input, so sympy's parser is allowed here; it
runs in a namespace that holds only the functions of ``functions.FUNCTIONS`` and a
real symbol for every other name, and every problem names its line.

``^`` means power, like ``**`` (instructors write math, and nobody means XOR in a
lesson). Decimals in an equation become exact fractions (``0.5*d**2`` is ``d**2/2``).
Multiplication must be written (``3*w``, not ``3w``).

Bounds, checked on the text before sympy sees it, so that reading always ends at once:
at most ``MAX_EQUATIONS`` lines, each right-hand side at most ``MAX_LINE`` characters,
``MAX_PIECES`` pieces (numbers, names, operations) and ``MAX_DEPTH`` levels of nesting;
only ``+ - * / **``, signs and the functions of :data:`functions.TABLE`; numbers within
``1e100``; a constant exponent within ``±MAX_POWER``, and a constant part of an equation
within ``1e100`` (so ``w**(10**10)`` and ``2**2**2**2**2**2`` are refused as written).
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from dataclasses import dataclass

import sympy
from sympy.parsing.sympy_parser import (
    convert_xor,
    parse_expr,
    rationalize,
    standard_transformations,
)

from .functions import FUNCTIONS

__all__ = ["Equation", "GraphError", "parse_equations"]

_TRANSFORMATIONS = standard_transformations + (convert_xor, rationalize)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z", re.ASCII)

MAX_EQUATIONS, MAX_LINE, MAX_PIECES, MAX_DEPTH, MAX_POWER = 100, 400, 120, 25, 100
#: The largest constant (a number written, or a constant part of an equation), in decimal digits.
MAX_CONSTANT_DIGITS = 100
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_SIGNS = (ast.UAdd, ast.USub)
#: How many arguments each function takes (log may take a base).
_ARITY = {"log": (1, 2)}


class GraphError(ValueError):
    """An exercise that cannot be built, with the line at fault when there is one.

    Examples
    --------
    >>> str(GraphError("`b` is used before it is defined", line=2, source="a = b + 1"))
    'line 2 (a = b + 1): `b` is used before it is defined'
    """

    def __init__(self, problem: str, line: int | None = None, source: str | None = None):
        self.problem = problem
        self.line = line
        self.source = source
        where = "" if line is None else f"line {line}" + (f" ({source})" if source else "") + ": "
        super().__init__(where + problem)


@dataclass(frozen=True)
class Equation:
    """One line ``name = expression``, parsed."""

    line: int
    source: str
    name: str
    expr: sympy.Expr
    inputs: tuple[str, ...]  # the names it uses, in order of first appearance
    latex: str  # the right-hand side as the instructor wrote it (terms not reordered)


def split_lines(equations) -> list[tuple[int, str]]:
    """Number the non-blank lines of a string or a list of strings (1-based)."""
    if not isinstance(equations, str) and not isinstance(equations, (list, tuple)):
        raise GraphError(
            f"the equations must be a string or a list of strings, not {type(equations).__name__}"
        )
    lines = equations.splitlines() if isinstance(equations, str) else list(equations)
    numbered = []
    for number, text in enumerate(lines, start=1):
        if not isinstance(text, str):
            raise GraphError(f"each equation must be a string, not {type(text).__name__}", number)
        text = text.split("#", 1)[0].strip()
        if text:
            numbered.append((number, text))
    return numbered


def check_name(name: str, line: int, source: str) -> None:
    """Refuse a name that is not an identifier or that would hide a function."""
    if not _NAME.match(name) or keyword.iskeyword(name):
        raise GraphError(f"`{name}` is not a valid name: use letters, digits and _", line, source)
    if name in FUNCTIONS:
        raise GraphError(f"`{name}` is a function name and cannot name a value", line, source)


def parse_equation(line: int, source: str) -> Equation:
    """Parse one ``name = expression`` line, or raise a GraphError naming it."""
    if len(source) > MAX_LINE:
        raise GraphError(
            f"the line is too long ({len(source)} characters; at most {MAX_LINE})", line, source[:60] + "..."
        )
    if source.count("=") != 1 or "==" in source:
        raise GraphError("write one equation per line, as `name = expression`", line, source)
    left, right = (part.strip() for part in source.split("="))
    check_name(left, line, source)
    if not right:
        raise GraphError(f"nothing after `{left} =`", line, source)
    try:
        tree = ast.parse(right.replace("^", "**"), mode="eval")
    except SyntaxError as exc:
        hint = " (write 3*w, not 3w)" if re.search(r"\d[A-Za-z_(]", right) else ""
        raise GraphError(f"`{right}` is not a valid expression: {exc.msg}{hint}", line, source) from None
    used = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Name)), key=lambda n: n.col_offset)
    names = {node.id for node in used}
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    for name in sorted(called - set(FUNCTIONS)):
        raise GraphError(
            f"unknown function `{name}`; use one of {', '.join(sorted(FUNCTIONS))}", line, source
        )
    check_tree(tree, right, line, source)
    symbols = {name: sympy.Symbol(name, real=True) for name in names - set(FUNCTIONS)}
    for name in symbols:
        check_name(name, line, source)
    try:
        namespace = {**FUNCTIONS, **symbols}
        expr = parse_expr(
            right,
            local_dict=dict(namespace),
            global_dict={
                "Integer": sympy.Integer,
                "Float": sympy.Float,
                "Rational": sympy.Rational,
                "Symbol": sympy.Symbol,
            },
            transformations=_TRANSFORMATIONS,
        )
    except Exception:  # sympy raises many kinds; all mean "this line is wrong"
        raise GraphError(f"`{right}` could not be read as an expression", line, source) from None
    if not isinstance(expr, sympy.Expr):
        raise GraphError(f"`{right}` is not a number-valued expression", line, source)
    inputs = tuple(
        dict.fromkeys(
            n.id for n in used if n.id in symbols and sympy.Symbol(n.id, real=True) in expr.free_symbols
        )
    )
    if not inputs:
        raise GraphError(
            f"`{left}` does not depend on any value: write the number where it is used, "
            f"or give `{left}` as a value",
            line,
            source,
        )
    try:
        latex = as_written_latex(right, namespace)
    except Exception:  # display only: sympy's own order is a fine fallback
        latex = sympy.latex(expr)
    return Equation(line, source, left, expr, inputs, latex)


def check_tree(tree: ast.Expression, right: str, line: int, source: str) -> None:
    """Refuse, before sympy reads it, anything but bounded arithmetic on names, numbers and our functions."""
    kinds = (ast.Name, ast.Constant, ast.BinOp, ast.UnaryOp, ast.Call)
    pieces = sum(isinstance(node, kinds) for node in ast.walk(tree))  # numbers, names, operations
    if pieces > MAX_PIECES:
        raise GraphError(f"the expression has {pieces} pieces; split it into several equations", line, source)
    _constant(tree.body, right, line, source, 0)


def _constant(node: ast.AST, right: str, line: int, source: str, depth: int) -> float | None:
    """Check one piece; return its value when it is made of numbers only (None otherwise)."""

    def refuse(problem: str) -> GraphError:
        return GraphError(problem, line, source)

    if depth > MAX_DEPTH:
        raise refuse(
            f"the expression nests more than {MAX_DEPTH} levels deep; split it into several equations"
        )
    text = ast.get_source_segment(right.replace("^", "**"), node) or right
    if isinstance(node, ast.Name):
        return None
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise refuse(f"`{text}` is not a number an equation can use")
        if not math.isfinite(node.value) or (
            node.value and abs(math.log10(abs(node.value))) > MAX_CONSTANT_DIGITS
        ):
            raise refuse(
                f"the number `{text}` is too large or too small: keep numbers within 1e{MAX_CONSTANT_DIGITS}"
            )
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, _SIGNS):
        value = _constant(node.operand, right, line, source, depth + 1)
        return None if value is None else -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left = _constant(node.left, right, line, source, depth + 1)
        power = _constant(node.right, right, line, source, depth + 1)
        if isinstance(node.op, ast.Pow) and power is not None and abs(power) > MAX_POWER:
            raise refuse(f"the power in `{text}` is too large: keep constant exponents within ±{MAX_POWER}")
        if left is None or power is None:
            return None
        return _fold(node.op, left, power, text, refuse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS:
        low, high = _ARITY.get(node.func.id, (1, 1))
        if (
            node.keywords
            or not low <= len(node.args) <= high
            or any(isinstance(a, ast.Starred) for a in node.args)
        ):
            raise refuse(
                f"`{node.func.id}` takes {low if low == high else f'{low} or {high}'} argument(s): `{text}`"
            )
        values = [_constant(a, right, line, source, depth + 1) for a in node.args]
        return None if None in values else _fold_call(node.func.id, values, text, refuse)
    if isinstance(node, ast.BinOp):
        raise refuse(f"`{text}` uses an operation an equation cannot: use + - * / and ** (or ^)")
    raise refuse(f"`{right}` is not an arithmetic expression")


def _fold(op: ast.operator, left: float, right: float, text: str, refuse) -> float:
    """A constant operation in floats, refused when it divides by zero or grows beyond the bound."""
    try:
        if isinstance(op, ast.Pow):
            if left == 0 and right < 0:
                raise ZeroDivisionError
            if left and abs(right * math.log10(abs(left))) > MAX_CONSTANT_DIGITS:
                raise OverflowError
            value = abs(left) ** right * (-1 if left < 0 and right % 2 == 1 else 1)
        else:
            value = {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}.get(type(op))
            value = left / right if value is None else value
    except ZeroDivisionError:
        raise refuse(f"`{text}` divides by zero") from None
    except (OverflowError, ValueError):
        raise refuse(
            f"`{text}` is too large a number: keep constants within 1e{MAX_CONSTANT_DIGITS}"
        ) from None
    if not math.isfinite(value) or (value and abs(math.log10(abs(value))) > MAX_CONSTANT_DIGITS):
        raise refuse(f"`{text}` is too large a number: keep constants within 1e{MAX_CONSTANT_DIGITS}")
    return value


def _fold_call(name: str, values: list[float], text: str, refuse) -> None:
    """A function of constants stays symbolic (None); only ``exp`` can outgrow the bound here."""
    if name == "exp" and values[0] > MAX_CONSTANT_DIGITS * math.log(10):
        raise refuse(f"`{text}` is too large a number: keep constants within 1e{MAX_CONSTANT_DIGITS}")
    return None


def as_written_latex(right: str, namespace: dict) -> str:
    """LaTeX of an expression in the order it was typed (sympy would print ``c + b`` as ``b + c``)."""
    tree = parse_expr(right, local_dict=dict(namespace), transformations=_TRANSFORMATIONS, evaluate=False)
    tree = tree.replace(
        lambda t: t.is_Mul and sympy.S.One in t.args,
        lambda t: sympy.Mul(*[a for a in t.args if a != 1], evaluate=False),
    )
    return sympy.latex(tree, order="none")


def parse_equations(equations) -> list[Equation]:
    """Parse every line; the first problem found is raised as a GraphError.

    Examples
    --------
    >>> [e.expr for e in parse_equations("a = 2 + 3*w\\nJ = a^2")]
    [3*w + 2, a**2]
    """
    lines = split_lines(equations)
    if len(lines) > MAX_EQUATIONS:
        raise GraphError(f"there are {len(lines)} equations: a lesson's graph has at most {MAX_EQUATIONS}")
    parsed = [parse_equation(line, text) for line, text in lines]
    if not parsed:
        raise GraphError("there are no equations: write at least one line `name = expression`")
    return parsed
