"""The figure behind an interactive graph: ipympl's canvas widget when there is one, else an image.

Under ``%matplotlib widget`` the canvas of a figure is itself an ipywidget and a browser
click reaches matplotlib as an ordinary ``button_press_event``. With any other backend
(inline, Agg, nbconvert) the diagram is shown as a PNG in an :class:`ipywidgets.Image`
beside the same keyboard controls, rendered when first shown and after each change.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from ..diagram.draw import DPI
from ..diagram.drawing_lock import drawing

__all__ = ["FigureView", "close_tree", "png_bytes", "stacked_png"]

#: The widest a diagram is shown, in CSS pixels: about what JupyterLab's output area
#: leaves on a 1280-pixel-wide window with the file browser open. A wider diagram is
#: drawn at a lower dpi (the same picture, smaller) rather than cut off at the right.
MAX_CSS_WIDTH = 840


class FigureView:
    """A figure of a given size on the current backend, and the widget that shows it.

    The figure is made with :func:`matplotlib.pyplot.new_figure_manager`, which gives the
    backend's own canvas (ipympl's widget under ``%matplotlib widget``) without adding
    the figure to pyplot's list. So ``plt.show()`` or ``plt.close("all")`` in another cell,
    and the inline backend's display of every open figure at the end of a cell, never
    touch it; :meth:`close` releases it.

    Parameters
    ----------
    size : (float, float)
        Width and height in inches.
    dpi : float, optional
        CSS pixels per inch; by default ``draw.DPI``, or lower for a figure wider than
        ``MAX_CSS_WIDTH`` pixels at that dpi.

    Examples
    --------
    >>> view = FigureView((4, 3))
    >>> view.interactive, view.figure.get_size_inches().tolist()
    (False, [4.0, 3.0])
    >>> view.close()
    """

    @drawing
    def __init__(self, size: tuple[float, float], dpi: float | None = None):
        # ioff: ipympl and the inline backend would otherwise queue the figure for display
        # at the end of the cell, beside (not inside) our widget.
        with plt.ioff():
            self.dpi = dpi or min(DPI, MAX_CSS_WIDTH / size[0])
            self.strips_class = ""  # the CSS class of the set of strips this figure belongs to
            self._manager = plt.new_figure_manager(1, figsize=size, dpi=self.dpi)
        self.figure: Figure = self._manager.canvas.figure
        canvas = self.figure.canvas
        # A diagram has no view to change: with the canvas focused, matplotlib's default keys
        # (l: log scale, g: grid, ...) and back/forward mouse buttons would distort it.
        for handler in (self._manager.key_press_handler_id, self._manager.button_press_handler_id):
            if handler is not None:
                canvas.mpl_disconnect(handler)
        self.interactive = isinstance(canvas, widgets.DOMWidget)
        self._click = None  # the connection of the one callback that takes this canvas's clicks
        self._shown = False  # no PNG is rendered for an image nobody has displayed yet
        if self.interactive:
            # A diagram, not a plot: no pan/zoom toolbar, no title bar or coordinates line.
            canvas.toolbar_visible = False
            canvas.header_visible = False
            canvas.footer_visible = False
            canvas.resizable = False
            # ipympl handles the browser's messages to a canvas (frame requests, clicks,
            # resizes) by passing them to the manager's handle_json, on the comm's thread,
            # which is not the cells' under JupyterLab's comms over subshells: it draws
            # holding our lock (drawing_lock.py, https://github.com/matplotlib/ipympl/issues/610).
            self._manager.handle_json = drawing(self._manager.handle_json)
            # Every frame whole: a frame sent while the page still loads the one before is
            # dropped by ipympl's page, and a frame that only holds the changed pixels (its
            # default, for an opaque figure) would lose those changes for good.
            self.figure.patch.set_alpha(0.996)
            canvas.send_json = _without_capture_scroll(canvas.send_json)
            # ipympl keeps each frame drawn before a page shows the canvas as a data URL that
            # its page then loads without the "data:" prefix: a broken image, and a console
            # error ("drawImage ... broken") at the next resize. We never show that URL (our
            # static image is our own PNG); the page asks for a frame when it shows the canvas.
            canvas.syncing_data_url = False
            self.widget = canvas
        else:
            self.widget = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))

    def on_click(self, callback) -> None:
        """Send the canvas's mouse presses to ``callback`` only, not to an earlier widget's.

        Examples
        --------
        >>> view, pressed = FigureView((4, 3)), []
        >>> view.on_click(pressed.append)
        >>> view.on_click(pressed.append)  # a figure handed to a new widget: one callback still
        >>> from matplotlib.backend_bases import MouseEvent
        >>> canvas = view.figure.canvas
        >>> canvas.callbacks.process("button_press_event", MouseEvent("button_press_event", canvas, 9, 9))
        >>> len(pressed)
        1
        >>> view.close()
        """
        canvas = self.figure.canvas
        if self._click is not None:
            canvas.mpl_disconnect(self._click)
        self._click = canvas.mpl_connect("button_press_event", callback)

    @drawing
    def resize(self, size: tuple[float, float]) -> None:
        """Give the figure a new size in inches (the canvas follows)."""
        self.figure.set_size_inches(size, forward=True)

    def show(self) -> np.ndarray:
        """Draw the figure and return its pixels for display; from now on the static image follows changes."""
        self._shown = True
        pixels = self.pixels()
        if not self.interactive:
            self.widget.value = png_bytes(pixels)
        return pixels

    def refresh(self) -> None:
        """Show what was drawn: a shown static image is rendered again; a canvas widget repaints itself."""
        if self._shown and not self.interactive:
            self.widget.value = png_bytes(self.pixels())

    @drawing
    def pixels(self) -> np.ndarray:
        """The figure drawn on its own canvas, as rows of RGBA pixels from the top."""
        self.figure.canvas.draw()
        return np.array(self.figure.canvas.buffer_rgba())

    def css_position(self, x: float, y: float) -> tuple[float, float]:
        """Display pixels (origin bottom left) as CSS pixels in the canvas (origin top left).

        On a HiDPI screen ipympl renders at ``device_pixel_ratio`` display pixels per CSS pixel.
        """
        ratio = getattr(self.figure.canvas, "device_pixel_ratio", 1) or 1
        return x / ratio, (self.figure.bbox.height - y) / ratio

    def close(self) -> None:
        """Close the canvas widget, its toolbar and their layout models, so nothing keeps the figure alive."""
        for widget in (self.widget, getattr(self._manager, "toolbar", None)):
            if isinstance(widget, widgets.Widget):
                close_tree(widget)


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget, its layout and style models and, for a box, everything in it.

    ``Widget.close`` closes the widget's own model only: its Layout and Style are models of
    their own, and would stay alive in the kernel, one set per cell run.

    Examples
    --------
    >>> box = widgets.HBox([widgets.Button(description="Hint")])
    >>> models = [box, box.layout, *box.children, box.children[0].layout, box.children[0].style]
    >>> close_tree(box)
    >>> [model.comm for model in models]
    [None, None, None, None, None]
    """
    for child in getattr(widget, "children", ()):
        close_tree(child)
    for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
        if isinstance(part, widgets.Widget):
            part.close()
    widget.close()


