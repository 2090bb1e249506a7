"""What a wrong entry is told, per graph: the one slip it matches, both of two, else what to do."""

import doctest
import re

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_graphs import graphs, tanh_neuron

from lab_utils_backprop import ComputationGraph, config_fanout, config_nw0, config_nw1
from lab_utils_backprop.exercise import (
    chain_rule,
    feedback,
    hints,
    mistakes,
    plain_math,
    practice,
    statuses,
    tutor,
)
from lab_utils_backprop.exercise.answers import format_number
from lab_utils_backprop.exercise.boxes import boxes_for
from lab_utils_backprop.exercise.feedback import diagnose, equation
from lab_utils_backprop.exercise.mistakes import candidates
from lab_utils_backprop.exercise.tutor import Tutor

#: What each kind of message says, so the tables read as kinds.
KINDS = {
    "estimate": "like an estimate by a nudge of ε",
    "sign": "the sign is flipped",
    "two": "Two slips give this number",
    "several": "comes up in several places",
    "local alone": "the local derivative alone",
    "gradient alone": "the gradient of the node",
    "total for local": "the gradient (the total through the graph)",
    "path": "only the path through",
    "product": "multiplies the paths' terms",
    "factor": "a constant factor of",
    "forward": "That is the forward value of",
    "input": "an input of",
    "own value": "itself",
    "chain rule": "Use the chain rule",
    "into the output": "feeds the output",
    "differentiate": "Differentiate",
    "compute": "Compute",
    "cut off": "cut off rather than rounded",
    "coarse": "Close, but round to at least two decimals",
    "right": "Right:",
}

TANH = tanh_neuron()
TWO_PATHS_INTO_J = ComputationGraph.from_equations(
    ["p = w*x", "e = p - y", "J = e**2 + w**2"], {"w": 2, "x": 3, "y": 5}
)

TABLE = [
    # part 1 of the lab: a = 2 + 3w, J = a², w = 3 (a = 11, ∂J/∂a = 22, ∂J/∂w = 66)
    (config_nw0, "gradient:a", "22.001", "estimate", ""),
    (config_nw0, "gradient:a", "22.000999999988835", "estimate", ""),
    (config_nw0, "gradient:w", "66.009", "estimate", ""),
    (config_nw0, "gradient:w", "65.99999999", "estimate", ""),
    (config_nw0, "gradient:a", "11", "two", "J = a² with a constant factor left out"),
    (config_nw0, "gradient:a", "2", "into the output", "differentiate it with respect to a"),
    (config_nw0, "gradient:a", "121", "forward", "of J"),
    (config_nw0, "gradient:w", "22", "gradient alone", "∂J/∂a"),
    (config_nw0, "gradient:w", "3", "two", "∂a/∂w alone, or the value of w"),
    (config_nw0, "gradient:w", "-66", "sign", ""),
    (config_nw0, "gradient:w", "5", "chain rule", "∂J/∂w = ∂a/∂w × ∂J/∂a"),
    (config_nw0, "local:a:w", "1", "factor", "a = 2 + 3w"),
    (config_nw0, "local:a:w", "66", "total for local", "how a changes when only w moves"),
    (config_nw0, "local:a:w", "7", "differentiate", "a = 2 + 3w with respect to w"),
    (config_nw0, "forward:a", "5", "compute", "a = 2 + 3w from the value of w"),
    (config_nw0, "forward:J", "11", "input", "the value of a"),
    (config_nw0, "forward:J", "-121", "sign", ""),
    # part 2: c = wx, a = c + b, d = a - y, J = d²/2 at w = -2, b = 8, x = 2, y = 1
    (config_nw1, "gradient:d", "6", "two", "J = d²/2 with a constant factor left out"),
    (config_nw1, "forward:J", "9", "factor", "J = d²/2"),
    (config_nw1, "local:c:w", "-2", "two", "the sign flipped, or the value of w"),
    (config_nw1, "local:c:w", "6", "total for local", "∂J/∂w"),
    (config_nw1, "local:a:b", "3", "several", "the gradient ∂J/∂b, a total"),
    (config_nw1, "gradient:w", "-6", "sign", ""),
    (config_nw1, "gradient:w", "6.002", "estimate", ""),
    (config_nw1, "gradient:w", "2", "two", "the local derivative ∂c/∂w alone"),
    (config_nw1, "gradient:w", "7", "chain rule", "∂c/∂w × ∂J/∂c"),
    (config_nw1, "gradient:d", "4.5", "forward", "of J"),
    (config_nw1, "forward:a", "-12", "compute", "a = c + b from the values of c, b"),
    # fan-out: p = wx, e = p - y, r = w², J = e² + r at w = 2, x = 3, y = 5 (∂J/∂w = 6 + 4)
    (config_fanout, "gradient:w", "24", "product", "which add up instead: w feeds p and r"),
    (config_fanout, "gradient:w", "6", "two", "the path through p alone, or the forward value of p"),
    (config_fanout, "gradient:w", "4", "several", "the path through r alone"),
    (config_fanout, "gradient:w", "-10", "sign", ""),
    (config_fanout, "gradient:w", "10.01", "estimate", ""),
    (config_fanout, "local:r:w", "10", "total for local", "r = w²"),
    (TWO_PATHS_INTO_J, "local:J:w", "10", "total for local", "∂J/∂w (total)"),
    (TWO_PATHS_INTO_J, "gradient:w", "7", "chain rule", "∂J/∂w = ∂p/∂w × ∂J/∂p + ∂J/∂w (local)"),
    # a tanh neuron: z = wx + b, a = tanh(z), J = (a - y)²/2 at w = 1/2, x = 1, b = 0, y = 1
    (TANH, "forward:a", "0.46211715726000974", "right", ""),
    (TANH, "forward:a", "0.46211", "cut off", ""),
    (TANH, "forward:a", "0.5", "coarse", ""),
    (TANH, "local:a:z", "0.46211715726000974", "forward", "of a"),
    (TANH, "gradient:z", "-0.538", "gradient alone", "∂J/∂a"),
    (TANH, "gradient:z", "0.4230", "sign", ""),
    (TANH, "gradient:z", "-0.2", "chain rule", "∂J/∂z = ∂a/∂z × ∂J/∂a"),
]


