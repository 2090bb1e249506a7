"""Hostile exercises: from_equations raises only GraphError, in bounded time, and a graph that
builds can be laid out, hinted, revealed and answered.

Each case runs in one long-lived worker process with a time limit per case (a hang is a
failure, and the worker is replaced), so the whole file stays well under a minute.
"""

import base64
import os
import pickle
import random
import select
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_graphs import random_equations

#: Seconds one case may take on a busy machine before it counts as a hang.
LIMIT = 20

WORKER = r"""
import base64, pickle, re, sys, traceback
from lab_utils_backprop import ComputationGraph, GraphError
from lab_utils_backprop.diagram.layout import layout_graph
from lab_utils_backprop.exercise.answers import format_number
from lab_utils_backprop.exercise.tutor import Tutor

JARGON = re.compile(r"\bzoo\b|\*I\b|\bI\*|\boo\b|\bnan\b|Traceback|sympy")

def use(graph):
    tutor = Tutor(graph)
    layout_graph(graph, tutor.boxes)
    for box in tutor.boxes:
        for _ in range(4):
            assert tutor.hint(box.id)
        tutor.enter(format_number(box.answer), box.id)
        tutor.enter("7", box.id)
    assert tutor.summary()

for line in sys.stdin:
    equations, values = pickle.loads(base64.b64decode(line))
    try:
        graph = ComputationGraph.from_equations(equations, values)
    except GraphError as error:
        message = str(error)
        named = error.line is not None or "`" in message or "equation" in message or "value" in message
        outcome = "refused" if named and not JARGON.search(message) else "unclear: " + message
    except BaseException:
        outcome = "crash: " + traceback.format_exc(limit=3)
    else:
        try:
            use(graph)
            outcome = "built"
        except BaseException:
            outcome = "unusable: " + traceback.format_exc(limit=4)
    print(outcome.replace("\n", " | "), flush=True)
"""


class Worker:
    """One Python process that builds the cases sent to it, one line each."""

    def __init__(self):
        env = {**os.environ, "MPLBACKEND": "Agg"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )

    def run(self, equations, values) -> str:
        self.process.stdin.write(base64.b64encode(pickle.dumps((equations, values))).decode() + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], LIMIT)
        if not ready:
            self.stop()
            return f"hang: over {LIMIT} s"
        return self.process.stdout.readline().strip() or "crash: the worker died"

    def stop(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="module")
def worker():
    holder = {"worker": Worker()}

    def run(equations, values):
        outcome = holder["worker"].run(equations, values)
        if outcome.startswith(("hang", "crash: the worker")):
            holder["worker"] = Worker()
        return outcome

    yield run
    holder["worker"].stop()


NAMES = ["w", "x", "b"]
NUMBERS = st.sampled_from(
    ["0", "1", "2", "3", "0.5", "1e308", "1e-320", "10**10", "10**400", "2**2**2**2**2", "2**2**2**2**2**2",
     "1/0", "0**-1", "999999999999999999999999999999999999", "9**99", "exp(1000)", "(-8)**(1/3)", "pi"]
)  # fmt: skip
ATOMS = st.one_of(st.sampled_from(NAMES), NUMBERS)
BINARY = ["+", "-", "*", "/", "**", "^", "%", "//", "&", "|", "<<", "@", "==", "<"]
FUNCTIONS = ["exp", "log", "sqrt", "tanh", "sigmoid", "relu", "Abs", "sin", "cos", "foo", "max"]


def _call(name, args):
    return f"{name}({', '.join(args)})"


EXPRESSIONS = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(BINARY), inner),
        st.builds(lambda a: f"-{a}", inner),
        st.builds(_call, st.sampled_from(FUNCTIONS), st.lists(inner, min_size=0, max_size=2)),
        st.builds(lambda a: f"{a}.real", inner),
    ),
    max_leaves=8,
)
SHAPES = st.one_of(
    EXPRESSIONS,
    st.builds(lambda n, op: op.join(["w"] * n), st.integers(100, 6000), st.sampled_from(["*", "+", "**"])),
    st.builds(lambda n: "(" * n + "w" + ")" * n, st.integers(20, 300)),
    st.builds(lambda n: " + ".join(f"x{i}" for i in range(n)), st.integers(50, 2500)),
    st.builds(lambda n: "w" + "**w" * n, st.integers(2, 40)),
    st.sampled_from(
        ["2*3", "w - w", "sigmoid(w)**2", "relu(w)**2", "w % 3", "w**(10**10)", "'w'", "w if w else 1"]
    ),
)
VALUES = st.one_of(
    st.integers(-5, 5),
    st.integers(-(10**400), 10**400),
    st.sampled_from(
        [0.5, 1e308, 1e-320, float("inf"), float("nan"), "1/0", "1e2000", "abc", None, 2j, True, "9/2"]
    ),
)


@st.composite
def exercises(draw):
    lines = draw(st.lists(SHAPES, min_size=1, max_size=3))
    names = [f"n{i}" for i in range(len(lines) - 1)] + ["J"]
    equations = [f"{name} = {rhs}" for name, rhs in zip(names, lines, strict=True)]
    leaves = {"w", "x", "b"} | {f"x{i}" for i in range(2500) if any(f"x{i}" in line for line in lines)}
    values = {name: draw(VALUES) for name in sorted(leaves) if any(name in line for line in lines)}
    return equations, values


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(exercises())
def test_hostile_exercises_raise_only_graph_error_in_bounded_time(worker, exercise):
    outcome = worker(*exercise)
    assert outcome in ("refused", "built"), (exercise[0][:3], outcome)


ODD_VALUES = st.one_of(st.integers(-3, 3), st.sampled_from(["1/3", 0.1, 1e-5, 100, 10**6, -7, "2.5", 0]))


@st.composite
def plausible_exercises(draw):
    """A random graph of the kind lessons use, at values that may be awkward (0, 1e-5, 10**6)."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    equations, values, _ = random_equations(rng, draw(st.integers(1, 8)), draw(st.integers(1, 3)), 1)
    return equations, {name: draw(ODD_VALUES) for name in values}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plausible_exercises())
def test_plausible_graphs_at_awkward_values_build_or_are_refused_and_then_work(worker, exercise):
    outcome = worker(*exercise)
    assert outcome in ("refused", "built"), (exercise, outcome)


MEASURED = [
    (["J = sigmoid(w)**2"], {"w": 1}),
    (["a = relu(w)**2", "J = a"], {"w": 1}),
    (["J = w"], {"w": "1/0"}),
    (["J = w % 3"], {"w": 1}),
    (["J = " + "*".join(["w"] * 5000)], {"w": 1}),
    (["J = w**(10**10)"], {"w": 2}),
    (["J = w**2**2**2**2**2**2"], {"w": 2}),
    (["J = " + " + ".join(f"x{i}" for i in range(2000))], {f"x{i}": 1 for i in range(2000)}),
    (["k = 2*3", "J = k*w"], {"w": 1}),
    (["J = w**2"], {"w": "1e2000"}),
    (["J = w**x"], {"w": 3, "x": 10**50}),
    (["a = exp(w)", "b = exp(a)", "c = exp(b)", "J = exp(c)"], {"w": 5}),
    (None, {"w": 1}),
    (["J = w"], None),
    (["J = w"], {"w": 10**5000}),
]


@pytest.mark.parametrize(("equations", "values"), MEASURED)
def test_the_measured_failures_are_refused_or_built(worker, equations, values):
    assert worker(equations, values) in ("refused", "built")
