"""The interactive graph a student fills in: click a box (or choose it in a list), type, press Enter.

The only module that touches ipywidgets. The pure state lives in :class:`~.tutor.Tutor`;
this module turns clicks, typing and buttons into calls of its public methods and
repaints the boxes the Tutor says have changed. Every widget callback is a thin handler
that calls a public method of :class:`GraphWidget` (the same ones a notebook or a test
calls) inside :func:`_shown_errors`, so an error is shown in the widget, never lost,
and never leaves it stuck.
"""

from __future__ import annotations

import base64
import functools
import html
import traceback

import ipywidgets as widgets

from ..diagram.draw import Diagram
from ..diagram.drawing_lock import DRAWING, drawing
from ..diagram.layout import layout_graph
from ..engine.graph import ComputationGraph
from ..exercise.answers import format_number
from ..exercise.statuses import RIGHT, WRONG
from ..exercise.tutor import BoxState, Feedback, Tutor
from . import record
from .canvas import FigureView, close_tree, stacked_png
from .progress import open_store, progress_key

__all__ = ["GraphWidget"]

MARKS = {"right": "✓", "wrong": "✗", "invalid": "⚠", "error": "⚠"}
PROMPT = "Click a box in the graph (or choose one in the list), type a number, press Enter."
CRASH = "Something went wrong inside the graph (details below); it still works, or run the cell again."
COLOURS = {"right": "#1a7f37", "wrong": "#cf222e", "invalid": "#9a6700", "error": "#cf222e"}


def _shown_errors(handler):
    """Run a widget callback, holding the drawing lock (drawing_lock.py), so that any error is shown."""

    @functools.wraps(handler)
    def run(self, *args):
        with DRAWING:
            try:
                handler(self, *args)
            except Exception:
                self._report_error(traceback.format_exc())

    return run


