"""How long a diagram takes to lay out, draw and repaint, against drawing an empty figure.

Run: ``python benchmarks/bench_draw.py [--runs N] [--fresh N]``. For the two lab graphs,
the sigmoid neuron, the fan-out graph and a 30-node generated graph it prints:

- layout: ``layout_graph`` alone (pure Python), median of N runs;
- first: ``Diagram(graph)`` then ``fig.canvas.draw()`` in a fresh Python process, after the
  imports, median of ``--fresh`` processes: matplotlib builds its mathtext parser, loads
  the fonts and parses every equation, as the first graph of a new kernel;
- re-run: the same again in this process, into a new Figure (matplotlib's own caches of
  parsed mathtext are warm, for as many texts as they hold). A cell run again draws into
  the figures of the widget it replaces instead: ``bench_widget.py`` times that;
- empty: an empty Figure of the same size drawn the same way, in the same run, and the
  ratios first / empty and re-run / empty (a busy machine moves both alike);
- repaint: ``set_box`` then ``repaint`` of one box (blitting), median and max over every box
  and status;

and, for reference, the original lab's way: a ready-made PNG of network 1 at its size
(1411 x 711 pixels), shown with ``imshow`` and drawn, in this process and in a fresh one.

Times are the process's CPU time (``time.process_time``), so other work on a shared
machine moves them less than wall-clock time would. The original lab showed a
ready-made PNG in 110-130 ms on this kind of machine.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import statistics
import subprocess
import sys
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from lab_utils_backprop import ComputationGraph  # noqa: E402
from lab_utils_backprop.authoring.images import IMAGES  # noqa: E402
from lab_utils_backprop.diagram.draw import DPI, Diagram  # noqa: E402
from lab_utils_backprop.diagram.layout import layout_graph  # noqa: E402
from lab_utils_backprop.engine.examples import config_fanout, config_neuron, config_nw0, config_nw1  # noqa: E402


def generated(n_nodes: int, seed: int = 3) -> ComputationGraph:
    """A fixed random graph of ``n_nodes`` nodes: three parameters, two data leaves, fan-out."""
    rng = random.Random(seed)
    leaves = ["w0", "w1", "w2", "x0", "x1"]
    names, unused, lines = list(leaves), set(leaves), []
    for i in range(n_nodes - len(leaves) - 1):
        a, b = rng.sample(names, 2)
        lines.append(
            f"n{i} = "
            + rng.choice(["{0} + {1}", "{0}*{1}", "tanh({0}) - {1}", "{0}**2/4 + {1}"]).format(a, b)
        )
        unused -= {a, b}
        unused.add(f"n{i}")
        names.append(f"n{i}")
    lines.append("J = " + " + ".join(sorted(unused - {"x0", "x1"}) or [names[-1]]))
    text = " ".join(lines)
    values = {"w0": 1, "w1": -2, "w2": "1/2", "x0": 2, "x1": -1}
    used = {name: value for name, value in values.items() if re.search(rf"\b{name}\b", text)}
    return ComputationGraph.from_equations(lines, used, [p for p in ("w0", "w1", "w2") if p in used])


GRAPHS = {
    "network 0": lambda: config_nw0,
    "network 1": lambda: config_nw1,
    "neuron": lambda: config_neuron,
    "fan-out": lambda: config_fanout,
    "generated, 30 nodes": lambda: generated(30),
}


def median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return 1000 * statistics.median(times)


def draw(graph: ComputationGraph) -> None:
    Diagram(graph).fig.canvas.draw()


def draw_empty(size: tuple[float, float]) -> None:
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    fig.canvas.draw()


def show_png(pixels: np.ndarray) -> None:
    """The original lab's way: a ready-made picture in an Axes, drawn."""
    height, width = pixels.shape[:2]
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.imshow(pixels)
    fig.canvas.draw()


def fresh_ms(statement: str, runs: int, setup: str = "") -> float:
    """Median CPU time of ``statement`` in new interpreters, after ``from bench_draw import *``, ``setup``."""
    code = (
        "import sys, time\n"
        "sys.path.insert(0, 'benchmarks')\n"
        "from bench_draw import *\n"
        f"{setup}\n"
        f"start = time.process_time(); {statement}; print(1000 * (time.process_time() - start))\n"
    )
    times = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(result.stdout.split()[-1]))
    return statistics.median(times)


def original_png() -> bytes:
    """Our network 1 stretched to the original's 1411 x 711 pixels stands in for its picture file."""
    with io.BytesIO() as out:
        Image.open(IMAGES / "C2_W2_BP_network1.PNG").resize((1411, 711)).save(out, format="png")
        return out.getvalue()


def show_png_file(data: bytes) -> None:
    """The original's way from its file: decode the PNG, show it."""
    show_png(np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")))


def repaint_ms(graph: ComputationGraph) -> tuple[float, float]:
    """Median and max of set_box + repaint over every box and status, after the first draw."""
    diagram = Diagram(graph)
    diagram.fig.canvas.draw()
    diagram.repaint(diagram.set_box(diagram.box_ids[0], "empty"))
    times = []
    for status in ("right", "wrong", "revealed", "empty"):
        for box_id in diagram.box_ids:
            start = time.process_time()
            diagram.repaint(diagram.set_box(box_id, status, "4.5", selected=status == "wrong"))
            times.append(time.process_time() - start)
    return 1000 * statistics.median(times), 1000 * max(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per measurement (median)")
    parser.add_argument("--fresh", type=int, default=3, help="fresh processes for the first draw (median)")
    args = parser.parse_args(argv)
    runs = args.runs
    header = (
        f"{'graph':<20} {'nodes':>5} {'boxes':>5} {'size (in)':>10} {'layout':>7} {'first':>6} "
        f"{'re-run':>6} {'empty':>6} {'first/empty':>11} {'re-run/empty':>12} {'repaint med/max':>16}"
    )
    print(header)
    print("-" * len(header))
    for name, make in GRAPHS.items():
        graph = make()
        layout = layout_graph(graph)
        draw(graph)  # warm up fonts and the parser in this process
        layout_time = median_ms(lambda g=graph: layout_graph(g), runs)
        again_time = median_ms(lambda g=graph: draw(g), runs)
        empty_time = median_ms(lambda s=layout.size: draw_empty(s), runs)
        statement = f"draw(GRAPHS[{name!r}]())"
        first_time = fresh_ms(statement, args.fresh)
        median, longest = repaint_ms(graph)
        size = f"{layout.size[0]:.1f}x{layout.size[1]:.1f}"
        counts = f"{len(graph.nodes):>5} {len(layout.boxes):>5}"
        print(
            f"{name:<20} {counts} {size:>10} {layout_time:>5.1f}ms {first_time:>4.0f}ms "
            f"{again_time:>4.0f}ms {empty_time:>4.1f}ms {first_time / empty_time:>10.0f}x "
            f"{again_time / empty_time:>11.1f}x {median:>7.1f}/{longest:.1f}ms"
        )
    png = original_png()
    shown = median_ms(lambda: show_png_file(png), runs)
    shown_first = fresh_ms("show_png_file(png)", args.fresh, setup="png = original_png()")
    print(
        f"\nthe original's way, a 1411 x 711 PNG shown with imshow: {shown_first:.0f}ms first "
        f"(PNG decoded in a fresh process), {shown:.0f}ms again"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
