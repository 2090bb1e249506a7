"""Repainting a few boxes of a drawn figure without drawing the whole figure again.

Blitting works where the canvas can copy and restore regions: Agg, and ipympl's canvas,
which is Agg underneath and sends the browser a diff image on ``canvas.blit``. The first
blit draws the figure once without the changing artists (boxes and notes) and keeps those
pixels; each later one puts back only the pixels under the changed artists, draws the
artists there again and pushes the frame, so its cost does not grow with the graph. The
kept pixels are taken again when the canvas changes size or dpi. ipympl reports
``supports_blit = False`` because the browser's diff frames could glitch when one was lost
(https://github.com/matplotlib/matplotlib/pull/19059); every frame here is a diff against
the last one sent, and any full draw resends the whole image.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox, Transform

from .shapes import Rect

__all__ = ["PAD", "Blitter"]

PAD = 3.0  # points around a box that a repaint restores: half the widest edge, and antialiasing


class Blitter:
    """Repaints changing artists of a figure over the pixels of everything else.

    Parameters
    ----------
    fig : Figure
    rects : dict of Artist to Rect
        The artists that change, each with the layout rectangle (inches) it may paint in.
    transform : Transform
        Layout inches to display pixels.

    Examples
    --------
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> from matplotlib.patches import Rectangle
    >>> from matplotlib.transforms import Affine2D
    >>> fig = Figure(figsize=(2, 1), dpi=100)
    >>> canvas = FigureCanvasAgg(fig)
    >>> to_pixels = Affine2D().scale(100)  # inches to pixels
    >>> box = fig.add_artist(Rectangle((0.5, 0.25), 1, 0.5, transform=to_pixels))
    >>> blitter = Blitter(fig, {box: Rect(0.5, 0.25, 1, 0.5)}, to_pixels)
    >>> blitter.repaint([box])  # the first time: the background is drawn and kept
    >>> box.set_facecolor("red")
    >>> blitter.repaint([box])  # then only the pixels under the box
    >>> import numpy as np
    >>> np.asarray(canvas.buffer_rgba())[50, 100].tolist()  # the middle of the box, from the top
    [255, 0, 0, 255]
    """

    def __init__(self, fig: Figure, rects: dict[Artist, Rect], transform: Transform):
        self.fig, self.rects, self.transform = fig, rects, transform
        self._background = None
        self._key = None
        self._displayed: dict[Rect, Bbox] = {}  # each rectangle in pixels, for the kept background

    def forget(self) -> None:
        """The figure is drawn again whole: take the background again on the next repaint."""
        self._background = None

    def repaint(self, artists: Sequence[Artist]) -> None:
        """Restore the background under ``artists``, draw what overlaps it again, push the frame."""
        canvas = self.fig.canvas
        if self._background is None or self._key != self._size():
            self._save_background()
            regions, redraw = [self.fig.bbox], list(self.rects)
        else:
            pad = PAD * self.fig.dpi / 72
            shown = self._displayed
            changed = [shown[self.rects[artist]].padded(pad) for artist in artists]
            # Each changed box's own patch of background, not their union: a click that
            # moves the selection across the figure repaints two small patches. A box or
            # note reaching into a patch is drawn again whole, over its own patch.
            redraw = [a for a, rect in self.rects.items() if any(shown[rect].overlaps(r) for r in changed)]
            rects = dict.fromkeys(self.rects[artist] for artist in redraw)  # a box and its text share one
            regions = [shown[rect].padded(pad) for rect in rects]
            height = self.fig.bbox.height
            for region in regions:
                x0, y0, x1, y1 = region.extents
                # Agg's saved regions count rows from the top; xy=(0, 0) puts the copy back in place.
                canvas.restore_region(
                    self._background,
                    bbox=(math.floor(x0), math.floor(height - y1), math.ceil(x1), math.ceil(height - y0)),
                    xy=(0, 0),
                )
        for artist in redraw:
            self.fig.draw_artist(artist)
        canvas.blit(Bbox.union(regions))

    def _size(self) -> tuple:
        return (round(self.fig.bbox.width), round(self.fig.bbox.height), self.fig.dpi)

    def _save_background(self) -> None:
        """Draw everything but the changing artists, and keep the pixels."""
        for artist in self.rects:
            artist.set_animated(True)
        try:
            renderer = self.fig.canvas.get_renderer()
            renderer.clear()
            self.fig.draw(renderer)
            self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
            self._key = self._size()
            # Where each rectangle sits in pixels, worked out once per background (size and dpi).
            self._displayed = {
                rect: Bbox.from_bounds(rect.x, rect.y, rect.w, rect.h).transformed(self.transform)
                for rect in set(self.rects.values())
            }
        finally:
            for artist in self.rects:
                artist.set_animated(False)
