"""The lesson generator: what a generated notebook prints agrees with the engine; bad input writes nothing.

Generated notebooks are run here in-process (their code cells, minus the ``%`` magic and
the interactive graph, which tests/test_notebooks.py runs in a real kernel), so many graphs
are cheap to check.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import math
import re
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from PIL import Image
from random_graphs import graphs

from lab_utils_backprop import ComputationGraph, GraphError
from lab_utils_backprop.authoring.cli import new_command
from lab_utils_backprop.authoring.exercise_file import read_exercise
from lab_utils_backprop.authoring.lesson import lesson_notebook
from lab_utils_backprop.engine.examples import config_fanout, config_neuron, config_nw0, config_nw1
from lab_utils_backprop.exercise.boxes import latex_name

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: A graph with every function that needs a helper or a derivative note, and a data leaf.
FUNCTIONS = ComputationGraph.from_equations(
    ["z = w*x + b", "a = sigmoid(z)", "h = relu(a - c)", "L = (h - y)^2 + log(w**2) + tanh(b)"],
    {"w": 3, "x": "1/2", "b": -1, "y": 1, "c": "1/10"},
    params=["w", "b", "c"],
)
#: A value that feeds the output and another node: its local box into the output is not its gradient.
INTO_OUTPUT = ComputationGraph.from_equations(["a = 2*w", "J = a*w + exp(w/4)"], {"w": 1})
EXAMPLES = {
    "into_output": INTO_OUTPUT,
    "nw0": config_nw0,
    "nw1": config_nw1,
    "neuron": config_neuron,
    "fanout": config_fanout,
    "functions": FUNCTIONS,
}


def run_cells(nb) -> str:
    """Run a generated notebook's code in this process (no magics, no widget); return what it printed."""
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for cell in nb.cells:
            if cell.cell_type == "code":
                lines = [line for line in cell.source.splitlines() if not line.startswith("%")]
                source = "\n".join(line for line in lines if line != "interactive_graph(graph)")
                exec(compile(source, "<lesson cell>", "exec"), namespace)
    return printed.getvalue()


def shown(value) -> str:
    """A number as the lessons print it."""
    return format(float(value), ".10g")


def same(printed: str, value) -> bool:
    """The printed number is ``value``; a zero is printed 0, never -0."""
    return printed == shown(value + 0.0)


def check_printed_numbers(graph: ComputationGraph, text: str) -> None:
    """Every number the lesson prints is the engine's, or (for a nudge) close to it."""
    out = graph.output
    lines = text.splitlines()
    first_derivative = next(i for i, line in enumerate(lines) if line.startswith("∂"))
    forward = re.findall(r"(\w+) = (\S+?)(?:,|$)", "\n".join(lines[:first_derivative]), re.MULTILINE)
    assert [name for name, _ in forward] == [n.name for n in graph.computed]
    assert all(same(number, graph.value(name)) for name, number in forward), forward
    seen = set()
    for line in lines:
        if match := re.fullmatch(r"∂(\w+)/∂(\w+)(?: \(local\))? ≈ (\S+)", line):  # a local bump
            top, bottom, number = match.groups()
            assert math.isclose(float(number), graph.local(top, bottom), rel_tol=0.02, abs_tol=0.02), line
        elif match := re.fullmatch(r"end to end: ∂(\w+)/∂(\w+) ≈ (\S+)", line):
            top, bottom, number = match.groups()
            assert math.isclose(float(number), graph.finite_difference(bottom), rel_tol=1e-6, abs_tol=1e-9), (
                line
            )
        elif match := re.fullmatch(r"∂(\w+)/∂(\w+) = (.* × .*) = (\S+)", line):  # the chain rule
            top, bottom, _, number = match.groups()
            assert top == out and same(number, graph.gradient(bottom)), line
            seen.add(bottom)
        elif match := re.fullmatch(r"∂(\w+)/∂(\w+)(?: \(local\))? = (.*)", line):  # sympy's local derivative
            top, bottom, rest = match.groups()
            assert same(rest.rsplit(" = ", 1)[-1], graph.local(top, bottom)), line
            if top == out and graph.consumers(bottom) == [out]:
                seen.add(bottom)
    # every input that is not data gets its gradient, by the chain rule or straight from the output
    assert seen == {
        name for node in graph.computed for name in node.inputs if graph.node(name).kind != "data"
    }
    found = re.findall(rf"∂{out}/∂(\w+): ours (\S+), the engine's (\S+)", text)
    assert [param for param, _, _ in found] == graph.params
    for param, ours, engine in found:
        assert same(ours, graph.gradient(param)) and same(engine, graph.gradient(param)), (
            param,
            ours,
            engine,
        )


