"""The Python in a lesson's code cells: variable names, an equation's right side for numpy or sympy, literals.

The lesson's prose lives in :mod:`lab_utils_backprop.authoring.lesson`; this module decides
only how its code is spelled, so that the cells run, read well and fit a line, and that no
two things the lesson computes share a variable.
"""

from __future__ import annotations

import builtins
import io
import tokenize

import sympy

from ..engine.equations import GraphError
from ..engine.functions import HELPERS, NUMERIC, SYMBOLIC
from ..engine.graph import ComputationGraph
from ..exercise.answers import format_number

__all__ = [
    "EPS",
    "FMT",
    "HELPERS",
    "NUMERIC",
    "RESERVED",
    "SYMBOLIC",
    "check_names",
    "construction",
    "forward_lines",
    "grad_name",
    "listing",
    "literal",
    "local_lines",
    "local_name",
    "nudged",
    "rewrite",
    "term",
    "tokens",
]

#: The longest line of code a lesson writes where it can choose.
LINE_LENGTH = 90
#: The step of every nudge, as in the original lab.
EPS = "0.001"
#: How every number is printed: ten significant digits hide float noise (and the last-bit
#: differences of exp or log between machines, so stored outputs compare equal anywhere);
#: ``z`` prints a float's -0.0 (0 times a negative number) as 0 (PEP 682, Python 3.11).
FMT = "z.10g"
#: Nodes per print of the forward pass.
NODES_PER_LINE = 5

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


def local_name(graph: ComputationGraph, node: str, wrt: str) -> str:
    """``d{node}_d{wrt}``; into the output from a value that fans out, ``_local`` (it is not the gradient).

    Examples
    --------
    >>> from lab_utils_backprop import config_fanout
    >>> local_name(config_fanout, "p", "w"), local_name(config_fanout, "J", "e")
    ('dp_dw', 'dJ_de')
    """
    shared = node == graph.output and len(graph.consumers(wrt)) > 1
    return f"d{node}_d{wrt}" + ("_local" if shared else "")


def grad_name(graph: ComputationGraph, name: str) -> str:
    """``d{output}_d{name}``: the variable of a gradient."""
    return f"d{graph.output}_d{name}"


def check_names(graph: ComputationGraph) -> None:
    """Refuse node names that would clash with the lesson's own variables, or make two of them one.

    Examples
    --------
    >>> try:
    ...     check_names(ComputationGraph.from_equations(["graph = 2*w", "J = graph**2"], {"w": 1}))
    ... except GraphError as error:
    ...     print(error)
    `graph` is a name the lesson's code needs: rename that node
    """
    import lab_utils_backprop

    used = {tok for node in graph.computed for tok in tokens(node.source)}
    taken = RESERVED | set(dir(builtins)) | set(lab_utils_backprop.__all__)
    taken |= {name for fn in used & set(HELPERS) for name in (fn, f"{fn}_sym")}
    out = graph.output
    meaning: dict[str, str] = {}

    def claim(name: str, what: str) -> None:
        if meaning.setdefault(name, what) != what:
            raise GraphError(
                f"the lesson would use `{name}` for {what} and for {meaning[name]}: rename a node"
            )

    for node in graph.nodes:
        if node.name in taken or node.name.startswith("_"):
            raise GraphError(f"`{node.name}` is a name the lesson's code needs: rename that node")
        claim(node.name, f"the value of `{node.name}`")
    for node in graph.nodes:
        claim(f"{node.name}_sym", f"the sympy symbol of `{node.name}`")
        claim(f"{node.name}_eps", f"the nudged value of `{node.name}`")
        if node.kind != "data":
            claim(grad_name(graph, node.name), f"d{out}/d{node.name}")
    for node in graph.computed:
        for wrt in node.inputs:
            local = local_name(graph, node.name, wrt)
            claim(local, f"d{node.name}/d{wrt}" + (" (local)" if local.endswith("_local") else ""))
            claim(f"{local}_expr", f"d{node.name}/d{wrt} as sympy")


def numeric(graph: ComputationGraph, name: str, rename: dict[str, str]) -> str:
    """A node's right side for numpy, with some inputs renamed (``z`` as ``z_eps``)."""
    return rewrite(graph.node(name).source.split("=", 1)[1].strip(), {**NUMERIC, **rename})


def construction(graph: ComputationGraph) -> list[str]:
    """The code that builds ``graph`` again, as an instructor would write it."""
    arguments = [
        listing("[]", [f'"{eq.source}"' for eq in graph.equations], "    "),
        listing("{}", [f'"{name}": {literal(graph.value(name))}' for name in graph.leaves], "    "),
    ]
    if graph.params != list(graph.leaves):
        arguments.append("params=" + listing("[]", [f'"{p}"' for p in graph.params], "    "))
    if graph.output != graph.equations[-1].name:
        arguments.append(f'output="{graph.output}"')
    return ["graph = ComputationGraph.from_equations(", *(f"    {a}," for a in arguments), ")"]


def forward_lines(graph: ComputationGraph) -> list[str]:
    """The forward pass in floats, every node left to right, and a print of the computed ones."""
    lines = [f"{name} = {literal(graph.value(name))}" for name in graph.leaves]
    lines += [f"{n.name} = {numeric(graph, n.name, {})}" for n in graph.computed]
    shown = [f"{n.name} = {{{n.name}:{FMT}}}" for n in graph.computed]
    groups = [shown[start : start + NODES_PER_LINE] for start in range(0, len(shown), NODES_PER_LINE)]
    return [*lines, *(f'print(f"{", ".join(group)}")' for group in groups)]


def local_lines(graph: ComputationGraph, node, wrt: str) -> list[str]:
    """The local derivative of ``node`` with respect to ``wrt``: an estimate by a nudge, then sympy's."""
    n, local = node.name, local_name(graph, node.name, wrt)
    label = f"∂{n}/∂{wrt}" + (" (local)" if local.endswith("_local") else "")
    right = node.source.split("=", 1)[1].strip()
    symbolic = rewrite(right, {**SYMBOLIC, **{name: f"{name}_sym" for name in node.inputs}})
    value = "" if graph.local_expr(n, wrt).is_number else f" = {{{local}:{FMT}}}"
    return [
        f"{wrt}_eps = {wrt} + {EPS}",
        f"{n}_eps = {numeric(graph, n, {wrt: f'{wrt}_eps'})}",
        f'print(f"{label} ≈ {{({n}_eps - {n}) / {EPS}:{FMT}}}")',
        f"{local}_expr = sp.diff({symbolic}, {wrt}_sym)",
        f"{local} = float({local}_expr.subs(at))",
        f'print(f"{label} = {{{local}_expr}}{value}")',
    ]


def term(graph: ComputationGraph, consumer: str, wrt: str) -> list[str]:
    """The factors of one path's chain-rule term: local, gradient (just local into the output)."""
    local = local_name(graph, consumer, wrt)
    return [local] if consumer == graph.output else [local, grad_name(graph, consumer)]


def nudged(graph: ComputationGraph, name: str) -> list[str]:
    """Code that nudges ``name`` and recomputes every node downstream of it."""
    lines, moved = [f"{name}_eps = {name} + {EPS}"], {name: f"{name}_eps"}
    for node in graph.computed:
        if moved.keys() & set(node.inputs):
            lines.append(f"{node.name}_eps = {numeric(graph, node.name, moved)}")
            moved[node.name] = f"{node.name}_eps"
    return lines
