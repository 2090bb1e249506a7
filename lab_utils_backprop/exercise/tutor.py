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
from .feedback import chain_rule_text, diagnose, what_is_asked
from .practice import practice_values

__all__ = ["BoxState", "Feedback", "Tutor"]

EMPTY, RIGHT, WRONG, REVEALED = "empty", "right", "wrong", "revealed"
BUMP = 0.001


@dataclass(frozen=True)
class BoxState:
    """What a box shows: ``status`` (empty, right, wrong, revealed), its text, the last message."""

    status: str = EMPTY
    text: str = ""
    message: str = ""


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
    >>> tutor.enter("eleven").message
    'Type a number such as 4.5 or 9/2.'
    """

    def __init__(self, graph: ComputationGraph):
        self.graph = graph
        self.boxes: list[Box] = boxes_for(graph)
        self._by_id = {box.id: box for box in self.boxes}
        self._states = {box.id: BoxState() for box in self.boxes}
        self._before_reveal: dict[str, BoxState] = {}
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
        """What a box asks for in plain text, like ``∂J/∂a``."""
        return what_is_asked(self.graph, self.box(box_id))

    @property
    def score(self) -> tuple[int, int]:
        """(boxes the student got right, all boxes); revealed answers do not count."""
        right = sum(state.status == RIGHT for state in self._states.values())
        return right, len(self.boxes)

    def summary(self) -> str:
        """A one-line completion summary for a grading cell, like ``13/13 boxes right``."""
        right, total = self.score
        return f"{right}/{total} boxes right"

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
        if result.correct:
            message = f"Right: {what_is_asked(self.graph, box)} = {shown}."
            state = BoxState(RIGHT, shown, message)
        else:
            close = result.message in CLOSE_MESSAGES  # check() is sure: near the answer, not rounded
            message = result.message if close else diagnose(self.graph, self.boxes, box, shown)
            state = BoxState(WRONG, shown, message)
        self._before_reveal.pop(target, None)
        self._set({target: state})
        return Feedback(target, result.correct, state.message, state.status)

    def hint(self, box_id: str | None = None) -> str:
        """The next hint for a box: what to compute, the formula, the bump estimate, then reveal."""
        target = self._target(box_id)
        if target is None:
            return "Click a box first, then ask for a hint."
        steps = self._hints(self._by_id[target])
        step = self._hint_steps[target]
        self._hint_steps[target] = min(step + 1, len(steps))
        if step < len(steps):
            return steps[step]
        self.reveal(target)
        return f"Revealed: {what_is_asked(self.graph, self._by_id[target])} = {self._states[target].text}."

    def _hints(self, box: Box) -> list[str]:
        graph, asked = self.graph, what_is_asked(self.graph, box)
        if box.kind == "forward":
            node = graph.node(box.node)
            known = ", ".join(f"{name} = {format_number(graph.value(name))}" for name in node.inputs)
            return [
                f"{asked} is a forward value: work left to right and compute {node.source}.",
                f"Put in {known}.",
            ]
        if box.kind == "local":
            expr = graph.node(box.node).expr
            estimate = graph.local_difference(box.node, box.wrt, BUMP)
            return [
                f"{asked} is a local derivative: how much {box.node} changes when only {box.wrt} moves.",
                f"sympy: diff({expr}, {box.wrt}) = {graph.local_expr(box.node, box.wrt)}; "
                f"put in the values of {box.node}'s inputs.",
                f"Bump {box.wrt} by {BUMP}: {box.node} changes by about {estimate * BUMP:.6g}, "
                f"so {asked} ≈ {estimate:.6g}.",
            ]
        output, consumers = graph.output, graph.consumers(box.wrt)
        estimate = graph.finite_difference(box.wrt, BUMP)
        fan_out = (
            f" {box.wrt} feeds {len(consumers)} nodes, so add one term per path."
            if len(consumers) > 1
            else ""
        )
        if consumers == [output]:
            how = (
                f"sympy: diff({graph.node(output).expr}, {box.wrt}) = {graph.local_expr(output, box.wrt)}; "
                f"put in the values of {output}'s inputs."
            )
        else:
            how = f"Chain rule: {chain_rule_text(graph, box.wrt)}, using the boxes to the right."
        return [
            f"{asked}: how much {output} changes when {box.wrt} moves. Work right to left.{fan_out}",
            how,
            f"Bump {box.wrt} by {BUMP}: {output} changes by about {estimate * BUMP:.6g}, "
            f"so {asked} ≈ {estimate:.6g}.",
        ]

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
        self._hint_steps = dict.fromkeys(self._hint_steps, 0)
        self.selected = None
        self._set(changes)

    def new_numbers(self, seed: int) -> Tutor:
        """A fresh Tutor for the same equations at other friendly values (same seed, same numbers)."""
        return Tutor(self.graph.with_values(practice_values(self.graph, seed)))

    def __repr__(self) -> str:
        return f"<Tutor {self.summary()}>"
