"""One widget per cell: re-running a cell that shows a graph closes the widget it showed before.

Without this, each re-run would leave its canvases and models alive in the kernel. The
new widget draws into the figures of the one it replaces: the canvas the browser shows,
its renderer and matplotlib's caches of text sizes stay the same from run to run. A cell
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


def _hand_over(old: GraphWidget) -> dict:
    """Close ``old`` but keep its figures open, for the widget that replaces it (with its width)."""
    views, old._views, old._canvases.children = old._views, [], ()
    old.close()
    return {"views": views, "width": old._width}


def interactive_graph(graph: ComputationGraph, *, progress=True) -> GraphWidget:
    """Show ``graph`` as a diagram to fill in; the returned widget displays itself in a cell.

    Re-running a cell closes the widgets its previous run showed (a cell may show several),
    and the first of them hands its figures to the new one; where the front end names no
    cell, showing the same graph again replaces it.

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
    shown_by, widgets = _shown.pop(key, (None, []))
    alive = [old for ref in widgets if (old := ref()) is not None and not old.closed]
    replaced = None
    if cell is None or shown_by != run:
        # The first widget the last run showed hands its figures to this one; the others close.
        replaced, *others = alive or [None]
        for old in others:
            old.close()
        alive = []
    # What was replaced, or collected since, is dropped: the registry holds live widgets only.
    for other in [k for k, (_, refs) in _shown.items() if all(ref() is None for ref in refs)]:
        del _shown[other]
    widget = GraphWidget(graph, progress=progress, **(_hand_over(replaced) if replaced else {}))
    _shown[key] = (run, [*(weakref.ref(old) for old in alive), weakref.ref(widget)])
    return widget
