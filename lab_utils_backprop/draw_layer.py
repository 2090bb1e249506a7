"""The part of a diagram that never changes, as one artist: drawn once per look, then copied.

Parsing mathtext is most of the cost of drawing a diagram, about 4 ms for a line with
fractions, and matplotlib parses each string again for every new figure (its parse cache
belongs to the renderer, and a new figure has a new renderer). A student who runs a cell
again makes a new figure of the same graph. So the first draw of a ``StaticLayer`` on Agg
keeps its pixels, for the whole process, and the next layer with the same texts and
positions, at the same size, dpi and style, puts them back instead of drawing: one copy
of memory (``RendererAgg.restore_region``, the call blitting uses) instead of ~100 ms.
The pixels are also kept on disk (draw_kept.py), so a new kernel drawing a graph this
machine drew before reads them instead of parsing. Other renderers (PDF, SVG) always
draw the artists.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist, allow_rasterization
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from . import draw_kept

__all__ = ["CACHE_PIXELS", "StaticLayer", "forget"]

#: The most pixels kept, over all layers (4 bytes each; network 1 is 0.5 million at dpi 100).
#: A layer larger than this is not kept; 0 keeps nothing.
CACHE_PIXELS = 16_000_000

#: rcParams that change how the layer's artists look, so kept pixels follow them.
_STYLE = ("font.", "mathtext.", "text.", "lines.", "patch.", "path.", "agg.")

_kept: OrderedDict[tuple, tuple[object, int]] = OrderedDict()  # key -> (BufferRegion, pixels)


class StaticLayer(Artist):
    """Artists that never change, drawn together under everything else of their Axes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure the layer will be added to (``fig.add_artist``); the artists keep their
        own transforms.
    artists : list of Artist
        Not added to ``fig`` themselves: the layer draws them, in z-order.
    key : str
        Says what the artists draw, the same for two layers only when they look the same
        (draw.py passes the layout's repr).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from matplotlib.text import Text
    >>> fig = Figure()
    >>> middle = Text(0.5, 0.5, "$x$", transform=fig.transFigure)
    >>> layer = fig.add_artist(StaticLayer(fig, [middle], key="x in the middle"))
    >>> [child.get_text() for child in layer.get_children()]
    ['$x$']
    """

    zorder = 0  # under the boxes (patches, 1) that change

    def __init__(self, fig: Figure, artists: Sequence[Artist], key: str):
        super().__init__()
        self._artists = sorted(artists, key=lambda artist: artist.get_zorder())
        self._key = key
        for artist in self._artists:
            artist.set_figure(fig)

    def get_children(self) -> list[Artist]:
        return list(self._artists)

    def get_window_extent(self, renderer=None) -> Bbox:
        """Where the artists paint, so a tight bounding box holds them."""
        extents = [artist.get_window_extent(renderer) for artist in self._artists]
        return Bbox.union(extents) if extents else Bbox.null()

    @allow_rasterization
    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        key = self._pixels_key(renderer)
        if key is None:
            self._draw_artists(renderer)
        elif key in _kept:
            _kept.move_to_end(key)
            renderer.restore_region(_kept[key][0])
        else:
            canvas = np.asarray(renderer.buffer_rgba())
            from_disk = draw_kept.load(key, canvas.shape[:2])
            if from_disk is None:
                self._draw_artists(renderer)
                draw_kept.save(key, canvas)
            else:
                canvas[...] = from_disk
            fig = self.get_figure(root=True)
            _keep(key, renderer.copy_from_bbox(fig.bbox), canvas.shape[0] * canvas.shape[1])
        self.stale = False

    def _draw_artists(self, renderer) -> None:
        for artist in self._artists:
            artist.draw(renderer)

    def _pixels_key(self, renderer) -> tuple | None:
        """What the kept pixels depend on; None when they cannot be kept.

        They can on Agg, when the layer is the first thing the figure draws after its
        background, so that the pixels under the layer are the background alone.
        """
        fig = self.get_figure(root=True)
        if not isinstance(renderer, RendererAgg) or _drawn_first(fig) is not self:
            return None
        style = repr([(name, mpl.rcParams[name]) for name in mpl.rcParams if name.startswith(_STYLE)])
        return (
            self._key,
            renderer.get_canvas_width_height(),
            renderer.dpi,
            to_rgba(fig.patch.get_facecolor()),
            fig.patch.get_visible(),
            style,
        )


def _drawn_first(fig: Figure) -> Artist | None:
    """What ``fig.draw`` draws first after its background (it sorts by z-order, stably)."""
    drawn = [child for child in fig.get_children() if child is not fig.patch and not child.get_animated()]
    return min(drawn, key=lambda child: child.get_zorder(), default=None)


def forget() -> None:
    """Drop every layer's kept pixels: the next figure of each graph is drawn in full."""
    _kept.clear()


def _keep(key: tuple, region, pixels: int) -> None:
    """Keep a layer's pixels, forgetting the least recently used beyond CACHE_PIXELS in all."""
    if pixels > CACHE_PIXELS:
        return
    _kept[key] = (region, pixels)
    while sum(size for _, size in _kept.values()) > CACHE_PIXELS:
        _kept.popitem(last=False)
