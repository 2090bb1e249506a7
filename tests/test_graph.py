"""The engine: exact values, local derivatives, gradients, finite differences, errors."""

import time

import pytest
import sympy
from hypothesis import given, settings
from random_graphs import graphs, random_graph

from lab_utils_backprop import (
    ComputationGraph,
    GraphError,
    config_fanout,
    config_neuron,
    config_nw0,
    config_nw1,
)


def build(equations, values, **kwargs):
    return ComputationGraph.from_equations(equations, values, **kwargs)


# -- the original lab's numbers ----------------------------------------------------------


def test_network0_values_and_derivatives():
    g = config_nw0
    assert (g.value("a"), g.value("J")) == (11, 121)
    assert g.local_expr("J", "a") == 2 * g.symbol("a")
    assert (g.local("J", "a"), g.local("a", "w")) == (22, 3)
    assert (g.gradient("a"), g.gradient("w"), g.gradient("J")) == (22, 66, 1)


def test_network0_bumps_print_as_the_lab_prints_them():
    assert config_nw0.finite_difference("a") == 22.000999999988835
    assert config_nw0.finite_difference("w", of="a") == 3.0000000000001137
    assert config_nw0.finite_difference("w") == 66.0090000000082


def test_network1_values_gradients_and_bumps():
    g = config_nw1
    assert [g.value(n) for n in "cadJ"] == [-4, 4, 3, sympy.Rational(9, 2)]
    assert {n: g.gradient(n) for n in ["d", "a", "c", "b", "w"]} == {"d": 3, "a": 3, "c": 3, "b": 3, "w": 6}
    assert g.local("c", "w") == 2 and g.local_expr("c", "w") == g.symbol("x")
    assert g.params == ["w", "b"] and g.node("x").kind == "data" and g.node("y").kind == "data"
    assert g.finite_difference("d") == 3.0004999999997395
    assert g.finite_difference("w") == 6.001999999999619


def test_rational_values_stay_exact():
    g = build("J = d**2/2", {"d": 3})
    assert g.value("J") == sympy.Rational(9, 2) and g.value("J").is_Rational
    assert build("J = 0.5*d^2", {"d": "3"}).value("J") == sympy.Rational(9, 2)


def test_caret_means_power():
    assert build("J = (2 + 3*w)^2", {"w": 3}).value("J") == 121


def test_inputs_keep_the_order_they_are_written_in():
    assert config_nw1.node("a").inputs == ("c", "b")
    assert [n.name for n in config_nw1.nodes] == ["w", "x", "b", "y", "c", "a", "d", "J"]


# -- fan-out and transcendental nodes ------------------------------------------------------


def test_fan_out_inside_one_node():
    g = build("J = w*w + 3*w", {"w": 2})
    assert g.local("J", "w") == 7 and g.gradient("w") == 7


def test_fan_out_across_nodes_sums_every_path():
    g = build("a = w*w\nb = 3*w\nJ = a + b", {"w": 2})
    assert g.consumers("w") == ["a", "b"]
    assert g.gradient("w") == 2 * 2 + 3
    assert config_fanout.gradient("w") == 2 * 1 * 3 + 2 * 2


def test_transcendental_values_become_30_digit_floats():
    g = build("h = exp(g)\nJ = h*h", {"g": 1})
    value = g.value("h")
    assert value.is_Float and value._prec >= 95  # about 30 decimal digits
    assert abs(value - sympy.E.evalf(40)) < sympy.Float("1e-28")
    assert abs(float(g.gradient("g")) - 2 * float(sympy.exp(2))) < 1e-9


def test_a_long_tanh_chain_stays_small_and_fast():
    lines = ["z0 = tanh(w)"] + [f"z{i} = tanh(z{i - 1} + w)" for i in range(1, 40)]
    start = time.perf_counter()
    g = build(lines, {"w": "1/3"})
    elapsed = time.perf_counter() - start
    assert all(len(str(g.value(n.name))) < 40 for n in g.nodes)
    assert g.self_check() == []
    assert elapsed < 30  # a guard against the exponential blow-up, not a speed test (see benchmarks/)


