"""Layout: every node, box and label in its own place, inside a notebook-wide figure."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from random_graphs import graphs, random_graph

from lab_utils_backprop.diagram.layout import MAX_WIDTH, Rect, layout_graph, layout_node, layout_nudge
from lab_utils_backprop.diagram.measure import text_size
from lab_utils_backprop.engine.examples import config_fanout, config_neuron, config_nw0, config_nw1
from lab_utils_backprop.exercise.boxes import boxes_for

PACKAGE = Path(__file__).resolve().parent.parent / "lab_utils_backprop"
EXAMPLES = {"nw0": config_nw0, "nw1": config_nw1, "neuron": config_neuron, "fanout": config_fanout}


def overlapping(layout) -> list[tuple[str, str]]:
    rects = layout.rects()
    return [(a, b) for a, b in combinations(rects, 2) if rects[a].overlaps(rects[b])]


def outside(layout) -> list[str]:
    width, height = layout.size
    return [k for k, r in layout.rects().items() if r.x < 0 or r.y < 0 or r.x1 > width or r.y1 > height]


def check_layout(graph, max_width: float = MAX_WIDTH) -> None:
    layout = layout_graph(graph, max_width=max_width)
    assert overlapping(layout) == []
    assert outside(layout) == []
    assert layout.size[0] <= max_width
    assert list(layout.boxes) == [box.id for box in boxes_for(graph)]
    assert set(layout.nodes) == {node.name for node in graph.nodes}
    check_strips(layout)


def check_strips(layout) -> None:
    """Cut into strips, the layout falls into pieces that hold everything once and stack up again."""
    bands = layout.strips()
    assert len(bands) == len(layout.cuts) + 1
    assert sum(band.size[1] for band in bands) == pytest.approx(layout.size[1])
    for band in bands:
        assert band.size[0] == layout.size[0] and band.size[1] > 0
        assert outside(band) == []
        assert all(0 <= y <= band.size[1] for arrow in band.arrows for _, y in arrow.points)
        assert all(0 <= y <= band.size[1] for rule in band.rules for _, y in rule)
    stacked, low = {}, layout.size[1]
    for band in bands:
        low -= band.size[1]
        stacked.update({k: r.moved(0, low) for k, r in band.rects().items()})
    assert stacked.keys() == layout.rects().keys()
    for key, rect in layout.rects().items():
        assert stacked[key].x == rect.x and stacked[key].y == pytest.approx(rect.y)
    assert sum(len(band.arrows) for band in bands) == len(layout.arrows)
    assert sum(len(band.rules) for band in bands) == len(layout.rules)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_layouts_have_no_overlap_and_fit_the_notebook(name):
    check_layout(EXAMPLES[name])


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_up_to_30_nodes_have_no_overlap(seed):
    graph = random_graph(seed, n_nodes=min(25, 4 + 2 * seed), n_params=3, n_data=2)
    assert len(graph.nodes) <= 30
    check_layout(graph)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(max_nodes=25))
def test_any_generated_graph_has_no_overlap(graph):
    check_layout(graph)


@settings(max_examples=15, deadline=None)
@given(graphs(max_nodes=12))
def test_a_narrow_figure_wraps_into_more_bands_without_overlap(graph):
    check_layout(graph, max_width=8.5)


def test_lab_graphs_fit_in_one_band_and_the_neuron_wraps():
    for graph in (config_nw0, config_nw1, config_fanout):
        assert not any(key.startswith(("to:", "from:")) for key in layout_graph(graph).labels)

    def strips(graph):
        """What each strip holds: "graph" (nodes) or "derivatives" (prompts), never both."""
        kinds = []
        for strip in layout_graph(graph).strips():
            prompts = any(key.startswith("prompt:") for key in strip.labels)
            assert not (prompts and strip.nodes)
            kinds.append("derivatives" if prompts else "graph")
        return kinds

    for graph in (config_nw0, config_nw1, config_fanout):
        assert strips(graph) == ["graph", "derivatives"]
    assert strips(config_neuron) == ["graph", "derivatives"] * 3
    labels = layout_graph(config_neuron).labels
    exits = [label.text for key, label in labels.items() if key.startswith("to:")]
    entries = [label.text for key, label in labels.items() if key.startswith("from:")]
    assert exits and len(exits) == len(entries)


def test_every_edge_has_an_arrow_into_its_target():
    for graph in EXAMPLES.values():
        layout = layout_graph(graph)
        edges = {(arrow.source, arrow.target) for arrow in layout.arrows}
        expected = {(i, node.name) for node in graph.computed for i in node.inputs}
        assert expected | {(graph.output, f"{graph.output}>")} == edges
        last_piece = {(arrow.source, arrow.target): arrow for arrow in layout.arrows}
        for (_, target), arrow in last_piece.items():
            end = layout.nodes[target].rect if target in layout.nodes else layout.labels["terminal"].rect
            x, y = arrow.points[-1]
            assert x == pytest.approx(end.x) and end.y <= y <= end.y1


def test_fan_out_draws_one_arrow_into_each_consumer():
    sources = [arrow.target for arrow in layout_graph(config_fanout).arrows if arrow.source == "w"]
    assert sorted(sources) == ["p", "r"]


def test_each_forward_box_sits_on_the_edge_leaving_its_node():
    layout = layout_graph(config_nw1)
    for name in ("c", "a", "d", "J"):
        node, box = layout.nodes[name].rect, layout.boxes[f"forward:{name}"]
        assert box.x > node.x1 and box.y > node.center[1]


def test_derivative_boxes_sit_under_their_node():
    layout = layout_graph(config_nw1)
    for box in boxes_for(config_nw1):
        if box.kind != "forward":
            node, rect = layout.nodes[box.node].rect, layout.boxes[box.id]
            assert rect.y1 < node.y
            assert layout.labels[f"prompt:{box.id}"].rect.x1 < rect.x


def test_texts_come_from_the_graph():
    layout = layout_graph(config_nw1)
    assert layout.nodes["a"].text == "$a = c + b$"  # in the order the equation was written
    assert layout.nodes["w"].text == "$w = -2$" and layout.nodes["w"].role == "param"
    assert layout.nodes["x"].text == "$x = 2$" and layout.nodes["x"].role == "data"
    assert layout.labels["note:a"].text == r"$\partial J/\partial a = 3$"
    assert layout.labels["prompt:gradient:c"].text.count(r"\dfrac") == 3
    assert r"d \,\uparrow\, 0.001" in layout.labels["hint:1"].text
    assert layout.labels["terminal"].text == "$J$"


def test_layout_is_deterministic():
    assert layout_graph(config_neuron) == layout_graph(config_neuron)


def test_a_long_equation_and_a_long_chain_rule_go_on_several_lines():
    graph = random_graph(3, n_nodes=30, n_params=3, n_data=2)
    layout = layout_graph(graph)
    assert "\n" in layout.nodes[graph.output].text
    assert any("#" in key for key in layout.labels)
    assert layout.size[0] <= MAX_WIDTH


def test_close_up_shows_one_node_and_its_boxes():
    close_up = layout_node(config_nw1, "a")
    assert list(close_up.nodes) == ["a"]
    assert list(close_up.boxes) == ["local:a:c", "gradient:c", "local:a:b", "gradient:b"]
    assert overlapping(close_up) == [] and outside(close_up) == []


def test_nudge_picture_multiplies_the_local_derivatives_along_the_path():
    picture = layout_nudge(config_nw0, "w")
    texts = [label.text for label in picture.labels.values()]
    # a moves 3 = da/dw times as much as w; J moves 22 * 3 = 66 times
    assert texts[1].endswith(r"3\varepsilon$") and texts[2].endswith(r"66\varepsilon$")
    assert [n.text for n in picture.nodes.values()] == [
        r"$\dfrac{\partial a}{\partial w} = 3$",
        r"$\dfrac{\partial J}{\partial a} = 22$",
    ]
    assert overlapping(picture) == [] and outside(picture) == []


def test_nudge_picture_refuses_a_value_that_fans_out():
    with pytest.raises(ValueError, match="single path"):
        layout_nudge(config_fanout, "w")


def test_text_size_grows_with_text_and_font():
    short, long = text_size("$a$", 13), text_size("$a + b + c$", 13)
    assert long[0] > short[0] and text_size("$a$", 26)[0] == pytest.approx(2 * short[0])
    fraction = text_size(r"$\dfrac{\partial J}{\partial a}$", 13)
    assert fraction[1] > short[1]
    two_lines = text_size("$a$\n$b$", 13)
    assert two_lines[1] > 2 * short[1]


def test_rect_overlap_excludes_touching_edges():
    assert Rect(0, 0, 1, 1).overlaps(Rect(0.5, 0.5, 1, 1))
    assert not Rect(0, 0, 1, 1).overlaps(Rect(1, 0, 1, 1))