@pytest.mark.parametrize(("graph", "box_id", "text", "kind", "detail"), TABLE)
def test_each_typed_mistake_hears_its_kind_of_message(graph, box_id, text, kind, detail):
    tutor = Tutor(graph)
    message = tutor.enter(text, box_id).message
    assert KINDS[kind] in message and detail in message, message
    assert tutor.state(box_id).status == ("right" if kind == "right" else "wrong")


def test_a_derivative_before_its_forward_values_gets_a_note_and_is_still_judged():
    tutor = Tutor(config_nw0)
    early = tutor.enter("22", "gradient:a")
    assert early.correct and "forward value of a, not filled in yet" in early.message
    tutor.enter("11", "forward:a")
    assert tutor.enter("22", "gradient:a").message == "Right: ∂J/∂a = 22."
    assert "not filled in" not in Tutor(config_nw0).enter("3", "local:a:w").message  # 3 needs no value


CIRCULAR = re.compile(r"(∂\S+/∂[^\s.,;:)]+) = \1(?![^\s.,;:]| \((?:local|total)\))")


def answer_shown(graph, box, message):
    """Whether the message shows the box's answer as a number, leaving out the equations it restates."""
    for node in graph.computed:
        message = message.replace(equation(graph, node.name), "")
    answers = (
        {format_number(box.answer), str(box.answer)}
        if box.answer.is_Rational
        else {format_number(box.answer)}
    )
    return any(re.search(rf"(?<![\w.]){re.escape(a)}(?![\w]|\.\d)", message) for a in answers)


def typed_slips(graph, boxes, box):
    """Texts a student might type: each slip's number, and a few plain wrong numbers."""
    texts = ["0", "1", "-1", "7", "1000"]
    for slip in candidates(graph, boxes, box):
        number = slip.low if slip.high is None else (slip.low + slip.high) / 2
        texts.append(format_number(sympy.Float(number, 30) if isinstance(number, float) else number))
    return texts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(max_nodes=7), st.data())
