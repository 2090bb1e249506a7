"""The controls around an interactive graph's diagram, and how they speak to the student.

A part of :class:`~.widget.GraphWidget` (a mixin: its widgets are the graph's own
attributes, which notebooks and tests drive): the box list, the answer input, the
messages, the buttons and the Reset question; the wording that names a box and says what
to do next. The handlers it wires (``_on_choose``, ``_on_submit``, ``_on_button``) and the
actions behind the buttons are the widget's.
"""

from __future__ import annotations

import functools
import html

import ipywidgets as widgets

from ..exercise.statuses import RIGHT, WRONG
from ..exercise.tutor import Tutor
from .seat import AnswerInput

__all__ = ["KIND_NAMES", "Controls", "next_box", "what_box"]

KIND_NAMES = {"forward": "forward value", "local": "local derivative", "gradient": "gradient"}
MARKS = {"right": "✓", "wrong": "✗", "invalid": "⚠", "error": "⚠"}
PROMPT = "Click a box in the graph (or choose one in the list), type a number, press Enter."
CRASH = "Something went wrong inside the graph (details below); it still works, or run the cell again."
COLOURS = {"right": "#1a7f37", "wrong": "#cf222e", "invalid": "#9a6700", "error": "#cf222e"}
_FIT = {"width": "auto", "min_width": "fit-content"}  # a button as wide as its text, never cut


def what_box(tutor: Tutor, box_id: str) -> str:
    """A box as a sentence names it.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> what_box(Tutor(config_nw0), "forward:a"), what_box(Tutor(config_nw0), "gradient:w")
    ('the forward value of a', 'the gradient ∂J/∂w')
    """
    kind, asked = tutor.box(box_id).kind, tutor.asked(box_id)
    return f"the {KIND_NAMES[kind]}{' of' * (kind == 'forward')} {asked}"


def next_box(tutor: Tutor, box_id: str) -> str | None:
    """The first box after ``box_id``, in the order the lesson fills them, that is not right yet.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> tutor = Tutor(config_nw0)
    >>> next_box(tutor, "forward:a"), next_box(tutor, "gradient:w")
    ('forward:J', 'forward:a')
    """
    ids = [box.id for box in tutor.boxes]
    start = ids.index(box_id) + 1
    return next((i for i in ids[start:] + ids[:start] if tutor.state(i).status != RIGHT), None)


class Controls:
    """The widgets under the diagram and the messages they show; the widget supplies the handlers."""

    def _make_controls(self) -> None:
        self.choose = widgets.Dropdown(description="Box:", layout=widgets.Layout(width="auto"))
        self.choose.observe(self._on_choose, names="value")
        self.answer = AnswerInput(description="Answer:", placeholder="a number, then Enter")
        self.answer.on_submit(self._on_submit)
        self.answer.on_width(self._on_width)
        self.message = widgets.HTML()
        self.notice = widgets.HTML()  # problems with the progress file, told once and kept in view
        self.score = widgets.Label(layout=widgets.Layout(width="auto", overflow="visible"))
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
            self.buttons[name] = widgets.Button(description=name, tooltip=tooltip, layout=_FIT)
            self.buttons[name].on_click(functools.partial(self._on_button, action))
        self.confirm = widgets.Button(description="Yes, empty every box", button_style="danger", layout=_FIT)
        self.confirm.on_click(functools.partial(self._on_button, self.reset))
        self.cancel = widgets.Button(description="No, keep my answers", layout=_FIT)
        self.cancel.on_click(functools.partial(self._on_button, self.cancel_reset))
        self.confirm_row = widgets.HBox([self.confirm, self.cancel], layout=widgets.Layout(display="none"))

    def _show_selection(self, refill: bool = True) -> None:
        """Point the list, the input's label and its text at the selected box."""
        box_id = self.tutor.selected
        self.choose.value = box_id or ""
        if box_id is None:
            self.answer.description = "Answer:"
            self._set_text("")
            self._say("info", PROMPT)
            return
        state = self.tutor.state(box_id)
        self.answer.description = f"{self.tutor.asked(box_id)} ="
        # A revealed answer is not put in the input: the student types it.
        self._set_text(state.text if refill and state.status in (RIGHT, WRONG) else "")
        kind = state.status if state.status in (RIGHT, WRONG) else "info"
        self._say(kind, state.message or f"Type {what_box(self.tutor, box_id)}, then press Enter.")

    def _focus_after(self, button: widgets.Button) -> None:
        """Move the keyboard where typing makes sense after a button: the answer for a box
        selected, else the box list; the safe "No" while Reset asks."""
        if button is self.buttons["Reset"]:
            self.cancel.focus()
        elif self.tutor.selected is not None and button is not self.confirm:
            self.answer.focus()
        else:
            self.choose.focus()

    def _set_text(self, text: str) -> None:
        self.answer.value = text

    def _close_confirm(self) -> None:
        self.confirm_row.layout.display = "none"

    def _say(self, kind: str, text: str) -> None:
        """Show a message; a mark and the wording carry the meaning, the colour only helps."""
        mark = MARKS.get(kind, "")
        colour = f"color: {COLOURS[kind]};" if kind in COLOURS else ""
        body = html.escape(f"{mark} {text}" if mark else text)
        self.message.value = f'<div role="status" aria-live="polite" style="{colour}">{body}</div>'

    def _show_notices(self) -> None:
        """Show the progress store's messages (each problem is told once) below the feedback."""
        if self._store is not None and self._store.notices:
            notices = "".join(f"<div>⚠ {html.escape(text)}</div>" for text in self._store.notices)
            self.notice.value = f'<div role="status">{notices}</div>'

    def _report_error(self, details: str) -> None:
        self.errors.append_stderr(f"{CRASH}\n{details}")
        self._say("error", CRASH)

    def _control_rows(self) -> list[widgets.Widget]:
        """What is shown under the diagram, top to bottom."""
        return [
            widgets.HBox([self.choose, self.answer], layout={"flex_flow": "row wrap"}),
            self.message,
            self.notice,
            widgets.HBox([*self.buttons.values(), self.score], layout={"flex_flow": "row wrap"}),
            self.confirm_row,
            self.errors,
        ]

    def _list_boxes(self, tutor: Tutor) -> None:
        self.choose.options = [("Choose a box…", "")] + [
            (tutor.box_name(box.id), box.id) for box in tutor.boxes
        ]
