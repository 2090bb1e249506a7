"""Nothing a student types into the graph's input can break it, run code, or change a box it rejects."""

import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_utils_backprop.engine.examples import config_nw0, config_nw1
from lab_utils_backprop.exercise.answers import check, format_number
from lab_utils_backprop.notebook.widget import GraphWidget

GRAPHS = {"network 0": config_nw0, "network 1": config_nw1}

SPECIAL = [
    "",
    " ",
    "\t\n",
    "__import__('os').system('touch {marker}')",
    'exec(\'open("{marker}", "w")\')',
    "1e999",
    "-1e999",
    "1e-999",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "0x10",
    "1_000",
    "0b11",
    "1j",
    "9/0",
    "2*3",
    "sqrt(4)",
    "٤",
    "４",
    "4,5",
    "\x00",
    "\x1b[2J",
    "\u202e11",
    "x" * 100_000,
    "1" * 10_000,
    "9" * 101,
    "-" * 50 + "1",
    "{marker}",
]

NUMBER_LIKE = st.from_regex(
    r"\A[ \t]*[-+−]?[0-9]{0,4}(\.[0-9]{0,4})?([eE][-+]?[0-9]{1,4})?(/[0-9]{0,3})?[ \t]*\Z"
)
TEXTS = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="ascii"), max_size=20),
    st.text(min_size=100, max_size=3000),
    NUMBER_LIKE,
    st.sampled_from(SPECIAL),
)


def prefilled(graph):
    """A graph with some boxes right and some wrong, so a rejected entry has something to keep."""
    widget = GraphWidget(graph, progress=False)
    for i, box in enumerate(widget.tutor.boxes):
        if i % 3 == 0:
            widget.enter(format_number(box.answer), box.id)
        elif i % 3 == 1:
            widget.enter(format_number(box.answer + 1), box.id)
    return widget


def type_into(widget, box_id, text):
    """Choose the box from the list (as a keyboard user does) and type the text with Enter."""
    widget.choose.value = box_id
    before, shown = widget.state(box_id), widget.answer.value
    widget.answer.submit(text)
    return before, shown


def assert_judged_safely(widget, box_id, text, before, shown):
    assert widget.errors.outputs == ()
    result = check(widget.tutor.box(box_id), text)
    if result.is_number:
        assert widget.state(box_id).status == ("right" if result.correct else "wrong")
        assert widget.state(box_id).message in html.unescape(widget.message.value)
    else:
        assert widget.state(box_id) == before
        assert f"⚠ {result.message}" in html.unescape(widget.message.value)


@pytest.mark.parametrize("name", GRAPHS)
def test_special_inputs_into_every_box(name, tmp_path):
    widget = prefilled(GRAPHS[name])
    marker = tmp_path / "ran"
    for box in widget.tutor.boxes:
        for special in SPECIAL:
            text = special.format(marker=marker)
            before, shown = type_into(widget, box.id, text)
            assert_judged_safely(widget, box.id, text, before, shown)
    assert not marker.exists()
    widget.close()


@pytest.mark.parametrize("name", GRAPHS)
def test_generated_inputs_into_every_box(name):
    widget = prefilled(GRAPHS[name])
    ids = [box.id for box in widget.tutor.boxes]
    ran = []

    @settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(box_id=st.sampled_from(ids), text=TEXTS)
    def judge(box_id, text):
        before, shown = type_into(widget, box_id, text)
        assert_judged_safely(widget, box_id, text, before, shown)
        ran.append(text)

    judge()
    assert len(ran) >= 1000
    print(f"{len(ran)} generated entries into {name}")
    widget.close()
