"""A graph's diagram as a matplotlib Figure, with boxes that change one at a time.

Everything is placed by layout.py and coloured by style.py; this module makes the artists.
A box changes through ``Diagram.set_box``, which touches that box's artists only, and
``Diagram.repaint`` shows the change, blitting where the canvas can (blit.py). The artists
belong to the figure itself, placed by one transform from layout inches to pixels; there is
no Axes. ``Diagram(..., blit=False)`` falls back to ``canvas.draw_idle()``.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox, BboxTransform

from ..engine.graph import ComputationGraph
from ..exercise.boxes import Box, boxes_for
from .blit import Blitter
from .drawing_lock import drawing
from .layout import Label, Layout, Rect, layout_graph
from .measure import VALUE_FONT, text_size
from .style import (
    ARROW,
    DPI,
    GREEN_DARK,
    GREY,
    MARKS,
    MATH_FONT,
    NODE_EDGE,
    RULE,
    SELECTED,
    STATUSES,
    TEXT_COLORS,
    box_look,
)

__all__ = ["DPI", "STATUSES", "Diagram"]


class Diagram:
    """A graph's diagram: nodes, arrows, and a box per Box, each box able to change alone.

    Parameters
    ----------
    graph : ComputationGraph
    fig : matplotlib.figure.Figure, optional
        Draw into this figure (size it with ``Diagram.figure_size``); by default a new
        Figure with an Agg canvas, no pyplot.
    boxes : list of Box, optional
        The boxes to show; default ``boxes_for(graph)``.
    layout : Layout, optional
        Positions to draw (default ``layout_graph(graph, boxes)``); ``images`` passes the
        close-ups' layouts.
    blit : bool
        Repaint changed boxes by blitting when the canvas can; False always uses ``draw_idle``.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> diagram = Diagram(config_nw0)
    >>> diagram.box_ids
    ['forward:a', 'forward:J', 'gradient:a', 'local:a:w', 'gradient:w']
    >>> artists = diagram.set_box("forward:a", "right", "11")
    >>> diagram.box_text("forward:a")
    '11 ✓'
    """

    @drawing
    def __init__(
        self,
        graph: ComputationGraph,
        fig: Figure | None = None,
        boxes: Sequence[Box] | None = None,
        *,
        layout: Layout | None = None,
        blit: bool = True,
    ):
        self.graph = graph
        self.boxes = {box.id: box for box in (boxes_for(graph) if boxes is None else boxes)}
        self.layout = layout_graph(graph, list(self.boxes.values())) if layout is None else layout
        if fig is None:
            fig = Figure(figsize=self.layout.size, dpi=DPI)
            FigureCanvasAgg(fig)
        self.fig = fig
        self.box_ids = list(self.layout.boxes)
        self.blit = blit
        # Layout inches to display pixels, stretched over the whole figure. The artists belong
        # to the figure itself: an Axes would add nothing but its own cost, ticks and limits.
        self.transform = BboxTransform(Bbox.from_bounds(0, 0, *self.layout.size), fig.bbox)
        self._patches: dict[str, FancyBboxPatch] = {}
        self._texts: dict[str, Text] = {}
        self._notes: dict[str, Text] = {}
        self._rects: dict[Artist, Rect] = {}  # each box's and note's artists, by where they may paint
        self._draw_static()
        for box_id in self.box_ids:
            self._add_box(box_id)
            self.set_box(box_id, "empty")
        self._blitter = Blitter(fig, self._rects, self.transform)

    @staticmethod
    def figure_size(graph: ComputationGraph, boxes: Sequence[Box] | None = None) -> tuple[float, float]:
        """(width, height) in inches of the figure a Diagram of ``graph`` draws into."""
        return layout_graph(graph, boxes).size

    # -- building ---------------------------------------------------------------------------

    @staticmethod
    def _text(label: Label, **style) -> Text:
        x, y = label.anchor
        return Text(
            x,
            y,
            label.text,
            fontsize=label.size,
            ha=label.ha,
            va="center",
            color=TEXT_COLORS.get(label.role, "black"),
            math_fontfamily=MATH_FONT,
            **style,
        )

    def _draw_static(self) -> None:
        """Nodes, leaves, prompts, arrows and rules, which never change; the notes, hidden until needed."""
        static: list[Artist] = []
        for label in self.layout.nodes.values():
            if label.role in ("computed", "factor"):
                rect = label.rect
                static.append(
                    FancyBboxPatch(
                        (rect.x, rect.y),
                        rect.w,
                        rect.h,
                        boxstyle="round,pad=0,rounding_size=0.09",
                        facecolor="white",
                        edgecolor=NODE_EDGE,
                        linewidth=1.6,
                    )
                )
            static.append(self._text(label))
        for key, label in self.layout.labels.items():
            text = self._text(label, style="italic" if label.role == "connector" else "normal")
            if label.role == "note":
                self._notes[key.split(":", 1)[1]] = self._add(text)
                self._rects[text] = label.rect
                text.set_visible(False)
            else:
                static.append(text)
        for arrow in self.layout.arrows:
            static.append(
                FancyArrowPatch(
                    path=Path(arrow.points),
                    arrowstyle="-|>",
                    mutation_scale=14,
                    color=ARROW,
                    linewidth=1.4,
                    shrinkA=0,
                    shrinkB=0,
                )
            )
        for (x0, y0), (x1, y1) in self.layout.rules:
            static.append(Line2D((x0, x1), (y0, y1), color=RULE, linewidth=1.0))
        for artist in static:
            self._add(artist)

    def _add(self, artist: Artist) -> Artist:
        """Add an artist placed in layout inches to the figure."""
        artist.set_transform(self.transform)
        return self.fig.add_artist(artist)

    def _add_box(self, box_id: str) -> None:
        rect = self.layout.boxes[box_id]
        self._patches[box_id] = self._add(
            FancyBboxPatch(
                (rect.x, rect.y), rect.w, rect.h, boxstyle="round,pad=0,rounding_size=0.04", linewidth=2.0
            )
        )
        x, y = rect.center
        self._texts[box_id] = self._add(Text(x, y, "", ha="center", va="center", fontsize=VALUE_FONT))
        self._texts[box_id].set_clip_path(self._patches[box_id])
        self._rects[self._patches[box_id]] = self._rects[self._texts[box_id]] = rect

    # -- changing a box -----------------------------------------------------------------------

    @drawing
    def set_box(self, box_id: str, status: str, text: str = "", selected: bool = False) -> list[Artist]:
        """Show ``status`` ("empty", "right", "wrong", "revealed") and ``text`` in one box.

        Right shows a ✓ and wrong a ✗ (not only a colour); revealed shows the answer in grey
        italics. A right or revealed gradient box also shows ``∂J/∂a = 22`` under node ``a``.
        Nothing is drawn: pass the returned artists to ``repaint``.
        """
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        box = self.boxes[box_id]
        changed = self._set_note(box, status)
        if box_id not in self._patches:  # drawn in another strip; only its note may be here
            return changed
        patch, label = self._patches[box_id], self._texts[box_id]
        shown = "" if status == "empty" else text + MARKS.get(status, "")
        face, edge, ink = box_look(box.kind, status)
        patch.set_facecolor(face)
        patch.set_edgecolor(SELECTED if selected else edge)
        patch.set_linewidth(3.2 if selected else 2.0)
        patch.set_linestyle("--" if status == "revealed" and not selected else "-")
        label.set_text(shown.replace("$", r"\$"))
        label.set_color(ink)
        label.set_fontstyle("italic" if status == "revealed" else "normal")
        room = self.layout.boxes[box_id].w - 0.08
        needed = text_size(label.get_text(), VALUE_FONT)[0]
        label.set_fontsize(VALUE_FONT if needed <= room else max(7.0, VALUE_FONT * room / needed))
        return [patch, label, *changed]

    def _set_note(self, box: Box, status: str) -> list[Artist]:
        """Show or hide the ``∂J/∂a = 22`` note a gradient box reveals, if it is drawn here.

        The note is returned only when it changes: selecting its box leaves it as it was, and
        a strip with nothing changed sends no frame.
        """
        note = self._notes.get(box.wrt) if box.kind == "gradient" else None
        if note is None:
            return []
        look = (status in ("right", "revealed"), GREY if status == "revealed" else GREEN_DARK)
        if look == (note.get_visible(), note.get_color()):
            return []
        note.set_visible(look[0])
        note.set_color(look[1])
        return [note]

    def shows(self, box_id: str) -> bool:
        """True when this diagram draws the box, or the note a right gradient box shows.

        A Diagram of one strip of a layout (``Layout.strips``) draws some boxes only.
        """
        box = self.boxes[box_id]
        return box_id in self._patches or (box.kind == "gradient" and box.wrt in self._notes)

    def box_text(self, box_id: str) -> str:
        """The text a box shows now (its value and mark)."""
        return self._texts[box_id].get_text()

    # -- events and pixels -------------------------------------------------------------------

    @drawing
    def box_at(self, event: MouseEvent) -> str | None:
        """The id of the box under a mouse event, asking each box's artist; None if none."""
        for box_id in self.box_ids:
            if self._patches[box_id].contains(event)[0]:
                return box_id
        return None

    def display_position(self, box_id: str) -> tuple[float, float]:
        """The centre of a box in display pixels, where a MouseEvent on it would be."""
        x, y = self.transform.transform(self.layout.boxes[box_id].center)
        return float(x), float(y)

    @drawing
    def repaint(self, artists: Sequence[Artist] | None = None) -> None:
        """Show changed boxes: blit them over a saved background, or ``draw_idle``.

        ``artists`` are what ``set_box`` returned. Blitting restores the background under
        their layout rectangles only and draws the boxes and notes there again, so its cost
        does not grow with the graph. None means anything may have changed: the whole
        figure is drawn again (and the background taken again on the next blit).
        """
        if artists is not None and not artists:
            return  # nothing changed here
        if artists is None or not self.blit or not hasattr(self.fig.canvas, "copy_from_bbox"):
            self._blitter.forget()
            self.fig.canvas.draw_idle()
            return
        self._blitter.repaint(artists)
