"""record.py: the answers a notebook carries for a grader, written by a real kernel, read back."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from lab_utils_backprop.engine.examples import config_nw0, config_nw1
from lab_utils_backprop.notebook.progress import progress_key
from lab_utils_backprop.notebook.record import MIME, counts, records_in, submitted

EMPTY_NW0 = {"typed_right": 0, "revealed": 0, "wrong": 0, "empty": 5}


def notebook_with(folder, records: list[dict], name="lesson.ipynb"):
    outputs = [{"output_type": "display_data", "data": {MIME: r}, "metadata": {}} for r in records]
    nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs}], "metadata": {}}
    (folder / name).write_text(json.dumps(nb))


def record(graph, boxes):
    return {"version": 1, "graphs": {progress_key(graph): {"boxes": boxes}}}


def test_counts_by_status():
    assert counts({"a": "right", "b": "wrong", "c": "wrong", "d": "empty"}) == {
        "typed_right": 1,
        "revealed": 0,
        "wrong": 2,
        "empty": 1,
    }


def test_nothing_handed_in_counts_every_box_empty(tmp_path):
    assert submitted(config_nw0, tmp_path) == EMPTY_NW0
    (tmp_path / "broken.ipynb").write_text("{not json")
    assert submitted(config_nw0, tmp_path) == EMPTY_NW0


def test_each_recorded_text_is_judged_again(tmp_path):
    boxes = {
        "forward:a": {"status": "right", "text": "11"},
        "forward:J": {"status": "right", "text": "120"},  # edited by hand: judged wrong
        "local:a:w": {"status": "revealed", "text": "3"},
        "gradient:w": {"status": "wrong", "text": "abc"},  # not a number: stays empty
        "forward:nope": {"status": "right", "text": "1"},  # no such box
    }
    notebook_with(tmp_path, [record(config_nw0, boxes)])
    assert submitted(config_nw0, tmp_path) == {"typed_right": 1, "revealed": 1, "wrong": 1, "empty": 2}
    assert submitted(config_nw1, tmp_path)["empty"] == 13  # another graph: not recorded


def test_the_latest_output_wins_and_a_widget_names_its_graph(tmp_path):
    first = record(config_nw0, {"forward:a": {"status": "wrong", "text": "10"}})
    later = record(config_nw0, {"forward:a": {"status": "right", "text": "11"}})
    notebook_with(tmp_path, [first, later])
    assert (
        records_in(json.loads((tmp_path / "lesson.ipynb").read_text()))[progress_key(config_nw0)]
        == (later["graphs"][progress_key(config_nw0)])
    )

    class Shown:  # what submitted() needs of a GraphWidget: its tutor's graph
        class tutor:  # noqa: N801
            graph = config_nw0

    assert submitted(Shown(), tmp_path)["typed_right"] == 1


@pytest.mark.slow
def test_a_kernel_keeps_the_record_up_to_date_in_the_graphs_cell(tmp_path):
    nb = new_notebook(
        cells=[
            new_code_cell("from lab_utils_backprop import interactive_graph, config_nw0"),
            new_code_cell("graph = interactive_graph(config_nw0)\ngraph"),
            new_code_cell(
                'graph.enter("11", "forward:a"); graph.enter("120", "forward:J"); graph.reveal("gradient:w")'
            ),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=300, kernel_name="python3").execute(cwd=str(tmp_path))
    shown = nb.cells[1].outputs
    assert [MIME in o.get("data", {}) for o in shown] == [True, False]  # the record, then the graph
    assert shown[0].data.keys() == {MIME}  # nothing a front end would draw
    boxes = shown[0].data[MIME]["graphs"][progress_key(config_nw0)]["boxes"]
    assert {k: v["status"] for k, v in boxes.items()} == {
        "forward:a": "right",
        "forward:J": "wrong",
        "local:a:w": "empty",
        "gradient:a": "empty",
        "gradient:w": "revealed",
    }
    nbformat.write(nb, tmp_path / "lesson.ipynb")
    assert submitted(config_nw0, tmp_path) == {"typed_right": 1, "revealed": 1, "wrong": 1, "empty": 2}
