"""The state of one exercise: what each box holds, judging, hints, reveal and reset.

Pure logic with no drawing or widgets, so the buttons, the tests and an instructor's
grading cell all go through the same methods. Views subscribe to changes and repaint
only the boxes named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..engine.graph import ComputationGraph
from .answers import CLOSE_MESSAGES, check, format_number
from .boxes import Box, boxes_for
from .feedback import box_name, diagnose, not_yet, what_is_asked
from .hints import hints
from .practice import practice_values
from .statuses import EMPTY, REVEALED, RIGHT, WRONG

__all__ = ["BoxState", "Feedback", "Tally", "Tutor"]


@dataclass(frozen=True)
class BoxState:
    """What a box shows: ``status`` (empty, right, wrong, revealed), its text, the last message."""

    status: str = EMPTY
    text: str = ""
    message: str = ""


@dataclass(frozen=True)
class Tally:
    """Counts for a grading cell: typed right, revealed (shown, not worked), wrong, empty, all boxes.

    A revealed answer typed back stays revealed: only work counts as ``typed_right``.
    """

    typed_right: int
    revealed: int
    wrong: int
    empty: int
    total: int


@dataclass(frozen=True)
class Feedback:
    """The outcome of one entry; ``correct`` is None when the text was not a number."""

    box_id: str | None
    correct: bool | None
    message: str
    status: str


class Tutor:
    """One graph's boxes and what the student has done with them.

    Examples
    --------
    >>> from lab_utils_backprop import config_nw0
    >>> tutor = Tutor(config_nw0)
    >>> tutor.select("forward:a")
    >>> tutor.enter("11").correct, tutor.summary()
    (True, '1/5 boxes right')
    >>> tutor.reveal("forward:J"); tutor.summary()
    '1/5 boxes right, 1 revealed'
    >>> tutor.tally()
    Tally(typed_right=1, revealed=1, wrong=0, empty=3, total=5)
    >>> tutor.enter("eleven").message
    'Type a number such as 4.5 or 9/2.'
    """

    def __init__(self, graph: ComputationGraph):
        self.graph = graph
        self.boxes: list[Box] = boxes_for(graph)
        self._by_id = {box.id: box for box in self.boxes}
        self._states = {box.id: BoxState() for box in self.boxes}
        self._before_reveal: dict[str, BoxState] = {}
        self._was_revealed: set[str] = set()  # shown once: typing it back is not work
        self._hint_steps = {box.id: 0 for box in self.boxes}
        self._listeners: list[Callable[[list[str]], None]] = []
        self.selected: str | None = None

    # -- reading --------------------------------------------------------------------------

    def box(self, box_id: str) -> Box:
        """The box called ``box_id`` (a KeyError names the known ids otherwise)."""
        try:
            return self._by_id[box_id]
        except KeyError:
            raise KeyError(f"no box {box_id!r}; the boxes are {', '.join(self._by_id)}") from None

    def state(self, box_id: str) -> BoxState:
        """What the box shows now."""
        self.box(box_id)
        return self._states[box_id]

    def states(self) -> dict[str, BoxState]:
        """Every box's state, in student order."""
        return dict(self._states)

    def asked(self, box_id: str) -> str:
        """What a box asks for in plain text, like ``∂J/∂a`` (``∂J/∂w (local)`` where a total shares it)."""
        return what_is_asked(self.graph, self.box(box_id))

    def box_name(self, box_id: str) -> str:
        """A box's name for a list: what it asks, its kind and, for a fan-out, its path."""
        return box_name(self.graph, self.box(box_id))

    def tally(self) -> Tally:
        """The boxes counted by what happened to them, for a grading cell.

        A box whose answer was revealed counts as revealed even when the student then typed
        it in; a box right before Reveal all stays typed right.
        """
        counts = dict.fromkeys((RIGHT, REVEALED, WRONG, EMPTY), 0)
        for box_id, state in self._states.items():
            status = REVEALED if state.status == RIGHT and box_id in self._was_revealed else state.status
            counts[status] += 1
        return Tally(counts[RIGHT], counts[REVEALED], counts[WRONG], counts[EMPTY], len(self.boxes))

    @property
    def score(self) -> tuple[int, int]:
        """(boxes the student typed right, all boxes); revealed answers do not count."""
        tally = self.tally()
        return tally.typed_right, tally.total

    def summary(self) -> str:
        """A one-line summary for a grading cell: ``13/13 boxes right``, ``11/13 boxes right, 2 revealed``."""
        tally = self.tally()
        revealed = f", {tally.revealed} revealed" if tally.revealed else ""
        return f"{tally.typed_right}/{tally.total} boxes right{revealed}"

    @property
    def done(self) -> bool:
        right, total = self.score
        return right == total

    # -- changing -------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[list[str]], None]) -> None:
        """Call ``callback(box_ids)`` after every change, with the boxes that changed."""
        self._listeners.append(callback)

    def _set(self, changes: dict[str, BoxState]) -> None:
        self._states.update(changes)
        if changes:
            for listener in self._listeners:
                listener(list(changes))

    def select(self, box_id: str | None) -> None:
        """Make ``box_id`` the box that typing and hints go to (None: no box)."""
        if box_id is not None:
            self.box(box_id)
        self.selected = box_id

    def _target(self, box_id: str | None) -> str | None:
        return self.selected if box_id is None else self.box(box_id).id

    def enter(self, text: object, box_id: str | None = None) -> Feedback:
        """Judge what the student typed into a box (default: the selected one).

        Never raises for any text: text that is not a number leaves the box as it was
        and the feedback says what to type instead.
        """
        target = self._target(box_id)
        if target is None:
            return Feedback(None, None, "Click a box first (or choose one from the list).", EMPTY)
        box, before = self._by_id[target], self._states[target]
        result = check(box, text)
        if not result.is_number:
            return Feedback(target, None, result.message, before.status)
        shown = str(text).strip()
        filled = {b for b, s in self._states.items() if s.status in (RIGHT, REVEALED)}
        note = not_yet(self.graph, box, filled)
        if result.correct:
            again = (
                " (shown by Reveal before, so it counts as revealed)" if target in self._was_revealed else ""
            )
            state = BoxState(RIGHT, shown, f"Right: {what_is_asked(self.graph, box)} = {shown}.{again}{note}")
        else:
            close = result.message in CLOSE_MESSAGES  # check() is sure: near the answer, not rounded
            message = result.message if close else diagnose(self.graph, self.boxes, box, shown)
            state = BoxState(WRONG, shown, message + note)
        self._before_reveal.pop(target, None)
        self._set({target: state})
        return Feedback(target, result.correct, state.message, state.status)

    def hint(self, box_id: str | None = None) -> str:
        """The next hint for a box: what to compute, the formula, the estimate by a nudge, then reveal."""
        target = self._target(box_id)
        if target is None:
            return "Click a box first, then ask for a hint."
        steps = hints(self.graph, self._by_id[target])
        step = self._hint_steps[target]
        self._hint_steps[target] = min(step + 1, len(steps))
        if step < len(steps):
            return steps[step]
        self.reveal(target)
        return f"Revealed: {what_is_asked(self.graph, self._by_id[target])} = {self._states[target].text}."

    def reveal(self, box_id: str | None = None) -> None:
        """Show the answer in a box (default: the selected one); Hide all puts back what it had."""
        target = self._target(box_id)
        if target is not None:
            self._reveal([target])

    def _reveal(self, box_ids: list[str]) -> None:
        changes = {}
        for box_id in box_ids:
            state = self._states[box_id]
            if state.status in (RIGHT, REVEALED):
                continue
            self._before_reveal[box_id] = state
            self._was_revealed.add(box_id)
            answer = format_number(self._by_id[box_id].answer)
            changes[box_id] = BoxState(REVEALED, answer, f"The answer is {answer}.")
        self._set(changes)

    def reveal_all(self) -> None:
        """Show the answer in every box the student has not got right."""
        self._reveal([box.id for box in self.boxes])

    def hide_all(self) -> None:
        """Hide every revealed answer, putting back what the student had there."""
        changes = {box_id: state for box_id, state in self._before_reveal.items()}
        self._before_reveal.clear()
        self._set(changes)

    def reset(self) -> None:
        """Empty every box, forget hints and the selection: a fresh start."""
        changes = {box_id: BoxState() for box_id, state in self._states.items() if state != BoxState()}
        self._before_reveal.clear()
        self._was_revealed.clear()
        self._hint_steps = dict.fromkeys(self._hint_steps, 0)
        self.selected = None
        self._set(changes)

    def new_numbers(self, seed: int) -> Tutor:
        """A fresh Tutor for the same equations at other friendly values (same seed, same numbers)."""
        return Tutor(self.graph.with_values(practice_values(self.graph, seed)))

    def __repr__(self) -> str:
        return f"<Tutor {self.summary()}>"
