"""One lock for all the matplotlib work the package does, whichever thread asks for it.

JupyterLab 4.4 and later with ipykernel 7 deliver widget messages (a click, a typed answer,
ipympl's frame requests) on a kernel subshell's own thread, while cells run on the main
thread (the ``commsOverSubshells`` setting, on by default). matplotlib is not thread-safe:
its mathtext parser and its shared fonts give parse errors, blank frames or crashes when a
canvas draws while a cell builds another figure (https://github.com/matplotlib/ipympl/issues/610,
https://github.com/jupyterlab/jupyterlab/issues/19719). So every piece of matplotlib work we
do, on any thread, holds :data:`DRAWING`: building a diagram and its figures, changing and
repainting a box, a widget handler from start to end, a PNG of the diagram, and ipympl's
handling of the messages sent to our canvases. It is re-entrant, because a handler that
holds it repaints through methods that take it too.

Examples
--------
>>> @drawing
... def draw_twice():
...     with DRAWING:  # taken again by the same thread: no deadlock
...         return "drawn"
>>> draw_twice()
'drawn'
"""

from __future__ import annotations

import functools
import threading

__all__ = ["DRAWING", "drawing"]

#: Held by whoever touches matplotlib for the package.
DRAWING = threading.RLock()


def drawing(function):
    """Decorate a function so that it runs holding :data:`DRAWING`.

    Examples
    --------
    >>> drawing(sorted)([3, 1, 2])
    [1, 2, 3]
    """

    @functools.wraps(function)
    def locked(*args, **kwargs):
        with DRAWING:
            return function(*args, **kwargs)

    return locked
