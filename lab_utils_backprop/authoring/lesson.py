r"""What a lesson says: a walk-through notebook for any computation graph, cell by cell.

For an instructor's graph, :func:`lesson_notebook` writes the cells that show the
interactive graph, compute the forward pass, and then go right to left through the nodes:
for each input of each node, the local derivative by a 0.001 bump and by ``sympy.diff``,
joined by the chain rule and checked by bumping the input all the way to the output.
Everything the notebook prints is computed by its own cells, and the prose adapts to the
graph (data leaves, fan-out, functions whose derivatives students should know).

Executing and storing a notebook is :mod:`lab_utils_backprop.notebook_run`'s job; the
command line, ``python -m lab_utils_backprop new``, is :mod:`lab_utils_backprop.lesson_cli`'s.
"""

from __future__ import annotations

import builtins

import nbformat
import sympy
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ..engine.equations import GraphError
from ..engine.functions import DERIVATIVE_NOTES
from ..engine.graph import ComputationGraph
from ..exercise.answers import format_number
from ..exercise.chain_rule import chain_rule_latex, frac
from .lesson_code import HELPERS, NUMERIC, RESERVED, SYMBOLIC, listing, literal, rewrite, tokens

__all__ = ["lesson_notebook"]

#: The step of every bump, as in the original lab.
EPS = "0.001"
#: How every number is printed: ten significant digits hide float noise (and the last-bit
#: differences of exp or log between machines, so stored outputs compare equal anywhere).
FMT = ".10g"
#: Nodes per print of the forward pass; sympy symbols made per line.
NODES_PER_LINE, SYMBOLS_PER_LINE = 5, 6

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _names(names) -> str:
    """`a`, `a` and `b`, `a`, `b` and `c`."""
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _math(name: str) -> str:
    return sympy.latex(sympy.Symbol(name))


