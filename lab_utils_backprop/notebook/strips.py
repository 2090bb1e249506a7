"""The diagram of an interactive graph as strips, a figure each: building them, painting boxes, frames.

A part of :class:`~.widget.GraphWidget` (a mixin, so that its figures, positions and
repaints read as the widget's own). A diagram too wide for the notebook wraps into bands,
each two strips (its graph, then its derivative columns); ipympl sends a whole figure's
pixels for any change, so a repaint sends only its own strip's.
"""

from __future__ import annotations

import contextlib
import itertools

from ..diagram.draw import DPI, Diagram
from ..diagram.drawing_lock import drawing
from ..diagram.layout import layout_graph
from ..exercise.tutor import Tutor
from .canvas import MAX_CSS_WIDTH, FigureView, stacked_png

MIN_DPI = 75  # the smallest a whole graph is shown rather than wrapped: its maths stays legible
MIN_WIDTH = 320  # CSS px: narrower than this, the graph is cut rather than wrapped into slivers

__all__ = ["Strips"]

#: Canvases made so far, in every widget: each set's CSS class tells the page which are shown.
_GENERATIONS = itertools.count(1)


class Strips:
    """The figures of a graph widget and what paints them; needs ``tutor``, ``answer``, ``_on_click``."""

    def _init_strips(self, views: list[FigureView] | None = None, width: float | None = None) -> None:
        """Start with no figures, or with those of a widget this one replaces, and its width."""
        self._width = MAX_CSS_WIDTH if width is None else width  # CSS px the page gives the graph
        self._views: list[FigureView] = list(views or [])
        self._diagrams: list[Diagram] = []
        self._pending: dict[int, list] | None = None  # repaints waiting for the end of _one_frame

    def _draw_strips(self, tutor: Tutor) -> None:
        """A diagram of ``tutor``'s graph in each strip, every box not empty (or selected) painted."""
        strips, dpi = self._fitted(tutor)
        self._make_views([strip.size for strip in strips], dpi)
        self._diagrams = [
            Diagram(tutor.graph, fig=view.figure, boxes=tutor.boxes, layout=strip)
            for view, strip in zip(self._views, strips, strict=True)
        ]
        for box in tutor.boxes:
            if tutor.state(box.id).status != "empty" or box.id == tutor.selected:
                self._paint(box.id)

    def _fitted(self, tutor: Tutor) -> tuple[list, float]:
        """The strips and the dpi that fit ``self._width`` CSS px: the whole graph a little
        smaller if it stays legible (``MIN_DPI``), else wrapped into bands at ``DPI``."""
        whole = layout_graph(tutor.graph, tutor.boxes)
        layout = whole
        if whole.size[0] * MIN_DPI > self._width:
            layout = layout_graph(tutor.graph, tutor.boxes, max_width=self._width / DPI)
        return layout.strips(), min(DPI, self._width / layout.size[0])

    def _fit(self, width: float) -> bool:
        """Fit the strips to ``width`` CSS px; True if they changed (then they are drawn anew)."""
        before = ([view.figure.get_size_inches().tolist() for view in self._views], self._views[0].dpi)
        self._width = max(float(width), MIN_WIDTH)
        strips, dpi = self._fitted(self.tutor)
        if before == ([list(strip.size) for strip in strips], dpi):
            return False
        self._draw_strips(self.tutor)
        return True

    @drawing
    def fit(self, width: float) -> None:
        """Fit the diagram to ``width`` CSS px: wrapped anew, or a little smaller, if it must.

        The page reports the width it gives the graph when it shows it, and again when it
        changes; a wide graph is drawn smaller or wrapped into bands to fit.
        """
        with self._one_frame():
            if self._fit(width):
                self._redraw_strips(self._displayed)

    def _make_views(self, sizes: list[tuple[float, float]], dpi: float) -> None:
        """A figure per strip: those shown already, emptied and resized, or new ones for another
        count or dpi (a canvas keeps the dpi it was made with)."""
        if len(sizes) != len(self._views) or any(view.dpi != dpi for view in self._views):
            for view in self._views:
                view.close()
            self._views = [FigureView(size, dpi) for size in sizes]
            strips_class = f"lub-strips-{next(_GENERATIONS)}"
            for view in self._views:
                view.strips_class = strips_class
                view.widget.add_class(strips_class)
        for view, size in zip(self._views, sizes, strict=True):
            view.figure.clear()
            view.resize(size)
            view.on_click(self._on_click)  # this widget's only, also on figures handed over
        self.answer.strips = self._views[0].strips_class
        self._canvases.children = [view.widget for view in self._views]
        self.figures = [view.figure for view in self._views]

    def figure_of(self, box_id: str):
        """The figure a box is drawn in (one of :attr:`figures`), whose canvas takes its clicks."""
        return self._diagram_of(box_id).fig

    def display_position(self, box_id: str) -> tuple[float, float]:
        """Where a box is drawn, in display pixels of its figure (origin bottom left), for a MouseEvent."""
        return self._diagram_of(box_id).display_position(box_id)

    def css_position(self, box_id: str) -> tuple[float, float]:
        """Where a box is drawn, in CSS pixels from its canvas's top-left corner (for a browser)."""
        view = self._views[self._diagrams.index(self._diagram_of(box_id))]
        return view.css_position(*self.display_position(box_id))

    def _diagram_of(self, box_id: str) -> Diagram:
        return next(diagram for diagram in self._diagrams if box_id in diagram.box_ids)

    def _paint(self, box_id: str) -> dict[int, list]:
        """Set a box (and the note it may show) to its state in each strip drawing it: strip -> artists."""
        state = self.tutor.state(box_id)
        selected = box_id == self.tutor.selected
        return {
            strip: diagram.set_box(box_id, state.status, state.text, selected=selected)
            for strip, diagram in enumerate(self._diagrams)
            if diagram.shows(box_id)
        }

    def _repaint(self, box_ids: list[str]) -> None:
        """Paint these boxes and show each strip's changes at once (inside :meth:`_one_frame`: at its end)."""
        changed: dict[int, list] = {} if self._pending is None else self._pending
        for box_id in box_ids:
            for strip, artists in self._paint(box_id).items():
                changed.setdefault(strip, []).extend(artists)
        if self._pending is None:
            self._show_frames(changed)

    def _show_frames(self, changed: dict[int, list]) -> None:
        for strip, artists in changed.items():
            if artists:  # a strip whose note stayed as it was sends no frame
                self._diagrams[strip].repaint(list(dict.fromkeys(artists)))
                self._views[strip].refresh()

    @contextlib.contextmanager
    def _one_frame(self):
        """Show the repaints asked for inside as one frame per strip, at the end.

        One student action, one frame: ipympl's page drops a frame that arrives while the
        one before it is still loading, and with it that frame's changes.
        """
        if self._pending is not None:  # already inside one
            yield
            return
        self._pending = {}
        try:
            yield
        finally:
            changed, self._pending = self._pending, None
            self._show_frames(changed)

    def _box_at(self, event) -> str | None:
        """The box under a mouse event on one of the canvases, if any."""
        return next(d for d in self._diagrams if d.fig.canvas is event.canvas).box_at(event)

    def _redraw_strips(self, displayed: bool) -> None:
        """Draw every strip again (new numbers). A canvas draws a new figure when first shown,
        but these may be shown already; a static image shown is rendered again."""
        for diagram, view in zip(self._diagrams, self._views, strict=True):
            diagram.repaint()
            if displayed and not view.interactive:
                view.show()

    def _strips_png(self) -> bytes:
        """The strips drawn and stacked as one PNG (where no widget can be shown)."""
        return stacked_png([view.show() for view in self._views])
