"""The pure state of an exercise: judging, mistake feedback, hints, reveal, hide, reset, practice."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from random_graphs import tanh_neuron

from lab_utils_backprop import config_fanout, config_neuron, config_nw0, config_nw1
from lab_utils_backprop.exercise.answers import check, format_number
from lab_utils_backprop.exercise.practice import clashes, is_friendly, practice_values
from lab_utils_backprop.exercise.tutor import BoxState, Tally, Tutor


@pytest.fixture
def nw1():
    return Tutor(config_nw1)


def test_every_box_right_gives_a_full_summary():
    for graph in (config_nw0, config_nw1, config_neuron, config_fanout):
        tutor = Tutor(graph)
        for box in tutor.boxes:
            feedback = tutor.enter(format_number(box.answer), box.id)
            assert feedback.correct, (box.id, feedback.message)
        assert tutor.done and tutor.summary() == f"{len(tutor.boxes)}/{len(tutor.boxes)} boxes right"


def test_typing_goes_to_the_selected_box(nw1):
    assert nw1.enter("3").message == "Click a box first (or choose one from the list)."
    nw1.select("forward:d")
    assert nw1.enter(" 3 ").correct
    assert nw1.state("forward:d") == BoxState("right", "3", "Right: d = 3.")


def test_not_a_number_leaves_the_box_as_it_was(nw1):
    nw1.enter("9/2", "forward:J")
    for text in ["", "4,5", "abc", "__import__('os').system('x')", "1e999", None]:
        feedback = nw1.enter(text, "forward:J")
        assert feedback.correct is None and feedback.message
        assert nw1.state("forward:J").status == "right"


def test_no_mistake_message_gives_the_answer_away():
    tutor = Tutor(config_nw0)
    for text in ["2", "3", "5", "11", "121", "-66", "7"]:
        message = tutor.enter(text, "gradient:w").message
        assert "66" not in message


def test_hints_go_from_what_to_formula_to_bump_to_reveal(nw1):
    nw1.select("local:c:w")
    steps = [nw1.hint() for _ in range(4)]
    assert "local derivative" in steps[0]
    assert "∂(wx)/∂w = x" in steps[1]
    assert "Nudge w by 0.001" in steps[2] and "≈ 2" in steps[2]
    assert steps[3] == "Revealed: ∂c/∂w = 2."
    assert nw1.state("local:c:w") == BoxState("revealed", "2", "The answer is 2.")
    chain = [nw1.hint("gradient:c") for _ in range(3)]
    assert "∂a/∂c × ∂J/∂a" in chain[1] and "≈ 3.0005" in chain[2]


def test_reveal_all_then_hide_all_gives_back_the_students_work(nw1):
    nw1.enter("-4", "forward:c")
    nw1.enter("5", "forward:a")
    nw1.reveal_all()
    assert nw1.state("forward:c").status == "right"
    assert nw1.state("forward:a") == BoxState("revealed", "4", "The answer is 4.")
    assert nw1.summary() == "1/13 boxes right, 12 revealed"
    nw1.hide_all()
    assert nw1.state("forward:a").status == "wrong" and nw1.state("forward:a").text == "5"
    assert nw1.state("forward:d") == BoxState()
    nw1.hide_all()  # pressing it twice changes nothing
    assert nw1.state("forward:a").text == "5"


def test_reset_empties_everything_and_tells_listeners(nw1):
    changed = []
    nw1.subscribe(changed.extend)
    nw1.select("forward:c")
    nw1.enter("-4")
    nw1.hint("gradient:w")
    nw1.reset()
    assert changed == ["forward:c", "forward:c"]
    assert all(state == BoxState() for state in nw1.states().values())
    assert nw1.selected is None and nw1.summary() == "0/13 boxes right"
    assert "how much J changes" in nw1.hint("gradient:w")  # hints start over


def test_listeners_hear_only_what_changed(nw1):
    changed = []
    nw1.subscribe(changed.append)
    nw1.enter("nonsense", "forward:c")
    nw1.reveal("forward:a")
    nw1.reveal("forward:a")
    assert changed == [["forward:a"]]


def test_unknown_box_names_the_known_ones(nw1):
    with pytest.raises(KeyError, match="forward:c"):
        nw1.select("forward:zz")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.sampled_from([b.id for b in Tutor(config_nw1).boxes]))
def test_enter_never_raises_for_any_text(text, box_id):
    tutor = Tutor(config_nw1)
    feedback = tutor.enter(text, box_id)
    assert feedback.message
    if feedback.correct is None:
        assert tutor.state(box_id) == BoxState()


def test_new_numbers_are_reproducible_friendly_and_different():
    for graph in (config_nw0, config_nw1, config_fanout):
        tutor = Tutor(graph)
        first, again, other = tutor.new_numbers(1), tutor.new_numbers(1), tutor.new_numbers(2)
        assert first.graph.values == again.graph.values
        assert first.graph.values != graph.values and first.graph.values != other.graph.values
        assert all(is_friendly(box.answer) for box in first.boxes)
        assert first.graph.params == graph.params


def test_practice_values_keep_exp_graphs_finite():
    values = practice_values(config_neuron, seed=3)
    assert set(values) == set(config_neuron.values)
    assert all(abs(box.answer) < 1000 for box in Tutor(config_neuron.with_values(values)).boxes)


def test_the_tutor_keeps_checks_own_close_messages():
    tutor = Tutor(tanh_neuron())
    assert tutor.enter("0.5", "forward:a").message == check(tutor.box("forward:a"), "0.5").message
    assert tutor.enter("0.5", "forward:a").message.startswith("Close, but round")
    assert "cut off" in tutor.enter("0.46211", "forward:a").message  # tanh(0.5) = 0.462117...


def test_a_revealed_answer_typed_back_counts_as_revealed():
    tutor = Tutor(config_nw0)
    tutor.enter("11", "forward:a")
    tutor.reveal("forward:J")
    assert tutor.enter("121", "forward:J").correct
    assert tutor.summary() == "1/5 boxes right, 1 revealed"
    assert tutor.tally() == Tally(typed_right=1, revealed=1, wrong=0, empty=3, total=5)
    assert not tutor.done
    tutor.enter("7", "gradient:a")
    assert tutor.tally().wrong == 1 and tutor.tally().empty == 2
    tutor.reset()
    assert tutor.tally() == Tally(0, 0, 0, 5, 5) and tutor.summary() == "0/5 boxes right"


def test_new_numbers_keep_the_slips_apart_better_than_a_first_draw():
    assert config_nw1.values == {"w": -2, "b": 8, "x": 2, "y": 1}  # the lab's own numbers stay
    for graph in (config_nw0, config_nw1, config_fanout):
        chosen = clashes(graph.with_values(practice_values(graph, seed=1)))
        assert chosen <= clashes(graph)
    assert (
        clashes(config_fanout.with_values(practice_values(config_fanout, seed=1)))[0]
        < clashes(config_fanout)[0]
    )
