"""Every graph of the three lessons fits the width JupyterLab gives it, measured in the page.

One server serves copies of the three lessons; one page opens each, runs it, and measures
every graph at 1280x900 with the file browser open, then at 1920 and 900 px wide (the graph is
wrapped anew as the width changes): no horizontal scroll in its output, no canvas or
control past the output's right edge, no element scrolling inside the graph (ipympl's
hidden toolbar once stuck out below a short figure), no button or summary cut short; and
the browser's console holds nothing from the graph's widgets.
"""

from __future__ import annotations

import nbformat
import pytest
from conftest import REPO
from lab_page import LabPage
from lab_server import JupyterLabServer
from student import eventually

pytestmark = pytest.mark.browser

LESSONS = ["backprop_computation_graph.ipynb", "fan_out.ipynb", "sigmoid_neuron.ipynb"]
WIDTHS = [1280, 1920, 900]
# What ipympl, ipywidgets and anywidget log about our widgets when something is wrong.
OUR_WIDGETS_NOISE = (
    "capture_scroll",
    "drawImage",
    "Error setting state",
    "anywidget",
    "No handler",
    "Uncaught",
)

# Each graph's problems, as text; an empty list when it fits.
MEASURE_JS = """() => [...document.querySelectorAll(".lub-graph")].map((graph, index) => {
    const problems = [], area = graph.parentElement, edge = area.getBoundingClientRect().right + 1;
    if (area.scrollWidth > area.clientWidth + 1)
        problems.push(`scrolls sideways (${area.scrollWidth} > ${area.clientWidth})`);
    for (const element of graph.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const name = element.className || element.tagName;
        if (box.right > edge) problems.push(`${name} ends at ${box.right} past ${edge}`);
        const style = getComputedStyle(element);
        if (/(auto|scroll)/.test(style.overflowY) && element.scrollHeight > element.clientHeight + 1)
            problems.push(`${name} scrolls inside (${element.scrollHeight} > ${element.clientHeight})`);
        const image = element.matches(".jupyter-matplotlib-canvas-div > canvas:first-child");  // no overlay
        if (image && element.width > 2 && element.height > 2) {  // ink on an edge: something cut off
            const context = element.getContext("2d"), w = element.width, h = element.height;
            const edges = [[0, 0, w, 1], [0, h - 1, w, 1], [0, 0, 1, h], [w - 1, 0, 1, h]];
            for (const [x, y, ew, eh] of edges) {
                const data = context.getImageData(x, y, ew, eh).data;
                for (let i = 0; i < data.length; i += 4) {
                    if (data[i + 3] > 128 && Math.min(data[i], data[i + 1], data[i + 2]) < 200) {
                        problems.push(`ink on the edge of a canvas at (${x}, ${y}) ${ew}x${eh}`);
                        break;
                    }
                }
            }
        }
        if (image && Math.abs(element.width - box.width * devicePixelRatio) > 1)
            problems.push(`a canvas is blurry (${element.width} px for ${box.width} CSS px)`);
        if ((element.matches("button, .widget-label")) && element.scrollWidth > element.clientWidth + 1)
            problems.push(`"${element.textContent}" cut (${element.scrollWidth} > ${element.clientWidth})`);
    }
    return [index, problems];
})"""


@pytest.fixture(scope="module")
def lessons_server(chromium, scratch):
    root = scratch / "jupyter" / "root" / "notebooks"
    root.mkdir(parents=True)
    for name in LESSONS:
        lesson = nbformat.read(REPO / "notebooks" / name, as_version=4)
        lesson.metadata.pop("widgets", None)
        for cell in lesson.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(lesson, root / name)
    with JupyterLabServer(root.parent, scratch / "jupyter", pythonpath=REPO) as server:
        yield server


@pytest.mark.parametrize("name", LESSONS)
def test_every_graph_fits_at_1280_with_the_file_browser_at_1920_and_900(lessons_server, browser_page, name):
    page = browser_page
    fits_and_is_quiet(
        lessons_server, page, name, lambda width: page.set_viewport_size({"width": width, "height": 900})
    )


def test_the_main_lesson_fits_and_is_crisp_at_device_pixel_ratio_2(lessons_server, browser_page):
    """A laptop's screen: two device pixels per CSS pixel (Chrome's own emulation of one)."""
    page = browser_page
    screen = page.context.new_cdp_session(page)
    metrics = {"height": 900, "deviceScaleFactor": 2, "mobile": False}
    try:
        fits_and_is_quiet(
            lessons_server,
            page,
            LESSONS[0],
            lambda width: screen.send("Emulation.setDeviceMetricsOverride", {"width": width, **metrics}),
        )
    finally:
        screen.send("Emulation.clearDeviceMetricsOverride")
        page.set_viewport_size({"width": 1280, "height": 1000})


def fits_and_is_quiet(lessons_server, page, name, set_width):
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    set_width(WIDTHS[0])
    lab = LabPage(page)
    lab.open_notebook(lessons_server.url, f"notebooks/{name}")
    assert page.locator(".jp-FileBrowser").is_visible(), "the file browser is open, as a student has it"
    lab.run_all_cells()
    graphs = page.locator(".lub-graph")
    assert graphs.count() >= 1
    for width in WIDTHS:
        set_width(width)
        fits = [[index, []] for index in range(graphs.count())]
        seen = eventually(lambda: page.evaluate(MEASURE_JS), fits, timeout=20)
        assert seen == fits, f"at {width} px: {seen}"
    ours = [line for line in console if any(word in line for word in OUR_WIDGETS_NOISE)]
    assert ours == [], "the console shows messages from the graph's widgets"
