r"""The texts a diagram shows for a graph, as mathtext: equations, leaves, notes, prompts, hints.

No matplotlib: sizes come from measure.py's estimates (an equation too wide is broken into
lines before a ``+`` or ``-``).
"""

from __future__ import annotations

import re

import sympy
from sympy.printing.latex import LatexPrinter

from ..engine.graph import ComputationGraph
from ..exercise.answers import format_number
from ..exercise.boxes import Box, latex_name
from ..exercise.chain_rule import chain_rule_latex
from .measure import FONT, text_size

__all__ = [
    "display",
    "equation_text",
    "hint_texts",
    "leaf_text",
    "note_text",
    "prompt_lines",
    "short_number",
]

NODE_MAX_W = 3.0  # an equation wider than this goes on several lines


def display(latex: str) -> str:
    r"""Fractions in display style (``\dfrac``), full size like the original's handwriting.

    mathtext draws ``\left( \right)`` around one line of text smaller than the text itself, so
    parentheses with no fraction inside are written plain: ``relu(z)``, ``(a - y)^{2}``.

    Examples
    --------
    >>> display(r"\mathrm{relu}\left(z\right) + \left(\frac{a}{2}\right)^{2}")
    '\\mathrm{relu}(z) + \\left(\\dfrac{a}{2}\\right)^{2}'
    """
    latex = latex.replace(r"\frac", r"\dfrac")
    while inner := re.search(r"\\left\(((?:(?!\\left|\\right).)*?)\\right\)", latex):
        plain = "frac" not in inner.group(1)  # a fraction inside needs the tall ones
        latex = latex.replace(
            inner.group(0), f"{'(' if plain else '⟨L'}{inner.group(1)}{')' if plain else '⟩R'}", 1
        )
    return latex.replace("⟨L", r"\left(").replace("⟩R", r"\right)")


def equation_text(graph: ComputationGraph, name: str) -> str:
    """A computed node's equation as mathtext, in the instructor's order of terms (``a = 2 + 3w``).

    An equation wider than NODE_MAX_W goes on several lines, broken before a ``+`` or ``-``.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw1
    >>> equation_text(config_nw1, "a")
    '$a = c + b$'
    """
    node = graph.node(name)
    terms = _terms(display(_SourceOrder(node.source.split("=", 1)[1]).doprint(node.expr)))
    lines = [f"{latex_name(name)} = {terms[0]}"]
    for term in terms[1:]:
        if text_size(f"${lines[-1]} {term}$", FONT)[0] > NODE_MAX_W:
            lines.append(term)
        else:
            lines[-1] += f" {term}"
    return "\n".join(f"${line}$" for line in lines)


class _SourceOrder(LatexPrinter):
    """LaTeX with a sum's terms in the order the instructor wrote them (``c + b``, not ``b + c``)."""

    def __init__(self, source: str):
        super().__init__({"order": "none"})
        self._source = source

    def _as_ordered_terms(self, expr, order=None):
        return sorted(expr.args, key=self._place)

    def _place(self, term: sympy.Expr) -> int:
        """Where the term's first name (or, for a number, the number) appears in the source."""
        names = [symbol.name for symbol in term.free_symbols] or [str(abs(term))]
        spots = [
            m.start() for n in names if (m := re.search(rf"(?<![\w.]){re.escape(n)}(?![\w.])", self._source))
        ]
        return min(spots, default=len(self._source))


def _terms(latex: str) -> list[str]:
    """Split LaTeX before each ``+`` or ``-`` that is outside braces and brackets."""
    terms, depth, start = [], 0, 0
    for i, c in enumerate(latex):
        depth += {"{": 1, "}": -1, "(": 1, ")": -1}.get(c, 0)
        depth += 1 if latex.startswith("\\left", i) else -1 if latex.startswith("\\right", i) else 0
        if depth == 0 and i > start and latex[i - 1 : i + 2] in (" + ", " - "):
            terms.append(latex[start : i - 1])
            start = i
    return [*terms, latex[start:]]


def leaf_text(graph: ComputationGraph, name: str) -> str:
    """A leaf's text in the graph: its name and value (``w = -2``).

    Examples
    --------
    >>> from lab_utils_backprop import config_nw1
    >>> leaf_text(config_nw1, "w")
    '$w = -2$'
    """
    return f"${latex_name(name)} = {format_number(graph.value(name))}$"


def note_text(graph: ComputationGraph, name: str, value: sympy.Expr) -> str:
    r"""What appears under a node once its gradient box is right: ``∂J/∂a = 22`` (the exact answer).

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> print(note_text(config_nw0, "a", config_nw0.gradient("a")))
    $\partial J/\partial a = 22$
    """
    return rf"$\partial {latex_name(graph.output)}/\partial {latex_name(name)} = {short_number(value)}$"


def short_number(value: sympy.Expr) -> str:
    """``format_number``, or four digits in scientific notation when that would be longer than 10 characters.

    Examples
    --------
    >>> short_number(sympy.Rational(9, 2)), short_number(sympy.Float("-8.249e-170", 30))
    ('4.5', '-8.249e-170')
    """
    text = format_number(value)
    return text if len(text) <= 10 else str(sympy.Float(value, 4))


def prompt_lines(graph: ComputationGraph, box: Box, limit: float) -> list[str]:
    r"""The prompt before a derivative box, split after a "+" when wider than ``limit``.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> from lab_utils_backprop.exercise.boxes import boxes_for
    >>> box = next(box for box in boxes_for(config_nw0) if box.id == "gradient:w")
    >>> print(*prompt_lines(config_nw0, box, limit=10))
    $\dfrac{\partial J}{\partial w} = \dfrac{\partial a}{\partial w} \times \dfrac{\partial J}{\partial a} =$
    """
    if box.kind == "local" or graph.consumers(box.wrt) == [graph.output]:
        return [f"${display(box.label)} =$"]
    left, right = display(chain_rule_latex(graph, box.wrt)).split(" = ", 1)
    lines, current = [], f"{left} ="
    for index, term in enumerate(right.split(" + ")):
        end = " =" if index == len(right.split(" + ")) - 1 else " +"
        candidate = f"{current} {term}{end}"
        if current.endswith("+") and text_size(f"${candidate}$", FONT)[0] > limit:
            lines.append(f"${current}$")
            candidate = f"{term}{end}"
        current = candidate
    return [*lines, f"${current}$"]


def hint_texts(graph: ComputationGraph) -> list[str]:
    r"""The output's nudge hint: nudge its first differentiable input, and ask how J moves.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> print(*hint_texts(config_nw0), sep="\n")
    $a \,\uparrow\, 0.001 \quad J \,\uparrow\, ?$
    $a \,\uparrow\, \varepsilon \quad J \,\uparrow\, ?\varepsilon$
    """
    node = graph.node(graph.output)
    wrt = next(name for name in node.inputs if graph.node(name).kind != "data")
    x, out = latex_name(wrt), latex_name(graph.output)
    return [
        rf"${x} \,\uparrow\, 0.001 \quad {out} \,\uparrow\, ?$",
        rf"${x} \,\uparrow\, \varepsilon \quad {out} \,\uparrow\, ?\varepsilon$",
    ]
