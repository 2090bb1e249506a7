"""The main lesson in Voilà and in Jupyter Notebook 7, in headless Chromium, as a student meets it.

The lesson is the ``lessons`` command's copy (its pictures inside as attachments, so Voilà,
which serves only the notebook's folder, shows them). In each app the test waits for the
graphs to be drawn, picks a box in the graph's list, types the answer and presses Enter, and
reads the tutor's answer. In Notebook 7 it then saves the notebook and reads the answers'
record from the file on disk: what a grader will see.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest
from app_server import NotebookServer, VoilaServer
from conftest import REPO

from lab_utils_backprop.authoring.course import copy_lessons
from lab_utils_backprop.engine.examples import config_nw0
from lab_utils_backprop.exercise.tutor import Tutor
from lab_utils_backprop.notebook.record import MIME, submitted

pytestmark = pytest.mark.browser

LESSON = "backprop_computation_graph.ipynb"
BOX, ANSWER = "forward:a", "11"  # part 1: a = 2 + 3w at w = 3


def expected():
    tutor = Tutor(config_nw0)
    label = f"{tutor.asked(BOX)} (forward value)"
    return label, tutor.enter(ANSWER, BOX).message


def wait_for(page, script: str, timeout: float = 120) -> None:
    """Poll a JavaScript expression in the page until it is true."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout} s: {script}")
        time.sleep(0.1)


# Both graphs of the lesson drawn: at least two canvases with pixels painted (ipympl adds a
# transparent canvas over each for the zoom rectangle, which stays empty).
DRAWN = """() => {
    const canvases = [...document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas')];
    const painted = canvases.filter(c => {
        if (!c.width || !c.height) return false;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4 * 97) if (d[i] !== 0) return true;
        return false;
    });
    return painted.length >= 2;
}"""
KERNEL_IDLE = (
    "() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'"
)
PICTURES = """() => {
    const imgs = [...document.querySelectorAll('.jp-RenderedMarkdown img, .jp-MarkdownOutput img')];
    return imgs.length >= 7 && imgs.every(img => img.complete && img.naturalWidth > 0);
}"""


def answer_in_first_graph(page) -> str:
    """Choose the box in the first graph's list, type the answer, press Enter; the page's text."""
    label, message = expected()
    page.locator(".widget-dropdown select").first.select_option(label=label)
    field = page.locator(".lub-answer input[type=text]").first
    field.fill(ANSWER)
    field.press("Enter")
    page.get_by_text(message).first.wait_for(timeout=60_000)
    return message


def shot(page, name: str) -> Path:
    """A screenshot of the page, kept outside pytest's rotating temp folders."""
    path = Path(tempfile.mkdtemp(prefix=f"browser-test-failure-{name}-")) / "page.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def lessons(scratch):
    root = scratch / "root"
    copy_lessons(root, force=True)
    return root


def test_voila_renders_the_main_lesson_and_takes_an_answer(lessons, scratch, browser_page):
    with VoilaServer(lessons, scratch / "voila", LESSON, pythonpath=REPO) as server:
        try:
            browser_page.goto(server.url, timeout=180_000)
            wait_for(browser_page, DRAWN)
            wait_for(browser_page, PICTURES, timeout=30)
            answer_in_first_graph(browser_page)
            assert "interactive_graph(" not in browser_page.inner_text("body")  # Voilà shows no code
        except Exception:
            print(f"voila log (tail):\n{server.log_tail()}\nscreenshot: {shot(browser_page, 'voila')}")
            raise


def test_notebook7_runs_the_lesson_takes_an_answer_and_saves_it_for_a_grader(lessons, scratch, browser_page):
    with NotebookServer(lessons, scratch / "notebook7", pythonpath=REPO) as server:
        try:
            browser_page.goto(f"{server.url}/notebooks/{LESSON}", timeout=60_000)
            wait_for(browser_page, KERNEL_IDLE)
            browser_page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            wait_for(browser_page, DRAWN)
            wait_for(browser_page, PICTURES, timeout=30)
            answer_in_first_graph(browser_page)
            before = (lessons / LESSON).stat().st_mtime_ns
            browser_page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
            deadline = time.monotonic() + 30
            while (lessons / LESSON).stat().st_mtime_ns == before and time.monotonic() < deadline:
                time.sleep(0.1)
        except Exception:
            print(f"notebook log (tail):\n{server.log_tail()}\nscreenshot: {shot(browser_page, 'notebook7')}")
            raise
    saved = json.loads((lessons / LESSON).read_text(encoding="utf-8"))
    records = [o for c in saved["cells"] for o in c.get("outputs", []) if MIME in o.get("data", {})]
    assert len(records) == 2  # one per graph, saved with the notebook
    assert submitted(config_nw0, lessons) == {"typed_right": 1, "revealed": 0, "wrong": 0, "empty": 4}
