"""The original lab's way to show a graph: ``plt_network(config_nw0, "./images/...PNG")``."""

from __future__ import annotations

from IPython.display import display

from ..engine.graph import ComputationGraph
from .shown import interactive_graph

__all__ = ["plt_network"]


def plt_network(config: ComputationGraph, image=None) -> None:
    """Show ``config`` as an interactive graph at once, as the original lab's helper did.

    ``image`` is accepted so that the original's calls keep working, and ignored: the
    diagram is drawn from the graph itself. Use :func:`interactive_graph` to keep a handle.

    Parameters
    ----------
    config : ComputationGraph
        The exercise, such as ``config_nw0``.
    image : str, optional
        Ignored.
    """
    display(interactive_graph(config))
