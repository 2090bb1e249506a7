r"""What a lesson says: a walk-through notebook for any computation graph, node by node.

For an instructor's graph, :func:`lesson_notebook` writes the cells that show the
interactive graph, compute the forward pass, and then go right to left through the nodes.
Each node gets a heading in math, a picture of the node, one cell that finds its local
derivatives two ways (a nudge by 0.001 and ``sympy.diff``), and one that joins them by the
chain rule and checks each gradient by nudging the input all the way to the output.
Everything the notebook prints is computed by its own cells, and every sentence is written
only where it is true of the graph (data leaves, fan-out, a zero local derivative, functions
whose derivatives students should know).

Executing and storing a notebook is :mod:`.notebook_run`'s job; the command line,
``python -m lab_utils_backprop new``, is :mod:`.cli`'s; how the code is spelled is
:mod:`.lesson_code`'s.
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ..engine.functions import DERIVATIVE_NOTES
from ..engine.graph import ComputationGraph
from ..exercise.answers import format_number
from ..exercise.boxes import latex_name
from ..exercise.chain_rule import chain_rule_latex, frac
from . import lesson_code
from .lesson_code import EPS, FMT, HELPERS, NUMERIC, grad_name, term, tokens

__all__ = ["lesson_notebook"]

#: sympy symbols made per line.
SYMBOLS_PER_LINE = 6

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _names(names) -> str:
    """$a$, $a$ and $b$, $a$, $b$ and $c$: names of the graph, in math."""
    quoted = [f"${latex_name(name)}$" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _is(names, singular: str = "is", plural: str = "are") -> str:
    return singular if len(names) == 1 else plural


def _equation(node) -> str:
    """A node's equation as the lesson's text writes it: ``L = k^{2}``, not ``L = k**2``."""
    return f"{latex_name(node.name)} = {node.latex}"


class _Lesson:
    """The cells of one lesson, written in order; see :func:`lesson_notebook`."""

    def __init__(self, graph: ComputationGraph, pictures: bool):
        lesson_code.check_names(graph)
        self.graph, self.out, self.pictures = graph, graph.output, pictures
        self.cells: list = []
        self.used = {tok for node in graph.computed for tok in tokens(node.source)}
        self.inputs = [n.name for n in graph.nodes if graph.consumers(n.name)]
        self.fan_out = [n.name for n in graph.nodes if n.kind != "data" and len(graph.consumers(n.name)) > 1]
        self.dJ = rf"\partial {latex_name(self.out)}/\partial"

    def md(self, *paragraphs: str, attachments: dict | None = None) -> None:
        extra = {"attachments": attachments} if attachments else {}
        self.cells.append(new_markdown_cell("\n\n".join(p.strip() for p in paragraphs if p), **extra))

    def code(self, *lines: str) -> None:
        self.cells.append(new_code_cell("\n".join(lines)))

    def write(self, title: str, intro: str | None) -> list:
        self.introduction(title, intro)
        self.setup()
        self.forward()
        self.backward_intro()
        for node in reversed(self.graph.computed):
            self.node(node)
        self.closing()
        return self.cells

    def introduction(self, title: str, intro: str | None) -> None:
        graph, params = self.graph, self.graph.params
        data = [name for name in graph.leaves if name not in params]
        values = ", ".join(
            f"${latex_name(name)} = {format_number(graph.value(name))}$" for name in graph.leaves
        )
        self.md(
            f"# {title}",
            intro or "A walk-through of backpropagation on a small computation graph.",
            f"The graph computes ${latex_name(self.out)}$ in {len(graph.computed)} steps, one node each:",
            "\n".join(f"- ${_equation(node)}$" for node in graph.computed),
            f"at {values}. Training would adjust {_is(params, 'the parameter', 'the parameters')} "
            f"{_names(params)}, so we want {' and '.join(f'${frac(self.out, p)}$' for p in params)}."
            + (
                f" {_names(data)} {_is(data)} data: fixed inputs, so no derivative is needed for them."
                if data
                else ""
            ),
            "Every local derivative below is found twice: by nudging a value by 0.001 and watching what "
            "follows (an estimate), and exactly with sympy."
            + (" The chain rule then joins the local pieces." if len(graph.computed) > 1 else "")
            + " Run the cells in order from the top: each uses the values of those above it.",
        )

    def setup(self) -> None:
        imports = ["import sympy as sp"]
        if self.used & (set(NUMERIC) - {"Abs", "abs"} | set(HELPERS)):
            imports.insert(0, "import numpy as np")
        self.code("%matplotlib widget", *imports, "", "from lab_utils_backprop import *")
        self.md(
            "## The interactive graph",
            "Fill the blue boxes from left to right with the forward values, then the green boxes "
            "from right to left with the derivatives. Click a box (or choose it in the list), type a "
            "number such as `4.5` or `9/2`, and press Enter. The steps below work out every box.",
        )
        self.code(*lesson_code.construction(self.graph), "interactive_graph(graph)")

    def forward(self) -> None:
        graph = self.graph
        helpers = [fn for fn in HELPERS if fn in self.used]
        if helpers:
            pairs = " and ".join(f"`{fn}` for numbers, `{fn}_sym` for sympy" for fn in helpers)
            self.md(
                f"Neither numpy nor sympy has these functions under these names, so we define them: {pairs}."
            )
            self.code("\n\n\n".join(HELPERS[fn] for fn in helpers))
        self.md("## Forward pass", "From the inputs, compute every node from left to right:")
        self.code(*lesson_code.forward_lines(graph))
        self.md("These go in the blue boxes.")

    def backward_intro(self) -> None:
        groups = [self.inputs[i : i + SYMBOLS_PER_LINE] for i in range(0, len(self.inputs), SYMBOLS_PER_LINE)]
        self.md(
            "## Backward pass",
            f"Backprop starts at the output ${latex_name(self.out)}$ and moves right to left. At each node "
            "it needs two things: the node's local derivative with respect to each input (the node's own "
            f"equation, differentiated, nothing else), and ${self.dJ}$(node), the gradient found one step "
            f"earlier. Their product is what the input contributes to its own gradient, ${self.dJ}$(input).",
            "sympy differentiates symbols, not numbers. The symbols get names ending in `_sym`, so "
            "they never overwrite the numbers above; `at` maps each symbol to its forward value.",
        )
        self.code(
            *(f'{", ".join(f"{n}_sym" for n in g)} = sp.symbols("{" ".join(g)}", real=True)' for g in groups),
            "at = " + lesson_code.listing("{}", [f"{name}_sym: {name}" for name in self.inputs]),
        )

    def node(self, node) -> None:
        """A node's text and picture, its local derivatives two ways, then the chain rule."""
        graph, n = self.graph, node.name
        data = [name for name in node.inputs if graph.node(name).kind == "data"]
        wrts = [name for name in node.inputs if name not in data]
        picture, attachments = "", None
        if self.pictures:
            from .node_pictures import node_picture  # matplotlib, only when drawing

            picture, attachments = node_picture(graph, n)
        notes = [DERIVATIVE_NOTES[fn] for fn in DERIVATIVE_NOTES if fn in tokens(node.source)]
        others = [name for name in node.inputs if name not in wrts[:1]]
        keep = f", keeping {_names(others)} as {_is(others, 'it is', 'they are')}" if others else ""
        keep = ", one at a time, keeping the other inputs as they are" if len(wrts) > 1 else keep
        self.md(
            f"### Node ${_equation(node)}$",
            picture,
            "This is the output: backprop begins here." if n == self.out else "",
            f"{_names(data)} {_is(data)} data, so backprop needs no derivative with respect to "
            f"{_is(data, 'it', 'them')}."
            if data
            else "",
            f"We find its local derivative{_is(wrts, '', 's')} two ways: nudge {_names(wrts)} by {EPS}"
            f"{keep}, and compute ${latex_name(n)}$ again; then exactly, with sympy. "
            + " ".join(dict.fromkeys(notes))
            if wrts
            else "",
            attachments=attachments,
        )
        if not wrts:
            return
        self.code(
            *"\n\n".join("\n".join(lesson_code.local_lines(graph, node, wrt)) for wrt in wrts).splitlines()
        )
        text, lines = [], []
        for wrt in wrts:
            said, code = self.chain(n, wrt)
            text.append(said)
            lines += [""] * bool(lines and code) + code
        self.md(*text)
        if lines:
            self.code(*lines)

    def chain(self, n: str, wrt: str) -> tuple[str, list[str]]:
        """What a local derivative adds to d(out)/d(wrt), in words and code; at its last path, all of it."""
        graph, out = self.graph, self.out
        consumers = graph.consumers(wrt)
        x, top, o = latex_name(wrt), latex_name(n), latex_name(out)
        zero = ""
        if graph.local(n, wrt) == 0:
            zero = (f" At these values ${frac(n, wrt)} = 0$: a nudge of ${x}$ does not move ${top}$, so "
                    f"along this path nothing reaches ${o}$.")  # fmt: skip
        if n == out and len(consumers) == 1:
            return f"${o}$ is the output, so ${frac(out, wrt)}$ is this local derivative itself.{zero}", []
        if consumers[0] != n:
            later = [c for c in consumers if c != n]
            said = (f"${x}$ also feeds {_names(later)}, so this is one of its paths to ${o}$, and "
                    f"${frac(out, wrt)}$ will add one term per path.{zero}")  # fmt: skip
            return said, [f'print(f"through {n}: {{{" * ".join(term(graph, n, wrt))}:{FMT}}}")']
        paths = ""
        if len(consumers) > 1:
            paths = (f" ${x}$ feeds {len(consumers)} nodes, so its gradient is the sum of one "
                     "term per path: a change in it reaches the output along each.")  # fmt: skip
        grad, terms = grad_name(graph, wrt), [term(graph, c, wrt) for c in consumers]
        shown = " + ".join(" × ".join(f"{{{factor}:{FMT}}}" for factor in term) for term in terms)
        product = " + ".join(" * ".join(term) for term in terms)
        said = (
            f"**The chain rule for ${frac(out, wrt)}$.**{paths}{zero}\n\n$${chain_rule_latex(graph, wrt)}$$"
        )
        return said, [
            f"{grad} = {product}",
            f'print(f"∂{out}/∂{wrt} = {shown} = {{{grad}:{FMT}}}")',
            *lesson_code.nudged(graph, wrt),
            f'print(f"end to end: ∂{out}/∂{wrt} ≈ {{({out}_eps - {out}) / {EPS}:{FMT}}}")',
        ]

    def closing(self) -> None:
        graph, out = self.graph, self.out
        self.md(
            "## Checked by the engine",
            f"`graph.gradient(name)` gives ${self.dJ}$(name) exactly, from one backward sweep over the "
            "same graph. Ours and the engine's, side by side:",
        )
        pairs = ", ".join(f'("{p}", {grad_name(graph, p)})' for p in graph.params)
        self.code(
            f"for name, ours in [{pairs}]:",
            "    engine = float(graph.gradient(name))",
            f'    print(f"∂{out}/∂{{name}}: ours {{ours:{FMT}}}, the engine\'s {{engine:{FMT}}}")',
        )
        results = ", ".join(f"${frac(out, p)} = {format_number(graph.gradient(p))}$" for p in graph.params)
        added = (
            f"; where a value feeds several nodes ({_names(self.fan_out)}), its terms were added"
            if self.fan_out
            else ""
        )
        self.md(
            "## Summary",
            f"Going right to left, each node needed only its own local derivatives and ${self.dJ}$(node) "
            f"from the step before{added}. The result: {results}.",
        )


def lesson_notebook(
    graph: ComputationGraph, title: str | None = None, intro: str | None = None, *, pictures=True
):
    """A walk-through notebook for ``graph`` (not executed).

    Parameters
    ----------
    graph : ComputationGraph
        The exercise. Node names must not clash with the lesson's own variables (``np``,
        ``graph``, builtins ...), or a GraphError says which to rename.
    title, intro : str, optional
        The heading, and a Markdown paragraph under it.
    pictures : bool, default True
        Draw a close-up of each node into the notebook (attachments of its Markdown cell).

    Returns
    -------
    nbformat.NotebookNode
        Version 4, with a python3 kernelspec and stable cell ids.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> nb = lesson_notebook(config_nw0, title="J = (2 + 3w)^2", pictures=False)
    >>> nb.cells[0].source.splitlines()[0], nb.metadata.kernelspec.name
    ('# J = (2 + 3w)^2', 'python3')
    """
    cells = _Lesson(graph, pictures).write(title or "Backpropagation, step by step", intro)
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number:03d}"
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb
