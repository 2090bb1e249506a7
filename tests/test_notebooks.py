"""The lessons in real kernels: each section of a lesson runs on its own, and generated lessons pass nbval.

The shipped notebooks themselves are checked by ``pytest --nbval`` (see the README's test
command); these tests cover what that run cannot: a section run without the ones before
it, and notebooks freshly written by the generator.
"""

from __future__ import annotations

import copy
import math
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from sympy import Max, Rational, diff, symbols

from lab_utils_backprop.authoring.cli import new_command
from lab_utils_backprop.authoring.notebook_run import execute_notebook
from lab_utils_backprop.engine.examples import config_fanout, config_neuron, config_nw0, config_nw1
from lab_utils_backprop.exercise.answers import format_number

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
MAIN_LAB = NOTEBOOKS / "backprop_computation_graph.ipynb"
SANITIZE = NOTEBOOKS / "nbval_sanitize.cfg"


def tagged(nb, tag: str) -> list:
    return [cell for cell in nb.cells if tag in cell.metadata.get("tags", [])]


def text_outputs(cell) -> list[str]:
    """What nbval compares in a cell's outputs, minus images: printed text and text renderings."""
    texts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            texts.append(output.text)
        for kind, value in output.get("data", {}).items():
            if kind.startswith("text/"):
                texts.append(value)
    return texts


def expected_part1() -> list[str]:
    g = config_nw0
    return [
        f"a = {g.value('a')}, J = {g.value('J')}",
        f"dJ/da ≈ {g.finite_difference('a')!r}",
        f"eps = 1e-11: one-sided {g.finite_difference('a', eps=1e-11):.12f}",
        f"eps = 1e-15: one-sided {g.finite_difference('a', eps=1e-15):.12f}",
        f"one-sided: {2 * g.value('a') + Rational(1, 1000)}, central: {g.gradient('a')}",
        f"dJ/da = 2*a = {g.gradient('a')} at a = {g.value('a')}",
        f"da/dw ≈ {g.finite_difference('w', of='a')!r}",
        f"da/dw = {g.local('a', 'w')}",
        f"dJ/dw = 6*a = {g.gradient('w')} at a = {g.value('a')}",
        f"dJ/dw ≈ {g.finite_difference('w')!r}",
    ]


def expected_part2() -> list[str]:
    g = config_nw1
    forward = ", ".join(f"{name} = {format_number(g.value(name))}" for name in "cadJ")
    return [
        forward,
        f"dJ/dd ≈ {g.finite_difference('d')!r}",
        f"dJ/dd = d = {g.gradient('d')}",
        f"dJ/da = dd/da × dJ/dd = {g.gradient('a')}",
        f"dJ/da ≈ {g.finite_difference('a')!r}",
        f"dJ/dc = {g.gradient('c')}",
        f"dJ/db = {g.gradient('b')}",
        f"dJ/db ≈ {g.finite_difference('b')!r}",
        f"dc/dw = x = {g.value('x')}, so dJ/dw = dc/dw × dJ/dc = {g.gradient('w')}",
        f"dJ/dw ≈ {g.finite_difference('w')!r}",
        f"J: {format_number(g.value('J'))} -> {float(after_one_step(g, 1 / Rational(10)).value('J')):g}",
    ]


def after_one_step(g, alpha):
    """The graph after one step of gradient descent, exact: each parameter minus alpha × its gradient."""
    return g.with_values({name: g.value(name) - alpha * g.gradient(name) for name in g.params})


def expected_one_sided() -> list[str]:
    g = config_nw1
    return [
        f"dJ/d{name}: exact {g.gradient(name)}, estimate {g.finite_difference(name):.6f}" for name in "dabw"
    ] + [f"eps = 0.001: estimate {config_nw0.finite_difference('a'):.6f}"]


def expected_central() -> list[str]:
    a, eps = config_nw0.value("a"), Rational(1, 1000)
    return [
        f"eps = {eps}: one-sided {2 * a + eps}, central {2 * a}",
        f"dL/dw0 = {config_neuron.gradient('w0')}",
    ]


def expected_v() -> list[str]:
    """The bottoms of the V where theory puts them: the square root, and the cube root, of float precision."""
    one_sided = round(-math.log10(math.sqrt(sys.float_info.epsilon)))
    central = round(-math.log10(sys.float_info.epsilon ** (1 / 3)))
    return [f"at eps = 1e-{one_sided:02d}", f"at eps = 1e-{central:02d}"]


def expected_check() -> list[str]:
    return ["wrong, 2xd: dJ/dw = 12", "relative difference 5e-01", "[] []"]


def costs(g, alpha, steps: int) -> str:
    values = []
    for _ in range(steps):
        values.append(f"{float(g.value(g.output)):.4g}")
        g = after_one_step(g, alpha)
    return ", ".join(values)


def expected_step() -> list[str]:
    after = after_one_step(config_nw1, Rational(1, 10))
    return [
        f"w: -2 -> {float(after.value('w')):g}, b: 8 -> {float(after.value('b')):g}",
        f"J before: 4.5, J after: {float(after.value('J')):g}",
    ]


def expected_sign() -> list[str]:
    return [f"w = {w}: dJ/dw = {config_nw1.with_values({'w': w}).gradient('w')}" for w in (-2, -5)] + [
        f"alpha = {alpha}: J = {costs(config_nw1, Rational(str(alpha)), 5)}" for alpha in (0.1, 0.5)
    ]