def test_sigmoid_and_relu_are_differentiated_by_sympy():
    g = build("a = sigmoid(z)\nr = relu(a - 1/4)\nJ = r**2", {"z": 0})
    assert g.value("a") == sympy.Rational(1, 2)
    assert g.local("a", "z") == sympy.Rational(1, 4)
    assert g.gradient("z") == 2 * sympy.Rational(1, 4) * 1 * sympy.Rational(1, 4)


def test_neuron_matches_the_planned_values_with_sympy_derivatives():
    g = config_neuron
    assert [g.value(n) for n in "defghia"] == [-2, 6, 0, 0, 1, 2, sympy.Rational(1, 2)]
    assert g.local("f", "e") == 1 and g.local("e", "w1") == 2  # the original had df/de = 2 by hand
    assert g.gradient("w1") == -sympy.Rational(1, 2)
    assert g.self_check() == []


# -- independent reference: sympy.diff of the whole expression -----------------------------


def substituted(g: ComputationGraph) -> sympy.Expr:
    """The output as one expression in the leaves (the naive way)."""
    full = {}
    for node in g.computed:
        full[g.symbol(node.name)] = node.expr.xreplace(full)
    return full[g.symbol(g.output)]


@settings(max_examples=60, deadline=None)
@given(graphs(max_nodes=10))
def test_every_gradient_matches_sympy_diff_of_the_whole_expression(g):
    expression = substituted(g)
    point = {g.symbol(name): value for name, value in g.values.items()}
    for name in g.params:
        reference = sympy.diff(expression, g.symbol(name)).xreplace(point).evalf(30)
        mine = g.gradient(name)
        assert abs(mine - reference) <= sympy.Float("1e-20") * (1 + abs(reference)), (name, mine, reference)


@settings(max_examples=40, deadline=None)
@given(graphs(max_nodes=15))
def test_every_gradient_matches_a_central_difference(g):
    assert g.self_check() == []


def test_fan_out_graphs_are_among_the_random_ones():
    fanned = [
        g
        for g in (random_graph(s, 8) for s in range(20))
        if any(len(g.consumers(n.name)) > 1 for n in g.nodes)
    ]
    assert len(fanned) >= 5


# -- errors name the line and the problem --------------------------------------------------

