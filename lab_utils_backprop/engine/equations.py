"""Read an instructor's equations (``name = expression`` lines) into sympy.

This is instructor input, not student input, so sympy's parser is allowed here; it
runs in a namespace that holds only the functions of ``functions.FUNCTIONS`` and a
real symbol for every other name, and every problem names its line.

``^`` means power, like ``**`` (instructors write math, and nobody means XOR in a
lesson). Decimals in an equation become exact fractions (``0.5*d**2`` is ``d**2/2``).
Multiplication must be written (``3*w``, not ``3w``).
"""

from __future__ import annotations

import ast
import keyword
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
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Lambda, ast.Compare, ast.BoolOp)):
            raise GraphError(f"`{right}` is not an arithmetic expression", line, source)
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
    except Exception as exc:  # sympy raises many kinds; all mean "this line is wrong"
        raise GraphError(f"`{right}` could not be read: {exc}", line, source) from None
    if not isinstance(expr, sympy.Expr):
        raise GraphError(f"`{right}` is not a number-valued expression", line, source)
    inputs = tuple(
        dict.fromkeys(
            n.id for n in used if n.id in symbols and sympy.Symbol(n.id, real=True) in expr.free_symbols
        )
    )
    try:
        latex = as_written_latex(right, namespace)
    except Exception:  # display only: sympy's own order is a fine fallback
        latex = sympy.latex(expr)
    return Equation(line, source, left, expr, inputs, latex)


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
    parsed = [parse_equation(line, text) for line, text in split_lines(equations)]
    if not parsed:
        raise GraphError("there are no equations: write at least one line `name = expression`")
    return parsed
