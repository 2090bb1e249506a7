"""Running a graph's cell again and again leaves the kernel as it was after the first run.

A student re-runs a cell many times in a lesson; each run replaces the widget the last one
showed. Each closed widget must close every model it made (its layouts and styles too), and
the re-run registry must drop what it replaced, or the kernel grows with every run.
"""

import gc
import tracemalloc
import warnings

import ipywidgets
import matplotlib.pyplot as plt
import pytest
from IPython.core.interactiveshell import InteractiveShell
from matplotlib.backend_bases import MouseEvent

from lab_utils_backprop.engine.examples import config_neuron, config_nw1
from lab_utils_backprop.notebook.shown import interactive_graph

RUNS = 60
#: Traced memory may grow this much from run 10 to run 60 (allocator noise); a widget left
#: alive per run is hundreds of kilobytes.
MEMORY_BOUND = 256 * 1024


class RunningCell:
    """The kernel as ``shown._running_cell`` reads it: the parent message of the cell running now."""

    def __init__(self):
        self.run(0)

    def run(self, count: int) -> None:
        self.parent = {"metadata": {"cellId": "graph-cell"}, "header": {"msg_id": f"execute-{count}"}}

    def get_parent(self):
        return self.parent


@pytest.fixture
def kernel():
    """An IPython shell whose kernel says which cell runs, as ipykernel's does."""
    shell = InteractiveShell.instance()
    shell.kernel = RunningCell()
    yield shell.kernel
    plt.uninstall_repl_displayhook()  # pyplot hooked this shell's cells; the next test has another
    InteractiveShell.clear_instance()


def live_models() -> int:
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # ipywidgets 8 still keeps the registry
        return len(ipywidgets.Widget.widgets)


def rerun(kernel, config, run: int):
    """One run of the cell ``interactive_graph(config)``: shown, and a box answered."""
    kernel.run(run)
    # The terminal shell keeps every display in its history (IPython 9); ipykernel's publisher
    # does not by default (store_display_history=False), so neither does this kernel.
    InteractiveShell.instance().history_manager.outputs.clear()
    graph = interactive_graph(config, progress=False)
    graph._repr_mimebundle_()  # what the notebook does with the cell's result
    box = graph.tutor.boxes[0]
    graph.enter(str(box.answer), box.id)
    return graph


@pytest.mark.parametrize(
    ("config", "backend"),
    [(config_nw1, "inline"), (config_nw1, "ipympl"), (config_neuron, "ipympl")],
    ids=["network 1, inline", "network 1, ipympl", "neuron, ipympl"],
)
def test_running_a_graph_cell_60_times_leaves_models_and_memory_flat(kernel, config, backend, request):
    if backend == "ipympl":
        request.getfixturevalue("ipympl")
    rerun(kernel, config, 1)
    after_one = live_models()
    memory = None
    for run in range(2, RUNS + 1):
        if run == 9:
            tracemalloc.start()  # from here on, so that the widget alive at run 10 is traced too
        rerun(kernel, config, run)
        if run == 10:
            gc.collect()
            memory = tracemalloc.get_traced_memory()[0]
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - memory
    tracemalloc.stop()
    assert live_models() == after_one
    assert grown < MEMORY_BOUND, f"{grown / 1024:.0f} KiB more after {RUNS - 10} more runs"


def test_the_same_run_showing_two_graphs_keeps_both(kernel):
    kernel.run(1)
    first, second = (
        interactive_graph(config_nw1, progress=False),
        interactive_graph(config_neuron, progress=False),
    )
    assert not first.closed and not second.closed
    kernel.run(2)
    again = interactive_graph(config_nw1, progress=False)
    assert first.closed and second.closed and not again.closed
    again.close()


def test_a_closed_widget_closes_its_layouts_and_styles(kernel):
    before = live_models()
    graph = interactive_graph(config_nw1, progress=False)
    assert live_models() > before
    graph.close()
    assert live_models() == before


def test_a_cell_run_again_draws_into_the_figures_it_replaces_and_only_the_new_widget_takes_clicks(
    kernel, ipympl
):
    kernel.run(1)
    old = interactive_graph(config_nw1, progress=False)
    kernel.run(2)
    new = interactive_graph(config_nw1, progress=False)
    assert old.closed and new.figures == old.figures
    assert [figure.canvas.comm is not None for figure in new.figures] == [True] * len(new.figures)
    canvas = new.figure_of("forward:a").canvas
    x, y = new.display_position("forward:a")
    canvas.callbacks.process("button_press_event", MouseEvent("button_press_event", canvas, x, y, button=1))
    assert (new.tutor.selected, old.tutor.selected) == ("forward:a", None)
    assert new.errors.outputs == old.errors.outputs == ()
    new.close()