ERRORS = [
    ("a = 2 +\nJ = a**2", {}, "line 1", "not a valid expression"),
    ("a = 3w\nJ = a", {"w": 1}, "line 1", "3*w"),
    ("a = b + 1\nb = w\nJ = a", {"w": 1}, "line 1", "`b` is used before it is defined"),
    ("a = 2*w\nJ = a + q", {"w": 1}, "line 2", "`q` has no value"),
    ("a = 2*w\na = 3*w\nJ = a", {"w": 1}, "line 2", "defined twice"),
    ("a = 1/x\nJ = a*w", {"x": 0, "w": 1}, "line 1", "not finite"),
    ("a = log(w)\nJ = a", {"w": 0}, "line 1", "not finite"),
    ("a = sqrt(w)\nJ = a", {"w": -1}, "line 1", "not a real number"),
    ("r = relu(w)\nJ = r", {"w": 0}, "line 1", "no derivative"),
    ("r = Abs(w - 2)\nJ = r", {"w": 2}, "line 1", "no derivative"),
    ("", {}, None, "no equations"),
    ("  \n# only a comment\n", {}, None, "no equations"),
    ("a = foo(w)\nJ = a", {"w": 1}, "line 1", "unknown function `foo`"),
    ("a = w\nexp = a\nJ = a", {"w": 1}, "line 2", "function name"),
    ("a == w", {"w": 1}, "line 1", "one equation per line"),
    ("a = w\nJ = a", {"w": 1, "v": 2}, None, "no equation uses"),
    ("a = w.real\nJ = a", {"w": 1}, "line 1", "not an arithmetic expression"),
    ("a = w\nJ = a", {"w": "nan"}, "line 1", "value of `w`"),
    ("a = 2*w\nJ = a*w", {"w": float("inf")}, "line 1", "not finite"),
    ("a = 2*w\nJ = a*w", {"w": "abc"}, "line 1", "must be a number"),
    ("k = 2*3\nJ = k*w", {"w": 1}, "line 1", "`k` does not depend on any value"),
    ("a = w % 3\nJ = a", {"w": 1}, "line 1", "uses an operation an equation cannot"),
    ("a = w**(10**10)\nJ = a", {"w": 1}, "line 1", "keep constant exponents within"),
    ("a = w*2**2**2**2**2**2\nJ = a", {"w": 1}, "line 1", "too large"),
    ("a = w**x\nJ = a", {"w": 3, "x": 10**6}, "line 1", "too large at these values"),
    ("a = w\nJ = a", {"w": "1/0"}, "line 1", "not finite"),
    ("a = w\nJ = a", {"w": "1e2000"}, "line 1", "keep values within 1e300"),
    ("a = 1/(w - 1)\nJ = a", {"w": 1}, "line 1", "not finite at these values"),
    ("J = " + "*".join(["w"] * 5000), {"w": 1}, "line 1", "too long"),
    ("J = " + "+".join(["w"] * 130), {"w": 1}, "line 1", "pieces"),
    ("a = w\nz = 2*w\nJ = a", {"w": 1}, "line 2", "never uses it"),
    ("J = w", {"w": 1, "J": 2}, "line 1", "cannot also be given a value"),
]


@pytest.mark.parametrize(("equations", "values", "line", "problem"), ERRORS)
def test_errors_name_the_line_and_the_problem(equations, values, line, problem):
    with pytest.raises(GraphError) as caught:
        build(equations, values)
    message = str(caught.value)
    assert problem in message
    assert "zoo" not in message and "*I" not in message
    if line:
        assert message.startswith(line) and caught.value.line == int(line.split()[1])


def test_output_and_params_are_checked():
    with pytest.raises(GraphError, match="depends on no parameter"):
        build("J = 2*x", {"x": 1}, params=[])
    with pytest.raises(GraphError, match="output `K` is not defined"):
        build("J = w", {"w": 1}, output="K")
    with pytest.raises(GraphError, match="parameter `v` is not an input"):
        build("J = w", {"w": 1}, params=["v"])


def test_with_values_keeps_equations_params_and_output():
    g = config_nw1.with_values({"w": 3})
    assert g.params == ["w", "b"] and g.value("c") == 6 and g.gradient("w") == (6 + 8 - 1) * 2


def test_one_table_of_functions_feeds_the_parser_and_the_lessons():
    from lab_utils_backprop.authoring import lesson, lesson_code
    from lab_utils_backprop.engine import equations, functions

    assert equations.FUNCTIONS is functions.FUNCTIONS
    assert lesson_code.NUMERIC is functions.NUMERIC and lesson_code.SYMBOLIC is functions.SYMBOLIC
    assert lesson_code.HELPERS is functions.HELPERS and lesson.DERIVATIVE_NOTES is functions.DERIVATIVE_NOTES
    assert set(functions.SYMBOLIC) == set(functions.FUNCTIONS) == set(functions.TABLE)


def test_powers_of_our_own_functions_build_and_print():
    g = build("a = sigmoid(w)**2\nJ = relu(a)**2", {"w": 1})
    assert g.gradient("w") > 0 and "sigma" in sympy.latex(g.node("a").expr)


@pytest.mark.parametrize("name", ["equations", "estimates", "functions", "graph", "numbers"])
def test_engine_examples_run(name):
    import doctest
    import importlib

    module = importlib.import_module(f"lab_utils_backprop.engine.{name}")
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0
