"""How long a student waits for a lesson's graphs, in a real Jupyter kernel.

Run: ``python benchmarks/bench_lesson.py [--kernels N] [--kinds widget]``. A lesson imports
the package in its first cell and draws network 0 in a later cell, network 1 after it.
Each round starts a fresh kernel (jupyter_client, the kernel JupyterLab runs) and times,
inside the kernel, with its CPU clock (``time.process_time``, which other work on a shared
machine moves less than wall-clock time):

- ours, cells apart: the import cell, one second for the student to read, then
  ``Diagram(graph)`` and ``fig.canvas.draw()`` for network 0, then for network 1, each in
  its own cell: the first draw pays for matplotlib's mathtext parser and fonts;
- ours, one cell: the import and network 0's draw in the same cell, as ``Run All`` can
  meet it. Network 1 follows in its own cell;
- the widget shown: what a lesson's cell does under the inline backend,
  ``interactive_graph(config)`` displayed: the diagram in strips, the controls, and the PNG
  of the whole shown where no widget can be (under ipympl the canvases draw the same
  strips, when the browser asks);
- the widget, re-run: the same two cells, then each run again, as a student re-running a
  cell (the second pair is timed);
- the original's way, cells apart: a ready-made PNG of each network at the original's size
  (699 x 582 and 1411 x 711 pixels, stand-ins made from our pictures) decoded and shown
  with ``imshow`` in an Axes, and drawn.

Each kernel ends by drawing an empty figure of network 1's size (median of 9): each time
is also shown as a ratio to it, which a busy or a faster machine should leave unchanged.
Medians over the kernels, the kinds interleaved round by round so a busy machine moves
them alike. ``--kinds widget`` runs the widget kinds only, which need nothing but the
package's root names (so they run against an older tree too, with ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parent.parent

IMPORT = "import sys, time\nsys.path.insert(0, 'benchmarks')\nfrom bench_draw import *\n"
TIMED = "start = time.process_time(); {0}; print(1000 * (time.process_time() - start))"
OURS = ["draw(config_nw0)", "draw(config_nw1)"]
WIDGET_IMPORT = (
    "import time\nfrom IPython.display import display\n"
    "from lab_utils_backprop import config_nw0, config_nw1, interactive_graph\n"
)
WIDGET = [f"display(interactive_graph({name}, progress=False))" for name in ("config_nw0", "config_nw1")]
ORIGINAL_SETUP = (
    "pngs = [stand_in(name, size) for name, size in "
    "[('C2_W2_BP_network0.PNG', (699, 582)), ('C2_W2_BP_network1.PNG', (1411, 711))]]"
)
ORIGINAL = ["show_png_file(pngs[0])", "show_png_file(pngs[1])"]
STAND_IN = """
def stand_in(name, size):
    with io.BytesIO() as out:
        Image.open(IMAGES / name).resize(size).save(out, format="png")
        return out.getvalue()
"""
#: The baseline, drawn in each kernel after its lesson: an empty figure of network 1's size.
EMPTY = """
import statistics, time
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
def empty_ms():
    figure = Figure(figsize=(10.8, 4.4), dpi=100)
    FigureCanvasAgg(figure)
    start = time.process_time()
    figure.canvas.draw()
    return 1000 * (time.process_time() - start)
print(statistics.median(empty_ms() for _ in range(9)))
"""


class Kernel:
    """A fresh kernel in the repository's root that runs cells and returns what they print."""

    def __init__(self):
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(ROOT))

    def run(self, code: str) -> str:
        msg_id = self.client.execute(code)
        printed = []
        while True:
            message = self.client.get_iopub_msg(timeout=120)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                printed.append(content["text"])
            elif kind == "error":
                raise RuntimeError("\n".join(content["traceback"]))
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(printed)

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def lesson(
    first_cell: str, statements: list[str], setup: str = "", together: bool = False, again: bool = False
) -> tuple[list[float], float]:
    """(ms per statement, each timed in its own cell after ``first_cell``, ms of an empty figure).

    ``together``: the first statement in the first cell. ``again``: every statement is run
    once untimed first, so that the times are of cells run again.
    """
    kernel = Kernel()
    try:
        if together:
            times = [float(kernel.run(first_cell + setup + "\n" + TIMED.format(statements[0])))]
        else:
            kernel.run(first_cell + setup)
            time.sleep(1.0)  # the student reads the next cell
            if again:
                for statement in statements:
                    kernel.run(statement)
            times = [float(kernel.run(TIMED.format(statements[0])))]
        times += [float(kernel.run(TIMED.format(statement))) for statement in statements[1:]]
        return times, float(kernel.run(EMPTY))
    finally:
        kernel.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", type=int, default=5, help="fresh kernels per kind (default 5)")
    parser.add_argument("--kinds", choices=["all", "widget"], default="all", help="which kinds to run")
    args = parser.parse_args(argv)
    kinds = {
        "ours, cells apart": lambda: lesson(IMPORT, OURS),
        "ours, one cell": lambda: lesson(IMPORT, OURS, together=True),
        "the widget shown": lambda: lesson(WIDGET_IMPORT, WIDGET),
        "the widget, re-run": lambda: lesson(WIDGET_IMPORT, WIDGET, again=True),
        "original's way": lambda: lesson(IMPORT + STAND_IN, ORIGINAL, setup=ORIGINAL_SETUP),
    }
    if args.kinds == "widget":
        kinds = {kind: run for kind, run in kinds.items() if "widget" in kind}
    results: dict[str, list[tuple[list[float], float]]] = {kind: [] for kind in kinds}
    for _ in range(args.kernels):
        for kind, run in kinds.items():
            results[kind].append(run())
    header = f"{'fresh kernels: median (min-max)':<28} {'network 0':>22} {'network 1 next':>22} {'empty':>7}"
    print(header)
    print("-" * len(header))
    for kind, rounds in results.items():
        empty = statistics.median(each[1] for each in rounds)
        columns = []
        for i in (0, 1):
            times = [each[0][i] for each in rounds]
            median = statistics.median(times)
            columns.append(f"{median:.0f} ({min(times):.0f}-{max(times):.0f}) ms {median / empty:>3.0f}x")
        print(f"{kind:<28} {columns[0]:>22} {columns[1]:>22} {empty:>5.1f}ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
