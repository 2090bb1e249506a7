"""The interactive graph a student fills in: click a box (or choose it in a list), type, press Enter.

The only module that touches ipywidgets. The pure state lives in :class:`~.tutor.Tutor`;
this module turns clicks, typing and buttons into calls of its public methods and
repaints the boxes the Tutor says have changed. Every widget callback is a thin handler
that calls a public method of :class:`GraphWidget` (the same ones a notebook or a test
calls) (handlers.py), so an error is shown in the widget, never lost, and never leaves
it stuck.
"""

from __future__ import annotations

import base64

import ipywidgets as widgets

from ..diagram.drawing_lock import DRAWING, drawing
from ..engine.graph import ComputationGraph
from ..exercise.answers import format_number
from ..exercise.statuses import RIGHT, WRONG
from ..exercise.tutor import BoxState, Feedback, Tally, Tutor
from . import record
from .canvas import FigureView, close_tree
from .controls import Controls, next_box, what_box
from .handlers import Handlers
from .progress import open_store, progress_key
from .saved import SavedAnswers
from .seat import GRAPH_CLASS
from .strips import Strips

__all__ = ["GraphWidget"]


class GraphWidget(Handlers, Controls, Strips, SavedAnswers):
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
    width : float, optional
        The CSS width the page gave that widget's graph, so the figures fit at once.

    Attributes
    ----------
    tutor : Tutor
        The state of the exercise (replaced by :meth:`new_numbers`).
    view : ipywidgets.VBox
        Everything shown: the diagram, the box list, the input, messages, buttons, errors.
        Display the GraphWidget itself rather than ``view``: without ipympl, that is what
        renders the diagram's image.
    figures : list of matplotlib.figure.Figure
        The diagram in strips top to bottom, one figure each (see strips.py);
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

    def __init__(
        self,
        graph: ComputationGraph,
        *,
        progress=True,
        views: list[FigureView] | None = None,
        width: float | None = None,
    ):
        self._store = open_store(progress)
        self._round = 0  # presses of "New numbers"; the n-th press uses seed n
        self.closed = False
        self._make_controls()
        self._init_strips(views, width)
        self._canvases = widgets.VBox(layout={"overflow": "hidden"})  # nothing scrolls inside
        self._displayed = False  # True once the widget was shown (a static image then follows changes)
        self._start(Tutor(graph))
        self.view = widgets.VBox([self._canvases, *self._control_rows()])
        self.view.add_class(GRAPH_CLASS)  # the answer's page script guards the keys pressed inside

    # -- building -------------------------------------------------------------------------

    @drawing
    def _start(self, tutor: Tutor) -> None:
        """Show ``tutor``'s graph: restore saved answers, draw every box, then follow changes."""
        self.tutor = tutor
        self._key = progress_key(tutor.graph)
        self._saved = self._restore()
        self._draw_strips(tutor)
        tutor.subscribe(self._on_change)
        self._list_boxes(tutor)
        self._show_selection()
        self.score.value = tutor.summary()
        restored = sum(tutor.state(box_id).status == RIGHT for box_id in self._saved)
        if restored:
            self._say("info", f"Welcome back: {restored} saved answer{'s' * (restored > 1)} restored.")
        self._show_notices()

    # -- the public surface, used by the handlers, notebooks and tests -------------------

    def select(self, box_id: str | None, focus: bool = True) -> None:
        """Make ``box_id`` the box that typing and hints go to (None: no box).

        With ``focus``, the browser's keyboard focus moves to the input, ready for typing;
        choosing in the list does not, so that its arrow keys keep moving through it.
        """
        with self._one_frame():
            self._select(box_id, focus, refill=True)

    def _select(self, box_id: str | None, focus: bool, refill: bool) -> None:
        """:meth:`select`; with ``refill``, a wrong entry comes back in the input to be corrected.

        A click does not refill: the browser has emptied the input already, and the student
        may be typing in it before this runs.
        """
        previous = self.tutor.selected
        self.tutor.select(box_id)
        self._close_confirm()
        self._repaint([changed for changed in dict.fromkeys([previous, box_id]) if changed is not None])
        self._show_selection(refill)
        if focus and box_id is not None:
            self.answer.focus()  # a message to the browser's view of the input; no-op without one

    def enter(self, text: str, box_id: str | None = None) -> Feedback:
        """Judge ``text`` for a box (default: the selected one) and show the feedback."""
        with self._one_frame():
            return self._enter(str(text), box_id)

    def _enter(self, text: str, box_id: str | None) -> Feedback:
        if box_id is not None and box_id != self.tutor.selected:
            self.select(box_id)
        self._close_confirm()
        self._set_text(text)
        feedback = self.tutor.enter(text)
        if feedback.correct is None:
            kind = "invalid" if feedback.box_id else "info"
        else:
            kind = RIGHT if feedback.correct else WRONG
        message = feedback.message
        if feedback.correct:
            following = next_box(self.tutor, feedback.box_id)
            if following is None:
                message += f" The graph is complete: {self.tutor.summary()}."
            else:  # proposed, so that a keyboard goes on typing
                self._select(following, focus=True, refill=True)
                message += f" Next: {what_box(self.tutor, following)}."
        self._say(kind, message)
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

    def tally(self) -> Tally:
        """The boxes counted for a grading cell: ``typed_right``, ``revealed``, ``wrong``, ``empty``."""
        return self.tutor.tally()

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
        self._redraw_strips(self._displayed)
        graph = self.tutor.graph
        values = ", ".join(f"{name} = {format_number(graph.value(name))}" for name in graph.leaves)
        self._say("info", f"New numbers: {values}. Fill the boxes again.")

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
        with DRAWING:
            bundle["image/png"] = base64.b64encode(self._strips_png()).decode()
        return record.shown(self, bundle)  # also writes the answers (drawn by no front end) for a grader