def _without_capture_scroll(send_json):
    """``send_json`` that keeps matplotlib's ``capture_scroll`` event from the page.

    matplotlib 3.10+ sends it to every new page view; ipympl 0.10's page has no handler
    and logs "No handler for the 'capture_scroll' message type" in the console each time.
    A diagram never captures the mouse wheel, so nothing is lost.
    """

    def send(content):
        if content.get("type") != "capture_scroll":
            send_json(content)

    return send


def png_bytes(pixels: np.ndarray) -> bytes:
    """RGBA pixels as a PNG, compressed fast: a diagram's flat colours shrink well even at zlib level 1.

    Examples
    --------
    >>> import numpy as np
    >>> png_bytes(np.zeros((2, 3, 4), dtype=np.uint8))[1:4]
    b'PNG'
    """
    with io.BytesIO() as buffer:
        Image.fromarray(pixels).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def stacked_png(strips: list[np.ndarray]) -> bytes:
    """Strips of RGBA pixels, one width, stacked as one PNG (where one picture is shown).

    Examples
    --------
    >>> import io, numpy as np
    >>> from PIL import Image
    >>> strips = [np.zeros((2, 3, 4), dtype=np.uint8), np.zeros((5, 3, 4), dtype=np.uint8)]
    >>> Image.open(io.BytesIO(stacked_png(strips))).size
    (3, 7)
    """
    return png_bytes(np.vstack(strips))
