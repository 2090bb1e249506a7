"""The lessons in real kernels: each part of the main lab runs on its own, and generated lessons pass nbval.

The shipped notebooks themselves are checked by ``pytest --nbval`` (see the README's test
command); these tests cover what that run cannot: a section run without the ones before
it, and notebooks freshly written by the generator.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from sympy import Rational

from lab_utils_backprop.authoring.cli import new_command
from lab_utils_backprop.authoring.notebook_run import execute_notebook
from lab_utils_backprop.engine.examples import config_nw0, config_nw1
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


@pytest.mark.parametrize(
    ("section", "expected"), [("section-part1", expected_part1), ("section-part2", expected_part2)]
)
def test_each_part_of_the_main_lab_runs_alone_in_a_fresh_kernel(section, expected):
    lab = nbformat.read(MAIN_LAB, as_version=4)
    imports, part = tagged(lab, "imports"), tagged(lab, section)
    assert len(imports) == 1 and part
    alone = nbformat.v4.new_notebook(cells=copy.deepcopy(imports + part), metadata=lab.metadata)
    execute_notebook(alone, NOTEBOOKS)
    ran = [cell for cell in alone.cells[1:] if cell.cell_type == "code"]
    stored = [cell for cell in part if cell.cell_type == "code"]
    assert [text_outputs(cell) for cell in ran] == [text_outputs(cell) for cell in stored]
    printed = "".join(
        output.text for cell in ran for output in cell.outputs if output.output_type == "stream"
    )
    for line in expected():
        assert line in printed


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
