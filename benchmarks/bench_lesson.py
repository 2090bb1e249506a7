"""How long a student waits for a lesson's first graphs, in a real Jupyter kernel.

Run: ``python benchmarks/bench_lesson.py [--kernels N]``. A lesson imports the package in
its first cell and draws network 0 in a later cell, network 1 after it. Each round starts
a fresh kernel (jupyter_client, the kernel JupyterLab runs) and times, inside the kernel,
with its CPU clock (``time.process_time``, which other work on a shared machine moves less
than wall-clock time):

- ours, cells apart: the import cell, one second for the student to read, then
  ``Diagram(graph)`` and ``fig.canvas.draw()`` for network 0, then for network 1, each in
  its own cell. The package readies matplotlib's mathtext in the kernel's idle moment after
  the import (draw_warm.py). Each kernel has an empty folder of kept pixels: the first
  time this machine draws these graphs;
- ours, drawn before: the same, in a kernel whose folder holds the pixels an earlier kernel
  kept (draw_kept.py): the lesson opened again, or its kernel restarted;
- ours, one cell: the import and network 0's draw in the same cell, as the first draw was
  before draw_warm, and as ``Run All`` can meet it: the graph's cell pays for the
  mathtext parser and fonts itself. Network 1 follows in its own cell;
- ours, the widget shown, cells apart: what a lesson's cell does under the inline backend,
  ``interactive_graph(config)`` displayed: the diagram in strips, the controls, and the PNG
  of the whole shown where no widget can be (under ipympl the canvases draw the same
  strips, when the browser asks); first time, and drawn before;
- the original's way, cells apart: a ready-made PNG of each network at the original's size
  (699 x 582 and 1411 x 711 pixels, stand-ins made from our pictures) decoded and shown
  with ``imshow`` in an Axes, and drawn.

Medians over the kernels, the kinds interleaved round by round so a busy machine moves
them alike. The original lab showed its ready PNG in 110-130 ms on this kind of machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parent.parent

IMPORT = "import sys, time\nsys.path.insert(0, 'benchmarks')\nfrom bench_draw import *\n"
TIMED = "start = time.process_time(); {0}; print(1000 * (time.process_time() - start))"
OURS = ["draw(config_nw0)", "draw(config_nw1)"]
WIDGET_IMPORT = "from IPython.display import display\nfrom lab_utils_backprop import interactive_graph\n"
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


KEPT = "LAB_UTILS_BACKPROP_CACHE"  # draw_kept.ENV, not imported: this process draws nothing


class Kernel:
    """A fresh kernel in the repository's root that runs cells and returns what they print.

    ``kept``: the folder of kept pixels the kernel uses.
    """

    def __init__(self, kept: str):
        env = {**os.environ, KEPT: kept}
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(ROOT), env=env)

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
    first_cell: str, statements: list[str], setup: str = "", together: bool = False, kept: str | None = None
) -> list[float]:
    """ms per statement, each timed in its own cell after ``first_cell`` (or the first one in it).

    ``kept``: a folder of kept pixels shared with other kernels; None gives an empty one.
    """
    with tempfile.TemporaryDirectory() as empty:
        return _lesson(Kernel(kept or empty), first_cell, statements, setup, together)


def _lesson(
    kernel: Kernel, first_cell: str, statements: list[str], setup: str, together: bool
) -> list[float]:
    try:
        if together:
            times = [float(kernel.run(first_cell + setup + "\n" + TIMED.format(statements[0])))]
        else:
            kernel.run(first_cell + setup)
            time.sleep(1.0)  # the student reads the next cell
            times = [float(kernel.run(TIMED.format(statements[0])))]
        times += [float(kernel.run(TIMED.format(statement))) for statement in statements[1:]]
        return times
    finally:
        kernel.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", type=int, default=5, help="fresh kernels per kind (default 5)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as before:
        kinds = {
            "ours, cells apart": lambda: lesson(IMPORT, OURS),
            "ours, drawn before": lambda: lesson(IMPORT, OURS, kept=before),
            "ours, one cell": lambda: lesson(IMPORT, OURS, together=True),
            "ours, the widget shown": lambda: lesson(IMPORT + WIDGET_IMPORT, WIDGET),
            "the widget, drawn before": lambda: lesson(IMPORT + WIDGET_IMPORT, WIDGET, kept=before),
            "original's way": lambda: lesson(IMPORT + STAND_IN, ORIGINAL, setup=ORIGINAL_SETUP),
        }
        lesson(IMPORT, OURS, kept=before)  # earlier kernels drew the lesson's graphs
        lesson(IMPORT + WIDGET_IMPORT, WIDGET, kept=before)
        results: dict[str, list[list[float]]] = {kind: [] for kind in kinds}
        for _ in range(args.kernels):
            for kind, run in kinds.items():
                results[kind].append(run())
    print(f"{'fresh kernels: median (min-max)':<32} {'network 0':>16} {'network 1 next':>16}")
    for kind, rounds in results.items():
        columns = []
        for i in (0, 1):
            times = [each[i] for each in rounds]
            columns.append(f"{statistics.median(times):.0f} ({min(times):.0f}-{max(times):.0f}) ms")
        print(f"{kind:<32} {columns[0]:>16} {columns[1]:>16}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
