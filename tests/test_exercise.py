"""The boxes a student fills: the original lab's rule, labels, answers, fan-out."""

import sympy
from hypothesis import given, settings
from random_graphs import graphs

import lab_utils_backprop
from lab_utils_backprop import ComputationGraph, config_fanout, config_neuron, config_nw0, config_nw1
from lab_utils_backprop.exercise.boxes import boxes_for
from lab_utils_backprop.exercise.chain_rule import chain_rule_latex


def answers(graph):
    return {box.id: box.answer for box in boxes_for(graph)}


def test_the_graph_lists_its_boxes():
    assert len(boxes_for(config_nw0)) == 5 and len(boxes_for(config_nw1)) == 13


def test_network0_has_the_original_five_boxes():
    assert answers(config_nw0) == {
        "forward:a": 11,
        "forward:J": 121,
        "gradient:a": 22,
        "local:a:w": 3,
        "gradient:w": 66,
    }


def test_network1_has_the_original_thirteen_boxes():
    assert answers(config_nw1) == {
        "forward:c": -4,
        "forward:a": 4,
        "forward:d": 3,
        "forward:J": sympy.Rational(9, 2),
        "gradient:d": 3,
        "local:d:a": 1,
        "gradient:a": 3,
        "local:a:c": 1,
        "gradient:c": 3,
        "local:a:b": 1,
        "gradient:b": 3,
        "local:c:w": 2,
        "gradient:w": 6,
    }


def test_boxes_come_in_student_order_blue_left_to_right_then_green_right_to_left():
    kinds = [box.kind for box in boxes_for(config_nw1)]
    assert kinds[:4] == ["forward"] * 4 and "forward" not in kinds[4:]
    assert [box.node for box in boxes_for(config_nw1)[4:]] == ["J", "d", "d", "a", "a", "a", "a", "c", "c"]


def test_labels_are_latex_partials():
    box = {b.id: b for b in boxes_for(config_nw1)}
    assert box["gradient:a"].label == r"\frac{\partial J}{\partial a}"
    assert box["local:a:c"].label == r"\frac{\partial a}{\partial c}"
    assert box["forward:c"].label == "c"
    assert chain_rule_latex(config_nw1, "c") == (
        r"\frac{\partial J}{\partial c} = \frac{\partial a}{\partial c} \times \frac{\partial J}{\partial a}"
    )


def test_data_leaves_get_no_boxes():
    ids = answers(config_nw1)
    assert not any(box_id.endswith((":x", ":y")) for box_id in ids)


def test_a_value_that_fans_out_has_one_gradient_box_with_the_sum():
    ids = answers(config_fanout)
    assert [i for i in ids if i == "gradient:w"] == ["gradient:w"]
    assert ids["gradient:w"] == config_fanout.gradient("w") == 10
    assert ids["local:p:w"] == 3 and ids["local:r:w"] == 4
    assert chain_rule_latex(config_fanout, "w").count(r"\times") == 2


def test_fan_out_into_the_output_keeps_a_marked_local_box():
    g = ComputationGraph.from_equations("a = w*w\nJ = a + w", {"w": 2})
    box = {b.id: b for b in boxes_for(g)}
    assert box["local:J:w"].answer == 1 and "local" in box["local:J:w"].label
    assert box["gradient:w"].answer == 5


def test_neuron_boxes_come_from_sympy():
    ids = answers(config_neuron)
    assert len(ids) == 9 + 21
    assert ids["local:f:e"] == 1 and ids["local:e:w1"] == 2 and ids["local:h:g"] == 1
    assert ids["gradient:w0"] == -sympy.Rational(1, 4)


@settings(max_examples=60, deadline=None)
@given(graphs(max_nodes=10))
def test_the_box_rule_holds_on_random_graphs(g):
    boxes = boxes_for(g)
    ids = [box.id for box in boxes]
    assert len(ids) == len(set(ids))
    assert sum(box.kind == "forward" for box in boxes) == len(g.computed)
    differentiable = {n.name for n in g.computed} | set(g.params)
    gradient_boxes = {box.wrt for box in boxes if box.kind == "gradient"}
    assert gradient_boxes == differentiable - {g.output}
    for box in boxes:
        expected = {"forward": g.value, "gradient": g.gradient}.get(box.kind)
        answer = (
            expected(box.node if box.kind == "forward" else box.wrt)
            if expected
            else g.local(box.node, box.wrt)
        )
        assert box.answer == answer


def test_star_import_hides_no_sympy_name():
    namespace = {}
    exec("from sympy import *", namespace)
    before = dict(namespace)
    exec("from lab_utils_backprop import *", namespace)
    assert [name for name in before if namespace[name] is not before[name]] == []
    assert set(lab_utils_backprop.__all__) <= set(namespace)