class GraphWidget:
    """A computation graph to fill in, with the controls around it.

    Parameters
    ----------
    graph : ComputationGraph
        The exercise.
    progress : bool, path-like or ProgressStore, default True
        Where right answers are saved and restored from: True for the default file beside
        the notebook, a path for another file, a store, or False to keep nothing.
    views : list of FigureView, optional
        The figures of a widget this one replaces (a cell run again), drawn again here.

    Attributes
    ----------
    tutor : Tutor
        The state of the exercise (replaced by :meth:`new_numbers`).
    view : ipywidgets.VBox
        Everything shown: the diagram, the box list, the input, messages, buttons, errors.
        Display the GraphWidget itself rather than ``view``: without ipympl, that is what
        renders the diagram's image.
    figures : list of matplotlib.figure.Figure
        The diagram in strips top to bottom, one figure each: the graph, then its derivative
        columns (a graph too wide for the notebook wraps into bands, each two strips). Each
        canvas is an ipywidget under ``%matplotlib widget``, and a repaint sends only its own
        strip's pixels to the browser: ipympl sends a whole figure's worth for any change.
        :meth:`figure_of` says which figure holds a box.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> g = GraphWidget(config_nw0, progress=False)
    >>> g.select("forward:a")
    >>> g.enter("11").correct, g.summary()
    (True, '1/5 boxes right')
    >>> g.close()
    """

    def __init__(self, graph: ComputationGraph, *, progress=True, views: list[FigureView] | None = None):
        self._store = open_store(progress)
        self._round = 0  # presses of "New numbers"; the n-th press uses seed n
        self._quiet = False  # True while Python itself sets the input's text
        self.closed = False
        self._make_controls()
        self._views: list[FigureView] = list(views or [])
        self._diagrams: list[Diagram] = []
        self._canvases = widgets.VBox()
        self._displayed = False  # True once the widget was shown (a static image then follows changes)
        self._start(Tutor(graph))
        self.view = widgets.VBox(
            [
                self._canvases,
                widgets.HBox([self.choose, self.answer]),
                self.message,
                self.notice,
                widgets.HBox([*self.buttons.values(), self.score]),
                self.confirm_row,
                self.errors,
            ]
        )

    # -- building -------------------------------------------------------------------------

    def _make_controls(self) -> None:
        self.choose = widgets.Dropdown(description="Box:", layout=widgets.Layout(width="auto"))
        self.choose.observe(self._on_choose, names="value")
        self.answer = widgets.Text(
            description="Answer:",
            placeholder="a number, then Enter",
            continuous_update=False,  # a change arrives on Enter (or on leaving the input)
            style={"description_width": "initial"},
        )
        self.answer.observe(self._on_submit, names="value")
        self.message = widgets.HTML()
        self.notice = widgets.HTML()  # problems with the progress file, told once and kept in view
        self.score = widgets.Label()
        self.errors = widgets.Output()
        actions = {
            "Hint": (self.hint, "The next hint for the selected box"),
            "Reveal all": (self.reveal_all, "Show every answer you have not got yet"),
            "Hide all": (self.hide_all, "Hide the revealed answers again"),
            "Reset": (self.ask_reset, "Empty every box (asks first)"),
            "New numbers": (self.new_numbers, "The same graph with other values"),
        }
        self.buttons = {}
        for name, (action, tooltip) in actions.items():
            self.buttons[name] = widgets.Button(description=name, tooltip=tooltip)
            self.buttons[name].on_click(functools.partial(self._on_button, action))
        self.confirm = widgets.Button(description="Yes, empty every box", button_style="danger")
        self.confirm.on_click(functools.partial(self._on_button, self.reset))
        self.cancel = widgets.Button(description="No, keep my answers")
        self.cancel.on_click(functools.partial(self._on_button, self.cancel_reset))
        self.confirm_row = widgets.HBox([self.confirm, self.cancel], layout=widgets.Layout(display="none"))

    @drawing
    def _start(self, tutor: Tutor) -> None:
        """Show ``tutor``'s graph: restore saved answers, draw every box, then follow changes."""
        self.tutor = tutor
        self.tally = tutor.tally  # the summary's counts (typed right, revealed, wrong, empty), for grading
        graph = tutor.graph
        self._key = progress_key(graph)
        self._saved = self._restore()
        strips = layout_graph(graph, tutor.boxes).strips()
        self._make_views([strip.size for strip in strips])
        self._diagrams = [
            Diagram(graph, fig=view.figure, boxes=tutor.boxes, layout=strip)
            for view, strip in zip(self._views, strips, strict=True)
        ]
        for box in tutor.boxes:
            if tutor.state(box.id).status != "empty":
                self._paint(box.id)
        tutor.subscribe(self._on_change)
        self.choose.options = [("Choose a box…", "")] + [
            (tutor.box_name(box.id), box.id) for box in tutor.boxes
        ]
        self._show_selection()
        self.score.value = tutor.summary()
        restored = sum(tutor.state(box_id).status == RIGHT for box_id in self._saved)
        if restored:
            self._say("info", f"Welcome back: {restored} saved answer{'s' * (restored > 1)} restored.")
        self._show_notices()

    def _make_views(self, sizes: list[tuple[float, float]]) -> None:
        """A figure per strip: those shown already, emptied and resized, or new ones for another count."""
        if len(sizes) != len(self._views):
            for view in self._views:
                view.close()
            self._views = [FigureView(size) for size in sizes]
        for view, size in zip(self._views, sizes, strict=True):
            view.figure.clear()
            view.resize(size)
            view.on_click(self._on_click)
        self._canvases.children = [view.widget for view in self._views]
        self.figures = [view.figure for view in self._views]

    def _restore(self) -> dict[str, str]:
        """Enter the saved answers again through the Tutor, so each is judged anew."""
        if self._store is None:
            return {}
        saved = self._store.load(self._key)
        known = {box.id for box in self.tutor.boxes}
        for box_id, text in saved.items():
            if box_id in known:
                self.tutor.enter(text, box_id)
        return {box_id: s.text for box_id, s in self.tutor.states().items() if s.status == RIGHT}

    # -- the public surface, used by the handlers, notebooks and tests -------------------

    def select(self, box_id: str | None, focus: bool = True) -> None:
        """Make ``box_id`` the box that typing and hints go to (None: no box).

        With ``focus``, the browser's keyboard focus moves to the input, ready for typing;
        choosing in the list does not, so that its arrow keys keep moving through it.
        """
        previous = self.tutor.selected
        self.tutor.select(box_id)
        self._close_confirm()
        self._repaint([changed for changed in dict.fromkeys([previous, box_id]) if changed is not None])
        self._show_selection()
        if focus and box_id is not None:
            self.answer.focus()  # a message to the browser's view of the input; no-op without one

    def enter(self, text: str, box_id: str | None = None) -> Feedback:
        """Judge ``text`` for a box (default: the selected one) and show the feedback."""
        if box_id is not None and box_id != self.tutor.selected:
            self.select(box_id)
        self._close_confirm()
        self._set_text(str(text))
        feedback = self.tutor.enter(text)
        if feedback.correct is None:
            kind = "invalid" if feedback.box_id else "info"
        else:
            kind = RIGHT if feedback.correct else WRONG
        self._say(kind, feedback.message)
        self._save()  # after the feedback is shown: a slow disk must not delay it
        return feedback

    def state(self, box_id: str) -> BoxState:
        """What a box shows now: its ``status``, ``text`` and last ``message``."""
        return self.tutor.state(box_id)

    def box_text(self, box_id: str) -> str:
        """The text the diagram shows in a box now, with its ✓ or ✗ mark."""
        return self._diagram_of(box_id).box_text(box_id)

    def states(self) -> dict[str, BoxState]:
        """Every box's state, in student order."""
        return self.tutor.states()

    def summary(self) -> str:
        """A one-line completion summary, like ``13/13 boxes right`` or ``11/13 boxes right, 2 revealed``."""
        return self.tutor.summary()

    def hint(self) -> str:
        """Show and return the next hint for the selected box (the last step reveals it)."""
        self._close_confirm()
        text = self.tutor.hint()
        self._say("info", text)
        return text

    def reveal(self, box_id: str | None = None) -> None:
        """Show the answer in one box (default: the selected one)."""
        self._close_confirm()
        self.tutor.reveal(box_id)
        target = box_id or self.tutor.selected
        self._say("info", self.tutor.state(target).message if target else "Click a box first.")

    def reveal_all(self) -> None:
        """Show the answer in every box not yet right."""
        self._close_confirm()
        self.tutor.reveal_all()
        self._say("info", "Every answer is shown. Hide all puts back what you had typed.")

    def hide_all(self) -> None:
        """Hide the revealed answers, putting back what the student had typed."""
        self._close_confirm()
        self.tutor.hide_all()
        self._say("info", "Revealed answers are hidden again.")

    def ask_reset(self) -> None:
        """Ask for confirmation before :meth:`reset` (what the Reset button does)."""
        self.confirm_row.layout.display = "flex"
        self._say("info", "Empty every box and forget this graph's saved answers?")

    def cancel_reset(self) -> None:
        """Withdraw the question :meth:`ask_reset` asked; nothing changes."""
        self._close_confirm()
        self._say("info", "Nothing was changed.")

    def reset(self) -> None:
        """Empty every box and clear this graph's saved progress (no question asked)."""
        self._close_confirm()
        if self._store is not None:
            self._store.clear(self._key)
            self._saved = {}
        self.select(None)
        self.tutor.reset()
        self._say("info", "Every box is empty again.")
        self._show_notices()

    def new_numbers(self, seed: int | None = None) -> None:
        """Start again on the same equations with other friendly values.

        The n-th call without a seed uses seed n, so a class sees the same numbers.
        """
        self._close_confirm()
        if seed is None:
            self._round += 1
            seed = self._round
        self.select(None)
        self._start(self.tutor.new_numbers(seed))
        # A canvas draws a new figure when it is first shown, but these may be shown already;
        # a static image is rendered again (a new one for the first time).
        for diagram, view in zip(self._diagrams, self._views, strict=True):
            diagram.repaint()
            if self._displayed and not view.interactive:
                view.show()
        graph = self.tutor.graph
        values = ", ".join(f"{name} = {format_number(graph.value(name))}" for name in graph.leaves)
        self._say("info", f"New numbers: {values}. Fill the boxes again.")

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

    def close(self) -> None:
        """Close every widget and the canvases; the graph stops responding."""
        self.closed = True
        close_tree(self.view)
        for view in self._views:
            view.close()

    # -- display --------------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"GraphWidget({'; '.join(eq.source for eq in self.tutor.graph.equations)})"

    def _repr_mimebundle_(self, **kwargs):
        """The widget, with a PNG of the diagram where no widget can be shown (nbconvert, GitHub)."""
        if self.closed:
            return {"text/plain": f"{self!r} (closed: run the cell again)"}
        bundle = {**(self.view._repr_mimebundle_(**kwargs) or {}), "text/plain": repr(self)}
        self._displayed = True
        bundle["image/png"] = base64.b64encode(stacked_png([view.show() for view in self._views])).decode()
        return record.shown(self, bundle)  # also writes the answers (drawn by no front end) for a grader

    # -- thin handlers --------------------------------------------------------------------

    @_shown_errors
    def _on_click(self, event) -> None:
        if event.button == 1:
            diagram = next(d for d in self._diagrams if d.fig.canvas is event.canvas)
            box_id = diagram.box_at(event)
            if box_id is not None:
                self.select(box_id)

    @_shown_errors
    def _on_choose(self, change) -> None:
        box_id = change["new"] or None  # "" is the "Choose a box…" line
        if box_id != self.tutor.selected:
            self.select(box_id, focus=False)

    @_shown_errors
    def _on_submit(self, change) -> None:
        if not self._quiet:
            self.enter(change["new"])

    @_shown_errors
    def _on_button(self, action, _button) -> None:
        """Any button: call the public method it stands for."""
        action()

    @_shown_errors
    def _on_change(self, box_ids: list[str]) -> None:
        """The Tutor changed these boxes: repaint just them."""
        self._repaint(box_ids)
        self.score.value = self.tutor.summary()

    # -- helpers --------------------------------------------------------------------------

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
        """Paint these boxes and show them, each strip's changes at once."""
        changed: dict[int, list] = {}
        for box_id in box_ids:
            for strip, artists in self._paint(box_id).items():
                changed.setdefault(strip, []).extend(artists)
        for strip, artists in changed.items():
            if artists:  # a strip whose note stayed as it was sends no frame
                self._diagrams[strip].repaint(artists)
                self._views[strip].refresh()

    def _show_selection(self) -> None:
        """Point the list, the input's label and its text at the selected box."""
        box_id = self.tutor.selected
        self.choose.value = box_id or ""
        if box_id is None:
            self.answer.description = "Answer:"
            self._set_text("")
            self._say(
                "info", "Click a box in the graph (or choose one in the list), type a number, press Enter."
            )
            return
        state = self.tutor.state(box_id)
        self.answer.description = f"{self.tutor.asked(box_id)} ="
        # A revealed answer is not put in the input: typing it again must count as a change.
        self._set_text(state.text if state.status in (RIGHT, WRONG) else "")
        kind = state.status if state.status in (RIGHT, WRONG) else "info"
        self._say(kind, state.message or f"Type {self.tutor.asked(box_id)} and press Enter.")

    def _set_text(self, text: str) -> None:
        self._quiet = True
        try:
            self.answer.value = text
        finally:
            self._quiet = False

    def _close_confirm(self) -> None:
        self.confirm_row.layout.display = "none"

    def _say(self, kind: str, text: str) -> None:
        """Show a message; a mark and the wording carry the meaning, the colour only helps."""
        mark = MARKS.get(kind, "")
        colour = f"color: {COLOURS[kind]};" if kind in COLOURS else ""
        body = html.escape(f"{mark} {text}" if mark else text)
        self.message.value = f'<div role="status" aria-live="polite" style="{colour}">{body}</div>'

    def _save(self) -> None:
        """Save the right answers if they changed (only an entry makes or unmakes a right box)."""
        if self._store is None:
            return
        right = {box_id: s.text for box_id, s in self.tutor.states().items() if s.status == RIGHT}
        if right != self._saved:
            self._store.update(self._key, right, before=self._saved)  # box by box: other kernels' stay
            self._saved = right
            self._show_notices()

    def _show_notices(self) -> None:
        """Show the progress store's messages (each problem is told once) below the feedback."""
        if self._store is not None and self._store.notices:
            notices = "".join(f"<div>⚠ {html.escape(text)}</div>" for text in self._store.notices)
            self.notice.value = f'<div role="status">{notices}</div>'

    def _report_error(self, details: str) -> None:
        self.errors.append_stderr(f"{CRASH}\n{details}")
        self._say("error", CRASH)