class _Lesson:
    """The cells of one lesson, written in order; see :func:`lesson_notebook`."""

    def __init__(self, graph: ComputationGraph):
        self.graph = graph
        self.out = graph.output
        self.cells: list = []
        self.used = {tok for node in graph.computed for tok in tokens(node.source)}
        self.inputs = [n.name for n in graph.nodes if graph.consumers(n.name)]
        self._check_names()

    # -- naming ---------------------------------------------------------------------------

    def rhs(self, name: str) -> str:
        return self.graph.node(name).source.split("=", 1)[1].strip()

    def local_name(self, node: str, wrt: str) -> str:
        """d{node}_d{wrt}; into the output, from a value that fans out, marked _local."""
        shared = node == self.out and len(self.graph.consumers(wrt)) > 1
        return f"d{node}_d{wrt}" + ("_local" if shared else "")

    def grad_name(self, name: str) -> str:
        return f"d{self.out}_d{name}"

    def _check_names(self) -> None:
        """Refuse node names that would clash with the lesson's own variables, or make two of them one."""
        import lab_utils_backprop

        taken = RESERVED | set(dir(builtins)) | set(lab_utils_backprop.__all__)
        taken |= {name for fn in self.used & set(HELPERS) for name in (fn, f"{fn}_sym")}
        out = self.out
        meaning: dict[str, str] = {}

        def claim(name: str, what: str) -> None:
            if meaning.setdefault(name, what) != what:
                raise GraphError(
                    f"the lesson would use `{name}` for {what} and for {meaning[name]}: rename a node"
                )

        for node in self.graph.nodes:
            if node.name in taken or node.name.startswith("_"):
                raise GraphError(f"`{node.name}` is a name the lesson's code needs: rename that node")
            claim(node.name, f"the value of `{node.name}`")
        for node in self.graph.nodes:
            claim(f"{node.name}_sym", f"the sympy symbol of `{node.name}`")
            claim(f"{node.name}_eps", f"the nudged value of `{node.name}`")
            if node.kind != "data":
                claim(self.grad_name(node.name), f"d{out}/d{node.name}")
        for node in self.graph.computed:
            for wrt in node.inputs:
                local = self.local_name(node.name, wrt)
                claim(local, f"d{node.name}/d{wrt}" + (" (local)" if local.endswith("_local") else ""))
                claim(f"{local}_expr", f"d{node.name}/d{wrt} as sympy")

    # -- writing --------------------------------------------------------------------------

    def md(self, *paragraphs: str) -> None:
        self.cells.append(new_markdown_cell("\n\n".join(p for p in paragraphs if p)))

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
        graph = self.graph
        params = graph.params
        data = [name for name in graph.leaves if name not in params]
        equations = "\n".join(f"    {eq.source}" for eq in graph.equations)
        values = ", ".join(f"{name} = {format_number(graph.value(name))}" for name in graph.leaves)
        self.md(
            f"# {title}",
            intro or "A walk-through of backpropagation on a small computation graph.",
            f"The graph computes `{self.out}` in {len(graph.computed)} steps, one node per equation:",
            equations,
            f"at {values}. Training would adjust {'the parameter' if len(params) == 1 else 'the parameters'} "
            f"{_names(params)}, so we want {' and '.join(f'${frac(self.out, p)}$' for p in params)}."
            + (
                f" {_names(data)} {'is' if len(data) == 1 else 'are'} data: fixed inputs, so no derivative "
                "is needed for them."
                if data
                else ""
            ),
            "Every derivative below is found twice: by nudging a value by 0.001 and watching what "
            "follows (arithmetic), and exactly with sympy (symbolic). The chain rule then joins the "
            "local pieces. Run the cells in order from the top: each uses the values of those above it.",
        )

    def setup(self) -> None:
        imports = ["import sympy as sp"]
        if self.used & (set(NUMERIC) - {"Abs", "abs"} | set(HELPERS)):
            imports.insert(0, "import numpy as np")
        self.code("%matplotlib widget", *imports, "", "from lab_utils_backprop import *")
        graph = self.graph
        arguments = [
            listing("[]", [f'"{eq.source}"' for eq in graph.equations], "    "),
            listing("{}", [f'"{name}": {literal(graph.value(name))}' for name in graph.leaves], "    "),
        ]
        if graph.params != list(graph.leaves):
            arguments.append("params=" + listing("[]", [f'"{p}"' for p in graph.params], "    "))
        if self.out != graph.equations[-1].name:
            arguments.append(f'output="{self.out}"')
        self.md(
            "## The interactive graph",
            "Fill the blue boxes from left to right with the forward values, then the green boxes "
            "from right to left with the derivatives. Click a box (or choose it in the list), type a "
            "number such as `4.5` or `9/2`, and press Enter. The steps below work out every box.",
        )
        self.code(
            "graph = ComputationGraph.from_equations(",
            *(f"    {a}," for a in arguments),
            ")",
            "interactive_graph(graph)",
        )

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
        lines = [f"{name} = {literal(graph.value(name))}" for name in graph.leaves]
        lines += [f"{n.name} = {self.numeric(n.name, {})}" for n in graph.computed]
        shown = [f"{n.name} = {{{n.name}:{FMT}}}" for n in graph.computed]
        groups = [shown[start : start + NODES_PER_LINE] for start in range(0, len(shown), NODES_PER_LINE)]
        self.code(*lines, *(f'print(f"{", ".join(group)}")' for group in groups))
        self.md("These go in the blue boxes.")

    def numeric(self, name: str, rename: dict[str, str]) -> str:
        return rewrite(self.rhs(name), {**NUMERIC, **rename})

    def backward_intro(self) -> None:
        groups = [
            self.inputs[start : start + SYMBOLS_PER_LINE]
            for start in range(0, len(self.inputs), SYMBOLS_PER_LINE)
        ]
        self.md(
            "## Backward pass",
            f"Backprop starts at the output `{self.out}` and moves right to left. At each node it "
            "needs two things: the node's local derivative with respect to each input, and "
            f"$\\partial {_math(self.out)}/\\partial$(node), found one step earlier. Their product is "
            f"what the input contributes to $\\partial {_math(self.out)}/\\partial$(input).",
            "sympy differentiates symbols, not numbers. The symbols get names ending in `_sym`, so "
            "they never overwrite the numbers above; `at` maps each symbol to its forward value.",
        )
        self.code(
            *(
                f'{", ".join(f"{n}_sym" for n in group)} = sp.symbols("{" ".join(group)}", real=True)'
                for group in groups
            ),
            "at = " + listing("{}", [f"{name}_sym: {name}" for name in self.inputs]),
        )

    def node(self, node) -> None:
        graph = self.graph
        data = [name for name in node.inputs if graph.node(name).kind == "data"]
        lead = "This is the output: backprop begins here." if node.name == self.out else ""
        skip = (f"{_names(data)} {'is' if len(data) == 1 else 'are'} data, so backprop needs no derivative "
                f"with respect to {'it' if len(data) == 1 else 'them'}." if data else "")  # fmt: skip
        self.md(f"### Node `{node.source}`", lead, skip)
        for wrt in node.inputs:
            if wrt not in data:
                self.edge(node, wrt)

    def edge(self, node, wrt: str) -> None:
        """The local derivative of ``node`` with respect to ``wrt`` two ways, then the chain rule."""
        n, local = node.name, self.local_name(node.name, wrt)
        label = f"∂{n}/∂{wrt}" + (" (local)" if local.endswith("_local") else "")
        others = [name for name in node.inputs if name != wrt]
        keep = f", keep {_names(others)} as {'it is' if len(others) == 1 else 'they are'}," if others else ""
        self.md(f"**${frac(n, wrt)}$ by arithmetic.** Nudge `{wrt}` by {EPS}{keep} and compute `{n}` again:")
        self.code(
            f"{wrt}_eps = {wrt} + {EPS}",
            f"{n}_eps = {self.numeric(n, {wrt: f'{wrt}_eps'})}",
            f'print(f"{label} ≈ {{({n}_eps - {n}) / {EPS}:{FMT}}}")',
        )
        notes = [DERIVATIVE_NOTES[fn] for fn in DERIVATIVE_NOTES if fn in tokens(node.source)]
        self.md(f"**${frac(n, wrt)}$ with sympy**, exactly:", " ".join(dict.fromkeys(notes)))
        symbolic = rewrite(self.rhs(n), {**SYMBOLIC, **{name: f"{name}_sym" for name in node.inputs}})
        value = "" if self.graph.local_expr(n, wrt).is_number else f" = {{{local}:{FMT}}}"
        self.code(
            f"{local}_expr = sp.diff({symbolic}, {wrt}_sym)",
            f"{local} = float({local}_expr.subs(at))",
            f'print(f"{label} = {{{local}_expr}}{value}")',
        )
        self.chain(n, wrt)

    def chain(self, n: str, wrt: str) -> None:
        """After a local derivative: what it adds to dJ/d(wrt); at the last step, dJ/d(wrt) itself."""
        graph, out = self.graph, self.out
        consumers = graph.consumers(wrt)
        if n == out and len(consumers) == 1:
            self.md(f"`{out}` is the output, so this local derivative is already ${frac(out, wrt)}$.")
            return
        if consumers[0] != n:
            later = [c for c in consumers if c != n]
            self.md(
                f"`{wrt}` also feeds {_names(later)}, so this is one of its paths to `{out}`: "
                f"${frac(out, wrt)}$ will add up one term per path. This path's term:"
            )
            self.code(f'print(f"through {n}: {{{" * ".join(self.term(n, wrt))}:{FMT}}}")')
            return
        rule = chain_rule_latex(graph, wrt)
        paths = ""
        if len(consumers) > 1:
            paths = (f" `{wrt}` feeds {len(consumers)} nodes, so its gradient is the sum of one term per "
                     "path: a change in it reaches the output along each.")  # fmt: skip
        self.md(f"**The chain rule.**{paths}", f"$${rule}$$")
        terms = [self.term(c, wrt) for c in consumers]
        shown = " + ".join(" × ".join(f"{{{factor}:{FMT}}}" for factor in term) for term in terms)
        self.code(
            f"{self.grad_name(wrt)} = {' + '.join(' * '.join(term) for term in terms)}",
            f'print(f"∂{out}/∂{wrt} = {shown} = {{{self.grad_name(wrt)}:{FMT}}}")',
        )
        self.md(f"Check it end to end: nudge `{wrt}` and run the graph forward from there.")
        self.code(
            *self.bumped(wrt), f'print(f"end to end: ∂{out}/∂{wrt} ≈ {{({out}_eps - {out}) / {EPS}:{FMT}}}")'
        )

    def term(self, consumer: str, wrt: str) -> list[str]:
        """The factors of one path's chain-rule term: local, gradient (just local into the output)."""
        local = self.local_name(consumer, wrt)
        return [local] if consumer == self.out else [local, self.grad_name(consumer)]

    def bumped(self, name: str) -> list[str]:
        """Code that nudges ``name`` and recomputes every node downstream of it."""
        lines, moved = [f"{name}_eps = {name} + {EPS}"], {name: f"{name}_eps"}
        for node in self.graph.computed:
            if moved.keys() & set(node.inputs):
                lines.append(f"{node.name}_eps = {self.numeric(node.name, moved)}")
                moved[node.name] = f"{node.name}_eps"
        return lines

    def closing(self) -> None:
        graph, out = self.graph, self.out
        self.md(
            "## The engine agrees",
            f"`graph.gradient(name)` gives $\\partial {_math(out)}/\\partial$(name) exactly, from one "
            "backward sweep over the same graph:",
        )
        pairs = ", ".join(f'("{p}", {self.grad_name(p)})' for p in graph.params)
        self.code(
            f"for name, ours in [{pairs}]:",
            "    engine = float(graph.gradient(name))",
            f'    print(f"∂{out}/∂{{name}}: ours {{ours:{FMT}}}, the engine\'s {{engine:{FMT}}}")',
        )
        results = ", ".join(f"${frac(out, p)} = {format_number(graph.gradient(p))}$" for p in graph.params)
        self.md(
            "## Summary",
            f"Going right to left, each node needed only its own local derivatives and "
            f"$\\partial {_math(out)}/\\partial$(node) from the step before; where a value feeds several "
            f"nodes, its terms were added. The result: {results}.",
        )


def lesson_notebook(graph: ComputationGraph, title: str | None = None, intro: str | None = None):
    """A walk-through notebook for ``graph`` (not executed).

    Parameters
    ----------
    graph : ComputationGraph
        The exercise. Node names must not clash with the lesson's own variables (``np``,
        ``graph``, builtins ...), or a GraphError says which to rename.
    title, intro : str, optional
        The heading, and a Markdown paragraph under it.

    Returns
    -------
    nbformat.NotebookNode
        Version 4, with a python3 kernelspec and stable cell ids.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> nb = lesson_notebook(config_nw0, title="J = (2 + 3w)^2")
    >>> nb.cells[0].source.splitlines()[0], nb.metadata.kernelspec.name
    ('# J = (2 + 3w)^2', 'python3')
    """
    cells = _Lesson(graph).write(title or "Backpropagation, step by step", intro)
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number:03d}"
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb
