"""A graph's right answers are saved as the student goes and come back when the cell runs again."""

import json
import subprocess
import sys

import pytest

from lab_utils_backprop.engine.examples import config_nw0, config_nw1
from lab_utils_backprop.notebook.progress import ProgressWarning
from lab_utils_backprop.notebook.widget import GraphWidget


@pytest.fixture
def path(tmp_path):
    return tmp_path / "progress.json"


@pytest.fixture
def make():
    """Build GraphWidgets, and close them after the test (as re-running its cell would)."""
    made = []

    def make(graph, **options):
        made.append(GraphWidget(graph, **options))
        return made[-1]

    yield make
    for widget in made:
        widget.close()


def statuses(widget):
    return {box_id: state.status for box_id, state in widget.states().items() if state.status != "empty"}


def test_right_answers_come_back_and_wrong_ones_do_not(make, path):
    first = make(config_nw1, progress=path)
    first.enter("-4", "forward:c")
    first.enter("7", "forward:a")
    first.enter("3", "forward:d")
    again = make(config_nw1, progress=path)
    assert statuses(again) == {"forward:c": "right", "forward:d": "right"}
    assert again.state("forward:c").text == "-4"
    assert "Welcome back: 2 saved answers restored." in again.message.value
    assert again.box_text("forward:c") == "-4 ✓"


def test_a_right_box_made_wrong_is_forgotten(make, path):
    widget = make(config_nw0, progress=path)
    widget.enter("11", "forward:a")
    widget.enter("121", "forward:J")
    widget.enter("12", "forward:a")
    assert statuses(make(config_nw0, progress=path)) == {"forward:J": "right"}


def test_reset_clears_the_saved_answers_after_confirmation(make, path):
    widget = make(config_nw0, progress=path)
    widget.enter("11", "forward:a")
    widget.buttons["Reset"].click()
    widget.cancel.click()
    assert make(config_nw0, progress=path).summary() == "1/5 boxes right"
    widget.buttons["Reset"].click()
    widget.confirm.click()
    assert make(config_nw0, progress=path).summary() == "0/5 boxes right"
    assert json.loads(path.read_text())["graphs"] == {}


def test_other_values_or_new_numbers_start_afresh(make, path):
    widget = make(config_nw1, progress=path)
    widget.enter("-4", "forward:c")
    other = make(config_nw1.with_values({"w": 3, "b": 8, "x": 2, "y": 1}), progress=path)
    assert other.summary() == "0/13 boxes right"
    widget.buttons["New numbers"].click()
    assert widget.summary() == "0/13 boxes right"
    assert make(config_nw1, progress=path).summary() == "1/13 boxes right"


def test_two_graphs_share_one_file(make, path):
    zero, one = make(config_nw0, progress=path), make(config_nw1, progress=path)
    zero.enter("11", "forward:a")
    one.enter("-4", "forward:c")
    zero.enter("121", "forward:J")
    assert make(config_nw0, progress=path).summary() == "2/5 boxes right"
    assert make(config_nw1, progress=path).summary() == "1/13 boxes right"


def test_a_corrupt_file_is_told_once_and_the_lesson_goes_on(make, path):
    path.write_text("{not json")
    with pytest.warns(ProgressWarning):
        widget = make(config_nw0, progress=path)
    assert "unreadable" in widget.notice.value
    widget.enter("11", "forward:a")
    assert widget.summary() == "1/5 boxes right"
    assert widget.notice.value.count("unreadable") == 1
    assert make(config_nw0, progress=path).summary() == "1/5 boxes right"
    assert len(list(path.parent.glob("progress.json.corrupt-*"))) == 1


def test_a_folder_that_cannot_be_written_is_told_and_answers_still_count(make, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.warns(ProgressWarning):
        widget = make(config_nw0, progress=blocker / "progress.json")
        widget.enter("11", "forward:a")
    assert "can&#x27;t be saved" in widget.notice.value
    widget.enter("121", "forward:J")
    assert widget.summary() == "2/5 boxes right"
    assert widget.notice.value.count("saved") == 1


def test_default_progress_goes_beside_the_notebook_and_false_writes_nothing(make, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    make(config_nw0, progress=False).enter("11", "forward:a")
    assert list(tmp_path.iterdir()) == []
    make(config_nw0).enter("11", "forward:a")
    assert (tmp_path / ".lab_utils_backprop" / "progress-ada.json").exists()
    assert make(config_nw0).summary() == "1/5 boxes right"


STUDENT = """
import sys, time
from pathlib import Path
from lab_utils_backprop.engine.examples import config_nw1
from lab_utils_backprop.notebook.widget import GraphWidget
path, half = Path(sys.argv[1]), int(sys.argv[2])
widget = GraphWidget(config_nw1, progress=path)
(path.parent / f"ready-{half}").touch()
for _ in range(3000):  # both graphs are open before either answers (at most 30 s)
    if len(list(path.parent.glob("ready-*"))) == 2:
        break
    time.sleep(0.01)
for box in widget.tutor.boxes[half::2]:
    widget.enter(str(box.answer), box.id)
print(widget.summary())
"""


@pytest.mark.timeout(240)
def test_one_lesson_open_in_two_kernels_keeps_every_right_answer(tmp_path):
    path = tmp_path / "progress.json"
    kernels = [
        subprocess.Popen([sys.executable, "-c", STUDENT, str(path), str(half)], stdout=subprocess.PIPE)
        for half in (0, 1)
    ]
    outputs = [kernel.communicate(timeout=230)[0].decode().strip() for kernel in kernels]
    assert [kernel.returncode for kernel in kernels] == [0, 0]
    assert outputs == ["7/13 boxes right", "6/13 boxes right"]
    again = GraphWidget(config_nw1, progress=path)
    try:
        assert again.summary() == "13/13 boxes right"
    finally:
        again.close()