@pytest.mark.parametrize("name", EXAMPLES)
def test_generated_lesson_prints_the_engines_numbers(name):
    graph = EXAMPLES[name]
    check_printed_numbers(graph, run_cells(lesson_notebook(graph, pictures=False)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(max_nodes=7))
def test_generated_lesson_is_right_for_random_graphs(graph):
    check_printed_numbers(graph, run_cells(lesson_notebook(graph, pictures=False)))


def text_of(graph: ComputationGraph) -> str:
    return "\n".join(cell.source for cell in lesson_notebook(graph, pictures=False).cells)


def test_lesson_reads_well_for_fan_out_data_leaves_and_functions():
    fanout = text_of(config_fanout)
    assert "$w$ feeds 2 nodes, so its gradient is the sum of one term per path" in fanout
    assert "$w$ also feeds $p$" in fanout
    assert "$x$ and $y$ are data" in fanout
    functions = text_of(FUNCTIONS)
    assert r"$\sigma(z)\,(1 - \sigma(z))$" in functions
    assert r"$1 - \tanh^2 u$" in functions
    assert "def sigmoid(z):" in functions and "def relu_sym(z):" in functions
    assert "import numpy as np" in functions
    assert "import numpy" not in text_of(config_nw1)


#: A relu unit whose input is negative: every gradient left of it is 0.
DEAD_RELU = ComputationGraph.from_equations(
    ["z = w*x + b", "a = relu(z)", "d = a - y", "J = d**2/2"],
    {"w": -2, "b": 1, "x": 2, "y": 1},
    params=["w", "b"],
)


def test_each_sentence_only_where_it_is_true_of_the_graph():
    added = "where a value feeds several nodes"
    assert added in text_of(config_fanout) and added not in text_of(config_nw1)
    assert "one at a time" not in text_of(config_nw0)  # every node has one input
    nw1 = text_of(config_nw1)
    assert "nudge $a$ by 0.001, keeping $y$ as it is," in nw1  # one input to nudge, one data input kept
    assert "nudge $c$ and $b$ by 0.001, one at a time" in nw1
    assert "is data" in nw1 and "is data" not in text_of(config_nw0)
    zero = "along this path nothing reaches"
    assert zero in text_of(DEAD_RELU) and zero not in text_of(config_nw1) + text_of(FUNCTIONS)
    joins = "The chain rule then joins"
    assert joins in nw1 and joins not in text_of(ComputationGraph.from_equations(["J = w**2"], {"w": 3}))


def test_a_zero_gradient_prints_0_never_minus_0():
    printed = run_cells(lesson_notebook(DEAD_RELU, pictures=False))
    check_printed_numbers(DEAD_RELU, printed)
    assert "∂J/∂w: ours 0, the engine's 0" in printed and "∂J/∂b: ours 0, the engine's 0" in printed
    assert not re.search(r"(?<![\w.])-0(?![\w.])", printed), printed


def test_headings_and_equations_are_math_not_python():
    nb = lesson_notebook(config_neuron, pictures=False)
    headings = [line for cell in nb.cells for line in cell.source.splitlines() if line.startswith("### Node")]
    assert headings[0] == "### Node $L = k^{2}$" and "### Node $h = e^{g}$" in headings
    assert len(headings) == len(config_neuron.computed)
    prose = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    assert "k**2" not in prose and "x0*w0" not in prose and "exp(g)" not in prose


def test_each_node_has_its_picture_in_the_notebook():
    nb = lesson_notebook(config_nw1)
    for node in config_nw1.computed:
        cell = next(c for c in nb.cells if c.source.startswith(f"### Node ${latex_name(node.name)} ="))
        (file,) = cell.attachments
        assert f"(attachment:{file})" in cell.source
        picture = Image.open(io.BytesIO(base64.b64decode(cell.attachments[file]["image/png"])))
        assert picture.format == "PNG" and picture.width > 100 and picture.height > 50
    assert not any("attachments" in c for c in lesson_notebook(config_nw1, pictures=False).cells)


def test_repeated_blocks_are_grouped_a_few_cells_per_node():
    nb = lesson_notebook(config_neuron, pictures=False)
    assert len(nb.cells) <= 4 * len(config_neuron.computed) + 12, len(nb.cells)


def test_notebook_shape():
    nb = lesson_notebook(config_nw0, title="Two nodes", intro="An intro.", pictures=False)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    first_code = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert first_code.source.splitlines() == [
        "%matplotlib widget",
        "import sympy as sp",
        "",
        "from lab_utils_backprop import *",
    ]
    assert nb.cells[0].source.startswith("# Two nodes\n\nAn intro.")
    assert any("interactive_graph(graph)" in cell.source for cell in nb.cells)
    assert [cell.id for cell in nb.cells] == [
        cell.id for cell in lesson_notebook(config_nw0, pictures=False).cells
    ]


@pytest.mark.parametrize(
    ("equations", "clash"),
    [
        ("graph = 2*w\nJ = graph**2", "`graph`"),
        ("a = 3*w\na_sym = a + 1\nJ = a_sym**2", "`a_sym`"),
        ("sum = 3*w\nJ = sum**2", "`sum`"),
        ("w_expr = 3*v\nJ = w*w_expr", "`dJ_dw_expr` for dJ/dw as sympy and for dJ/dw_expr"),
    ],
)
def test_node_names_that_the_lessons_code_needs_are_refused(equations, clash):
    values = {"w": 1, "v": 2} if "v" in equations else {"w": 1}
    with pytest.raises(GraphError, match=clash):
        lesson_notebook(ComputationGraph.from_equations(equations, values))


def test_command_line_writes_a_notebook(tmp_path, capsys):
    path = tmp_path / "lesson.ipynb"
    code = new_command(
        ["-e", "a = 2 + 3*w", "-e", "J = a^2", "-v", "w=3", "--title", "Warm-up", "-o", str(path)]
    )
    assert code == 0
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].source.startswith("# Warm-up")
    assert f"wrote {path}" in capsys.readouterr().out
    check_printed_numbers(config_nw0, run_cells(nb))


