"""How long a student waits between clicking a box, pressing Enter and seeing the feedback.

Run: ``python benchmarks/bench_widget.py [--rounds N]``. For network 1 and the sigmoid
neuron, each entry is a click on a box (a MouseEvent processed by the canvas's callbacks)
then typing its text and Enter (the answer input's submit); the clock stops when the
call returns: the message set and the strips' frames made (one per strip, at the end of
the action). Rounds alternate a wrong and a right answer so that every entry changes its box.

The clock is the process's CPU time (``time.process_time``), so that other work on a
shared machine moves it less than wall-clock time would.

Two canvases are measured: Agg (what the tests use) and ipympl's canvas, as under
``%matplotlib widget``, told that a browser is attached so that, as in JupyterLab, each
repaint ends with the PNG diff image ipympl sends to the browser. Beside them, in the same
run, the time to draw an empty figure of the same size: ratios to it are what a busy or a
faster machine should leave unchanged.

The difference between the two canvases is matplotlib's web canvas turning the changed
pixels into a PNG as large as the whole figure (``get_diff_image``), which grows with the
figure's pixel count, not with what changed. That is why the widget shows a diagram in
strips, a canvas each (``Layout.strips``).

Last, a cell run again: ``interactive_graph(graph)`` and the PNG the notebook shows for it,
run 10 times in the same cell of one kernel (a stand-in kernel says which cell runs, as
JupyterLab's messages do), median of the runs after the first. Each run draws into the
figures of the widget it replaces.
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from matplotlib.backend_bases import MouseEvent  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from lab_utils_backprop.diagram.draw import Diagram  # noqa: E402
from lab_utils_backprop.engine.examples import config_neuron, config_nw1  # noqa: E402
from lab_utils_backprop.exercise.answers import format_number  # noqa: E402
from lab_utils_backprop.notebook.shown import interactive_graph  # noqa: E402
from lab_utils_backprop.notebook.widget import GraphWidget  # noqa: E402

GRAPHS = {"network 1": config_nw1, "sigmoid neuron": config_neuron}


def entries(widget, rounds: int):
    """(box id, text) for every box, rounds times, alternately wrong and right."""
    for round_ in range(rounds):
        for box in widget.tutor.boxes:
            answer = box.answer + (1 if round_ % 2 == 0 else 0)
            yield box.id, format_number(answer)


def time_entries(widget, rounds: int) -> list[tuple[float, float]]:
    """Per entry: seconds for the click's call and for the Enter's call, each until it returns.

    A student action ends with its frames (one per strip, after the message is set), so the
    feedback is on its way to the browser only when the call returns.
    """
    times = []
    for box_id, text in entries(widget, rounds):
        canvas = widget.figure_of(box_id).canvas
        press = MouseEvent("button_press_event", canvas, *widget.display_position(box_id), button=1)
        start = time.process_time()
        canvas.callbacks.process("button_press_event", press)
        clicked = time.process_time()
        widget.answer.submit(text)  # what Enter in the page calls
        entered = time.process_time()
        times.append((clicked - start, entered - clicked))
        if widget.state(box_id).status not in ("right", "wrong"):
            raise RuntimeError(f"{box_id}: {text!r} was not judged: {widget.message.value}")
    return times


def time_empty(size, repeats: int) -> list[float]:
    """Seconds to draw an empty Agg figure of ``size`` inches."""
    times = []
    for _ in range(repeats):
        figure = Figure(figsize=size)
        FigureCanvasAgg(figure)
        start = time.process_time()
        figure.canvas.draw()
        times.append(time.process_time() - start)
    return times


def attach_browser(widget) -> None:
    """Tell ipympl's canvases a browser view is ready, as JupyterLab does, so they send diffs only."""
    for figure in widget.figures:
        figure.canvas._handle_msg(
            {"content": {"data": {"method": "custom", "content": {"type": "initialized"}}}, "buffers": []}
        )


def measure(graph, backend: str, rounds: int) -> list[tuple[float, float]]:
    plt.switch_backend(backend)
    widget = GraphWidget(graph, progress=False)
    if backend != "Agg":
        attach_browser(widget)
    for figure in widget.figures:
        figure.canvas.draw()  # the first frames, drawn when the widget is first shown
    time_entries(widget, 1)  # warm up caches (fonts, the blit background)
    widget.tutor.reset()
    times = time_entries(widget, rounds)
    widget.close()
    plt.switch_backend("Agg")
    return times


class RunningCell:
    """The kernel's parent message, as ``shown`` reads it: which cell runs, and which run it is."""

    def __init__(self, cell: str):
        self.cell, self.runs = cell, 0

    def get_parent(self):
        self.runs += 1
        return {"metadata": {"cellId": self.cell}, "header": {"msg_id": f"run-{self.runs}"}}


def time_reruns(graph, runs: int = 10) -> list[float]:
    """Seconds of each run of a cell showing ``graph``: the widget built and its PNG made."""
    shell = InteractiveShell.instance()
    shell.kernel = RunningCell(repr(graph))
    times = []
    for _ in range(runs):
        start = time.process_time()
        interactive_graph(graph, progress=False)._repr_mimebundle_()
        times.append(time.process_time() - start)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="entries per box (default 10)")
    args = parser.parse_args(argv)
    print(
        f"{'graph':<15} {'canvas':<7} {'entries':>7} {'click ms':>8} {'Enter ms':>8} "
        f"{'both: median':>12} {'max':>6} {'empty ms':>8} {'ratio':>6}"
    )
    for name, graph in GRAPHS.items():
        empty = statistics.median(time_empty(Diagram.figure_size(graph), 30))
        for label, backend in [("Agg", "Agg"), ("ipympl", "module://ipympl.backend_nbagg")]:
            times = measure(graph, backend, args.rounds)
            both = [click + enter for click, enter in times]
            median = statistics.median(both)
            print(
                f"{name:<15} {label:<7} {len(times):>7} {statistics.median(t[0] for t in times) * 1e3:>8.1f} "
                f"{statistics.median(t[1] for t in times) * 1e3:>8.1f} {median * 1e3:>12.1f} "
                f"{max(both) * 1e3:>6.1f} {empty * 1e3:>8.1f} "
                f"{median / empty:>6.1f}"
            )
    print(f"\n{'a cell run again':<16} {'first ms':>8} {'re-run ms':>9} {'empty ms':>8} {'ratio':>6}")
    for name, graph in GRAPHS.items():
        empty = statistics.median(time_empty(Diagram.figure_size(graph), 30))
        first, *again = time_reruns(graph)
        median = statistics.median(again)
        ms = f"{first * 1e3:>8.0f} {median * 1e3:>9.0f} {empty * 1e3:>8.1f}"
        print(f"{name:<16} {ms} {median / empty:>6.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
