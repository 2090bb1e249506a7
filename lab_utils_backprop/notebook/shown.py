"""One widget per cell: re-running a cell that shows a graph closes the widget it showed before.

Without this, each re-run would leave its canvases and models alive in the kernel. A cell
is known by the id JupyterLab sends with each execution; where none is sent (a plain
kernel, nbconvert), the graph's progress key stands in, so showing the same graph again
replaces it.
"""

from __future__ import annotations

import weakref

from ..engine.graph import ComputationGraph
from .progress import progress_key
from .widget import GraphWidget

__all__ = ["interactive_graph"]

# Per cell: the run (message id) that showed its widgets, and those widgets, weakly held.
_shown: dict[str, tuple[str | None, list[weakref.ref[GraphWidget]]]] = {}


def _running_cell() -> tuple[str | None, str | None]:
    """(cell id, message id) of the execution now running, where the front end sends them."""
    try:
        from IPython import get_ipython

        parent = get_ipython().kernel.get_parent()
        return parent["metadata"].get("cellId"), parent["header"].get("msg_id")
    except (AttributeError, KeyError, TypeError):
        return None, None


def interactive_graph(graph: ComputationGraph, *, progress=True) -> GraphWidget:
    """Show ``graph`` as a diagram to fill in; the returned widget displays itself in a cell.

    Re-running a cell closes the widgets its previous run showed (a cell may show several);
    where the front end names no cell, showing the same graph again replaces it.

    Parameters
    ----------
    graph : ComputationGraph
        The exercise.
    progress : bool, path-like or ProgressStore, default True
        Where right answers are saved (see :class:`GraphWidget`); False keeps nothing.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw1
    >>> g = interactive_graph(config_nw1, progress=False)
    >>> g.enter("-4", "forward:c").correct
    True
    >>> g.close()
    """
    cell, run = _running_cell()
    key = cell or progress_key(graph)
    shown_by, widgets = _shown.get(key, (None, []))
    if cell is None or shown_by != run:
        for ref in widgets:
            if (old := ref()) is not None:
                old.close()
        widgets = []
    widget = GraphWidget(graph, progress=progress)
    _shown[key] = (run, [*widgets, weakref.ref(widget)])
    return widget
