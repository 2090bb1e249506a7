"""Browser messages on a comm thread while cells build and draw other graphs, as under JupyterLab 4.4+.

With ipykernel 7, JupyterLab sends widget messages to a kernel subshell served on its own
thread (``commsOverSubshells``), while cells run on the main thread. Here a second thread
plays the browser for several live widgets (frame requests, a zoom that changes the pixel
ratio, clicks as ipympl's ``button_press`` messages, typing as the Text widget's value
updates, the Reset buttons)
while the main thread keeps building graphs, showing them and answering in them. matplotlib
is not thread-safe: without the package's drawing lock this fails within a second or two
(mathtext parse errors, broken frames, exceptions inside matplotlib).
"""

import io
import threading
import time
import traceback

import pytest
from comm_messages import browser_clicks, browser_presses, browser_types, from_browser
from PIL import Image

from lab_utils_backprop.engine.examples import config_neuron, config_nw0, config_nw1
from lab_utils_backprop.exercise.answers import format_number
from lab_utils_backprop.notebook.widget import GraphWidget

#: Each thread keeps going at least this long, in seconds: hundreds of messages and draws.
DURATION = 4.0

pytestmark = pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\)")


class Student:
    """The browser of several shown widgets, on its own thread: every problem it meets is kept."""

    def __init__(self, widgets):
        self.widgets = widgets
        self.problems: list[str] = []
        self.rounds = 0
        self.frames: dict[object, list[tuple[bytes, tuple[int, int]]]] = {}  # and the canvas's size then
        for widget in widgets:
            for figure in widget.figures:
                self._record_frames(figure.canvas)
        self.thread = threading.Thread(target=self._run, name="comm subshell")

    def _record_frames(self, canvas):
        frames, send = self.frames.setdefault(canvas, []), canvas.send

        def recording(content, buffers=None):
            size = canvas.get_width_height(physical=True)
            frames.extend((bytes(buffer), size) for buffer in buffers or ())
            send(content, buffers)

        canvas.send = recording

    def _run(self):
        try:
            for widget in self.widgets:  # what a canvas view asks for when it is first shown
                for figure in widget.figures:
                    from_browser(figure.canvas, {"type": "initialized"})
                    from_browser(figure.canvas, {"type": "send_image_mode"})
            start = time.monotonic()
            while self.rounds < 2 or time.monotonic() - start < DURATION:
                for widget in self.widgets:
                    self._zoom(widget, 1 + self.rounds % 2)
                    self._fill(widget)
                self.rounds += 1
        except BaseException:
            self.problems.append(traceback.format_exc())

    def _zoom(self, widget, ratio):
        """The browser's zoom (or a HiDPI screen) changes its pixel ratio: every canvas is drawn again."""
        for figure in widget.figures:
            from_browser(figure.canvas, {"type": "set_device_pixel_ratio", "device_pixel_ratio": ratio})
            from_browser(figure.canvas, {"type": "draw"})

    def _fill(self, widget):
        """Click every box, ask for a frame, type its answer; then Reset and confirm."""
        for box in widget.tutor.boxes:
            browser_clicks(widget, box.id)
            if widget.tutor.selected != box.id:
                self.problems.append(f"a click on {box.id} selected {widget.tutor.selected}")
            from_browser(widget.figure_of(box.id).canvas, {"type": "draw"})
            browser_types(widget.answer, format_number(box.answer))
            if widget.state(box.id).status != "right":
                self.problems.append(f"{box.id} is {widget.state(box.id).status} after its answer")
        total = len(widget.tutor.boxes)
        if widget.summary() != f"{total}/{total} boxes right":
            self.problems.append(f"{widget!r}: {widget.summary()}")
        browser_presses(widget.buttons["Reset"])
        browser_presses(widget.confirm)
        if widget.summary() != f"0/{total} boxes right":
            self.problems.append(f"{widget!r} after Reset: {widget.summary()}")


def a_cell_runs(config, answers: int) -> GraphWidget:
    """What a cell does on the main thread: build a graph, show it, answer some boxes."""
    graph = GraphWidget(config, progress=False)
    graph._repr_mimebundle_()
    for box in graph.tutor.boxes[:answers]:
        assert graph.enter(format_number(box.answer), box.id).correct, box.id
    return graph


def test_a_comm_thread_clicks_types_and_draws_while_cells_build_and_draw_other_graphs(ipympl):
    shown = [GraphWidget(config, progress=False) for config in (config_nw1, config_neuron, config_nw0)]
    student = Student(shown)
    student.thread.start()
    cells = 0
    try:
        while student.thread.is_alive() or cells < 2:
            graph = a_cell_runs([config_nw1, config_neuron, config_nw0][cells % 3], answers=3)
            assert graph.errors.outputs == ()
            graph.close()
            cells += 1
    finally:
        student.thread.join()
    assert student.problems == []
    assert student.rounds >= 2
    for widget in shown:
        assert widget.errors.outputs == ()
        for figure in widget.figures:
            frames = student.frames[figure.canvas]
            assert frames, "every canvas sent frames"
            for frame, size in frames:  # each a whole PNG of the canvas's size when it was sent
                assert Image.open(io.BytesIO(frame)).size == size
        widget.close()