def test_no_message_is_circular_empty_or_gives_the_answer(graph, data):
    boxes = boxes_for(graph)
    box = data.draw(st.sampled_from(boxes))
    for text in typed_slips(graph, boxes, box):
        tutor = Tutor(graph)
        feedback = tutor.enter(text, box.id)
        if feedback.correct:
            continue
        message = diagnose(graph, boxes, box, text)
        assert message.strip(), (box.id, text)
        assert not CIRCULAR.search(message), message
        assert not answer_shown(graph, box, message), (box.id, box.answer, text, message)
        assert "upstream" not in message and "**" not in message and "diff(" not in message
    hinted = Tutor(graph)
    steps = [hinted.hint(box.id) for _ in range(4)]
    assert all(step.strip() and not CIRCULAR.search(step) and "**" not in step for step in steps), steps
    assert hinted.state(box.id).status == "revealed"


def test_the_chain_rule_is_never_circular_on_random_graphs():
    for graph in (config_nw0, config_nw1, config_fanout, TWO_PATHS_INTO_J, TANH):
        for box in boxes_for(graph):
            if box.kind == "gradient":
                assert not CIRCULAR.search(chain_rule.chain_rule_text(graph, box.wrt))


def test_hints_read_as_math_not_python():
    tutor = Tutor(config_nw1)
    steps = [tutor.hint("local:c:w") for _ in range(3)]
    assert "∂(wx)/∂w = x" in steps[1] and "Nudge w by 0.001" in steps[2]
    assert all("*" not in step and "diff(" not in step and "sympy" not in step for step in steps)
    first = Tutor(config_nw0)
    assert "3w + 2" in first.hint("local:a:w") + first.hint("local:a:w")


def test_the_box_list_tells_local_from_total_and_names_the_path():
    tutor = Tutor(TWO_PATHS_INTO_J)
    assert tutor.asked("local:J:w") == "∂J/∂w (local)" and tutor.asked("gradient:w") == "∂J/∂w (total)"
    assert tutor.box_name("local:J:w") == "∂J/∂w (local derivative, path w → J)"
    assert tutor.box_name("gradient:w") == "∂J/∂w (gradient, 2 paths)"
    assert Tutor(config_nw1).box_name("gradient:w") == "∂J/∂w (gradient)"
    names = [tutor.box_name(box.id) for box in tutor.boxes]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "module", [chain_rule, feedback, hints, mistakes, plain_math, practice, statuses, tutor]
)
def test_doctests(module):
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0


@pytest.mark.parametrize(
    "graph", [config_nw0, config_nw1, config_fanout, TANH], ids=["nw0", "nw1", "fanout", "tanh"]
)
def test_the_lessons_own_estimates_are_named_estimates(graph):
    boxes = boxes_for(graph)
    for box in (b for b in boxes if b.kind == "gradient"):
        for eps in (1e-1, 1e-3, 1e-6):
            for printed in (
                repr(graph.finite_difference(box.wrt, eps)),
                repr(graph.central_difference(box.wrt, eps)),
            ):
                tutor = Tutor(graph)
                feedback = tutor.enter(printed, box.id)
                assert feedback.correct or "estimate" in feedback.message, (box.id, printed, feedback.message)


def test_a_hint_whose_nudge_leaves_the_domain_says_so():
    graph = ComputationGraph.from_equations(["a = log(1 - w)", "J = a**2"], {"w": "0.9995"})
    tutor = Tutor(graph)
    steps = [tutor.hint("gradient:w") for _ in range(4)]
    assert "cannot be computed in floats here" in steps[2] and "nan" not in " ".join(steps)
    assert tutor.state("gradient:w").status == "revealed"


def test_the_property_checks_can_fail():
    assert CIRCULAR.search("Use the chain rule: ∂J/∂a = ∂J/∂a.")
    assert not CIRCULAR.search("∂J/∂w = ∂J/∂w (local) + ∂a/∂w × ∂J/∂a")
    box = next(b for b in boxes_for(config_nw0) if b.id == "gradient:a")
    assert answer_shown(config_nw0, box, "It is 22.") and not answer_shown(
        config_nw0, box, "122 or 22.5 or x22"
    )