def test_exercise_file_and_command_line_values(tmp_path):
    exercise = tmp_path / "neuron.toml"
    exercise.write_text('title = "Tiny"\nequations = """\nz = w*x\nJ = z**2\n"""\nparams = ["w"]\n')
    with exercise.open("a") as file:
        file.write('[values]\nw = 2\nx = "1/2"\n')
    assert read_exercise(exercise) == {
        "equations": "z = w*x\nJ = z**2\n",
        "values": {"w": 2, "x": "1/2"},
        "params": ["w"],
        "output": None,
        "title": "Tiny",
        "intro": None,
    }
    path = tmp_path / "tiny.ipynb"
    assert new_command(["--from", str(exercise), "-v", "w=3", "-o", str(path)]) == 0
    graph = ComputationGraph.from_equations(["z = w*x", "J = z**2"], {"w": 3, "x": "1/2"}, params=["w"])
    check_printed_numbers(graph, run_cells(nbformat.read(path, as_version=4)))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["-e", "a = 2 + 3w", "-e", "J = a**2", "-v", "w=3"],
            "line 1 (a = 2 + 3w): `2 + 3w` is not a valid expression",
        ),
        (["-e", "a = 2 + 3*w", "-e", "J = a**2 + b"], "line 1 (a = 2 + 3*w): `w` has no value"),
        (["-e", "a = 2 + 3*w", "-e", "J = a**2", "-v", "w=three"], "the value of `w` must be a number"),
        (["-e", "a = 2 + 3*w", "-v", "w"], "a value must be written NAME=NUMBER"),
        (
            ["-e", "a = 2 + 3*w", "-e", "J = a**2", "-v", "w=3", "-v", "w=4"],
            "`w` is given twice (-v w=3 and -v w=4): give it once",
        ),
        (["--from", "missing.toml"], "cannot read missing.toml"),
    ],
)
def test_bad_input_fails_with_the_engines_message_and_writes_nothing(
    tmp_path, capsys, monkeypatch, argv, message
):
    monkeypatch.chdir(tmp_path)
    assert new_command([*argv, "-o", "lesson.ipynb"]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('equations = "J = w**2"\nvalues = 3\n', "bad.toml: `values` has the wrong type (int)"),
        ('equations = "J = w**2"\nsteps = 2\n[values]\nw = 1\n', "bad.toml: unknown key(s) steps"),
        ("[values]\nw = 1\n", "bad.toml: `equations` is missing"),
        ('equations = "J = w**2\n', "cannot read bad.toml"),
    ],
)
def test_bad_exercise_file_is_refused(tmp_path, capsys, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    Path("bad.toml").write_text(text)
    assert new_command(["--from", "bad.toml", "-o", "x.ipynb"]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_an_existing_file_is_kept_without_force(tmp_path, capsys):
    path = tmp_path / "lesson.ipynb"
    path.write_text("{}")
    argv = ["-e", "J = w**2", "-v", "w=1", "-o", str(path)]
    assert new_command(argv) == 2
    assert "add --force" in capsys.readouterr().err
    assert path.read_text() == "{}"
    assert new_command([*argv, "--force"]) == 0
    assert json.loads(path.read_text())["nbformat"] == 4


def test_the_shipped_neuron_lesson_is_the_generators_output():
    exercise = read_exercise(NOTEBOOKS / "sigmoid_neuron.toml")
    title, intro = exercise.pop("title"), exercise.pop("intro")
    generated = lesson_notebook(ComputationGraph.from_equations(**exercise), title, intro)
    shipped = nbformat.read(NOTEBOOKS / "sigmoid_neuron.ipynb", as_version=4)
    assert [(c.cell_type, c.source) for c in shipped.cells] == [
        (c.cell_type, c.source) for c in generated.cells
    ]
