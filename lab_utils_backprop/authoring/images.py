"""``python -m lab_utils_backprop images [--out DIR]``: draw the lessons' pictures into ./images.

Every picture is drawn from an example graph, none by hand. The files keep the original
lab's names (``C2_W2_BP_network0.PNG``, ...) so its notebooks still find them. Output is
deterministic (fixed dpi, no "Software" stamp), so a test can tell when images/ is stale.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..diagram.draw import DPI, Diagram
from ..diagram.layout import Layout, layout_graph, layout_node, layout_nudge
from ..engine.examples import config_fanout, config_neuron, config_nw0, config_nw1
from ..engine.graph import ComputationGraph

__all__ = ["IMAGES", "main", "pictures", "write_images"]

#: Where ``images`` writes by default: ./images in the current folder, never into the package
#: (``make images`` runs it at the top of the repository).
IMAGES = Path("images")


def pictures() -> dict[str, tuple[ComputationGraph, Layout]]:
    """Every picture by file name: the whole lab diagrams, close-ups of single nodes, the nudge picture.

    Examples
    --------
    >>> sorted(pictures())[:3]
    ['C2_W2_BP_network0.PNG', 'C2_W2_BP_network0_a.PNG', 'C2_W2_BP_network0_diff.PNG']
    """
    return {
        "C2_W2_BP_network0.PNG": (config_nw0, layout_graph(config_nw0)),
        "C2_W2_BP_network0_j.PNG": (config_nw0, layout_node(config_nw0, "J")),
        "C2_W2_BP_network0_a.PNG": (config_nw0, layout_node(config_nw0, "a")),
        "C2_W2_BP_network0_diff.PNG": (config_nw0, layout_nudge(config_nw0, "w")),
        "C2_W2_BP_network1.PNG": (config_nw1, layout_graph(config_nw1)),
        "C2_W2_BP_network1_jdsq.PNG": (config_nw1, layout_node(config_nw1, "J")),
        "C2_W2_BP_network1_d.PNG": (config_nw1, layout_node(config_nw1, "d")),
        "C2_W2_BP_network1_a.PNG": (config_nw1, layout_node(config_nw1, "a")),
        "C2_W2_BP_network1_c.PNG": (config_nw1, layout_node(config_nw1, "c")),
        "neuron.png": (config_neuron, layout_graph(config_neuron)),
        "fanout.png": (config_fanout, layout_graph(config_fanout)),
    }


def write_images(out: Path) -> list[Path]:
    """Draw every picture into ``out`` (created if needed); return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (graph, layout) in pictures().items():
        path = out / name
        Diagram(graph, layout=layout).fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    """The ``images`` command: regenerate the pictures, print where they went."""
    parser = argparse.ArgumentParser(
        prog="python -m lab_utils_backprop images", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--out", type=Path, default=IMAGES, help=f"folder to write into (default: ./{IMAGES})"
    )
    args = parser.parse_args(argv)
    written = write_images(args.out)
    print(f"wrote {len(written)} images to {args.out}")
    return 0
