"""A static export shows every diagram, offline: ``jupyter nbconvert --to html`` on the lessons.

Why the flag on ``--execute``: nbconvert's HTML picks a graph cell's widget view before its
PNG whenever the executed notebook stores the widget state (nbclient's default), and that
view needs the widget manager from the internet; offline the cell stays empty. The kernel
cannot tell nbconvert from Voilà (both run cells through nbclient, and Voilà must get the live
widget), so the choice is the exporter's: ``--ExecutePreprocessor.store_widget_state=False``
keeps the PNG. The lessons as shipped (stored outputs, no widget state) export as they are.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lab_utils_backprop.authoring.course import copy_lessons

pytestmark = pytest.mark.slow

JUPYTER = Path(sys.executable).with_name("jupyter")
OFFLINE = "--ExecutePreprocessor.store_widget_state=False"


def graph_cells(nb: dict) -> int:
    """How many code cells show an interactive graph."""
    return sum(
        any(
            "GraphWidget(" in "".join(o.get("data", {}).get("text/plain", ""))
            for o in cell.get("outputs", [])
        )
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
    )


def export(folder: Path, name: str, *flags: str) -> BeautifulSoup:
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1"}
    subprocess.run(
        [JUPYTER, "nbconvert", "--to", "html", *flags, name, "--output", "export"],
        cwd=folder, env=env, check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    return BeautifulSoup((folder / "export.html").read_text(encoding="utf-8"), "html.parser")


def check_pictures(page: BeautifulSoup, graphs: int) -> None:
    outputs = page.select(".jp-OutputArea-output")
    shown = [o for o in outputs if o.find("img", src=lambda s: s and s.startswith("data:image/png;base64,"))]
    assert not page.select('script[type="application/vnd.jupyter.widget-view+json"]')
    assert len(shown) >= graphs  # every graph cell (and any plot) shows a picture
    for markdown in page.select(".jp-MarkdownOutput img"):
        assert markdown["src"].startswith("data:image/"), markdown["src"]  # attachments, inlined


@pytest.fixture(scope="module")
def lessons(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lessons")
    copy_lessons(folder)
    return folder


@pytest.mark.parametrize(
    "name", ["backprop_computation_graph.ipynb", "fan_out.ipynb", "sigmoid_neuron.ipynb"]
)
def test_the_stored_lessons_export_with_every_picture(lessons, name):
    nb = json.loads((lessons / name).read_text(encoding="utf-8"))
    assert graph_cells(nb) >= 1
    check_pictures(export(lessons, name), graph_cells(nb))


def test_the_main_lesson_executed_to_html_offline_shows_every_graph(lessons):
    name = "backprop_computation_graph.ipynb"
    page = export(lessons, name, "--execute", OFFLINE)
    check_pictures(page, graph_cells(json.loads((lessons / name).read_text(encoding="utf-8"))))
    assert "J = 121" in page.get_text() and "J = 4.5" in page.get_text()
    assert len(page.select(".jp-MarkdownOutput img")) == 7  # the lesson's close-ups, from attachments
