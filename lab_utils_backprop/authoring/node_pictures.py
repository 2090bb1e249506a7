"""A close-up picture of each node for a generated lesson, as a Markdown cell attachment.

The main lab shows each node beside its text (images/, drawn by ``python -m lab_utils_backprop
images``). A generated lesson has no folder of its own to put pictures in, so each picture
travels inside the notebook, as an attachment of the cell that discusses the node.
"""

from __future__ import annotations

import base64
import io

from ..diagram.draw import DPI, Diagram
from ..diagram.views import layout_node
from ..engine.graph import ComputationGraph

__all__ = ["node_picture"]


def node_picture(graph: ComputationGraph, name: str) -> tuple[str, dict]:
    """The Markdown that shows node ``name``'s close-up, and the attachments it refers to.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> markdown, attachments = node_picture(config_nw0, "a")
    >>> markdown, list(attachments), list(attachments["node-a.png"])
    ('![The node a and its derivative boxes](attachment:node-a.png)', ['node-a.png'], ['image/png'])
    """
    figure = Diagram(graph, layout=layout_node(graph, name)).fig
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
    file = f"node-{name}.png"
    markdown = f"![The node {name} and its derivative boxes](attachment:{file})"
    return markdown, {file: {"image/png": base64.b64encode(png.getvalue()).decode("ascii")}}