def expected_relu() -> list[str]:
    """The gradients of the whole composed cost, from sympy: 0 where relu's input is negative."""
    w, b, x, y = symbols("w b x y", real=True)
    cost = (Max(0, w * x + b) - y) ** 2 / 2
    lines = []
    for b_value in (1, 8):
        at = {w: -2, b: b_value, x: 2, y: 1}
        grads = [diff(cost, v).subs(at) for v in (w, b)]
        lines.append(f"b = {b_value}: z = {(w * x + b).subs(at)}, dJ/dw = {grads[0]}, dJ/db = {grads[1]}")
    return [*lines, "dJ/dw = 0, dJ/db = 0"]


def not_data_edges(g) -> int:
    return sum(1 for node in g.computed for name in node.inputs if g.node(name).kind != "data")


def expected_count() -> list[str]:
    g = config_nw1
    return [
        f"{(1 + len(g.params)) * len(g.computed)} node evaluations",
        f"dJ/dw = {g.gradient('w')}, dJ/db = {g.gradient('b')}, {not_data_edges(g)} multiplications",
    ]


def expected_diamonds() -> list[str]:
    """Each row from counting by formula: 2^n paths, (n + 1)(3n + 1) evaluations, 5n - 1 edges."""

    def from_x(m):  # multiplications by_paths does from x_k with m diamonds to its right
        return 1 if m == 0 else 2 * from_x(m - 1) + 4

    rows = []
    for n in range(1, 11):
        by_paths = sum(from_x(n - k) + 2 for k in range(1, n + 1))
        rows.append(f"{n:2d}  {2**n:13d}  {(n + 1) * (3 * n + 1):7d}  {by_paths:12d}  {5 * n - 1:5d}")
    return rows


def expected_fanout() -> list[str]:
    g = config_fanout
    through_p, through_r = (g.local(node, "w") * g.gradient(node) for node in ("p", "r"))
    return [
        f"dJ/dw = {through_p} + {through_r} = {g.gradient('w')}",
        f"the engine: dJ/dw = {g.gradient('w')}",
    ]


SECTIONS = {
    MAIN_LAB: {"section-part1": expected_part1, "section-part2": expected_part2},
    NOTEBOOKS / "fan_out.ipynb": {"section-fanout": expected_fanout},
    NOTEBOOKS / "estimates.ipynb": {
        "section-one-sided": expected_one_sided,
        "section-central": expected_central,
        "section-v": expected_v,
        "section-check": expected_check,
    },
    NOTEBOOKS / "gradient_descent.ipynb": {
        "section-step": expected_step,
        "section-sign": expected_sign,
        "section-relu": expected_relu,
    },
    NOTEBOOKS / "reverse_sweep.ipynb": {
        "section-count": expected_count,
        "section-diamonds": expected_diamonds,
    },
}


@pytest.mark.parametrize(
    ("notebook", "section"),
    [(path, section) for path, sections in SECTIONS.items() for section in sections],
    ids=lambda value: value.stem if isinstance(value, Path) else value,
)
def test_each_section_of_a_lesson_runs_alone_in_a_fresh_kernel(notebook, section):
    lesson = nbformat.read(notebook, as_version=4)
    imports, part = tagged(lesson, "imports"), tagged(lesson, section)
    assert len(imports) == 1 and part
    alone = nbformat.v4.new_notebook(cells=copy.deepcopy(imports + part), metadata=lesson.metadata)
    execute_notebook(alone, NOTEBOOKS)
    ran = [cell for cell in alone.cells[1:] if cell.cell_type == "code"]
    stored = [cell for cell in part if cell.cell_type == "code"]
    assert [text_outputs(cell) for cell in ran] == [text_outputs(cell) for cell in stored]
    printed = "".join(
        output.text for cell in ran for output in cell.outputs if output.output_type == "stream"
    )
    for line in SECTIONS[notebook][section]():
        assert line in printed


@pytest.mark.parametrize("notebook", list(SECTIONS), ids=lambda path: path.stem)
def test_every_cell_of_a_lesson_belongs_to_a_tested_section(notebook):
    lesson = nbformat.read(notebook, as_version=4)
    tested = {*SECTIONS[notebook], "imports", "section-summary"}
    for cell in lesson.cells[1:]:
        tags = set(cell.metadata.get("tags", []))
        assert tags and tags <= tested, cell.source[:60]


def test_generated_lessons_pass_nbval_at_once(tmp_path):
    lessons = {
        "exp": ["-e", "z = w*x + b", "-e", "a = exp(-z)", "-e", "L = (a - y)**2", "-v", "w=1", "-v", "x=2"]
        + ["-v", "b=-1", "-v", "y=1/2", "-p", "w,b"],
        "fan_out": ["-e", "p = w*x", "-e", "e = p - y", "-e", "r = w**2", "-e", "J = e**2 + r"]
        + ["-v", "w=2", "-v", "x=3", "-v", "y=5", "-p", "w"],
        "sigmoid_data_leaf": ["-e", "z = w*x", "-e", "a = sigmoid(z)", "-e", "J = (a - y)**2"]
        + ["-v", "w=1/2", "-v", "x=3", "-v", "y=1", "-p", "w"],
    }
    for name, argv in lessons.items():
        assert new_command([*argv, "-o", str(tmp_path / f"{name}.ipynb"), "--execute"]) == 0
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval", "--nbval-current-env"]
        + ["--nbval-sanitize-with", str(SANITIZE), str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
