"""Fixtures for the browser tests: JupyterLab, headless Chromium, and the lesson open and run.

Without Chromium or Playwright the tests skip with the reason; with
``LAB_UTILS_BACKPROP_REQUIRE_BROWSER=1`` (set by CI) the same absence is an error instead, so
CI can never pass by skipping them. Everything started here (server, kernels, browser) is
stopped in the fixtures' teardown, whatever the tests did.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lab_server import JupyterLabServer, kill_processes_mentioning
from lesson_copy import PROBE_MARKER, ProbedBox, copy_lesson, parse_probe

if TYPE_CHECKING:  # Playwright is imported only once the browser is known to be there
    from lab_page import LabPage
    from playwright.sync_api import Locator

REQUIRE_BROWSER = "LAB_UTILS_BACKPROP_REQUIRE_BROWSER"
CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
# The lesson, and its graph the tests drive, by its name in the lesson: the first cell
# showing a figure whose source holds this name. A test module may set its own LESSON and
# GRAPH (test_wrapped_graph_in_browser.py does).
LESSON = REPO / "notebooks" / "backprop_computation_graph.ipynb"
GRAPH = "config_nw1"


def lesson_of(request) -> tuple[Path, str]:
    """The (lesson, graph name) of the requesting test module, by default the ones above."""
    return getattr(request.module, "LESSON", LESSON), getattr(request.module, "GRAPH", GRAPH)


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # CI containers run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",  # the page only talks to 127.0.0.1
]
VIEWPORT = {"width": 1280, "height": 1000}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the lesson in JupyterLab in headless Chromium")


def missing_prerequisite() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright Python package is not installed"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The browser binary; skips (or, when CI requires the browser, errors) without one."""
    reason = missing_prerequisite()
    if reason is not None:
        if os.environ.get(REQUIRE_BROWSER) == "1":
            pytest.fail(f"browser test cannot run: {reason}; {REQUIRE_BROWSER}=1 requires it", pytrace=False)
        pytest.skip(f"browser test skipped: {reason} (set {REQUIRE_BROWSER}=1 to make this an error)")
    return CHROMIUM


@pytest.fixture(scope="module")
def scratch():
    """A temp dir of this module's own; not pytest's basetemp, which other runs may rotate away."""
    with tempfile.TemporaryDirectory(
        prefix="lab_utils_backprop-browser-", ignore_cleanup_errors=True
    ) as path:
        yield Path(path)


@pytest.fixture(scope="module")
def lab_server(chromium, scratch, request):
    """JupyterLab serving a copy of the lesson (with the probe cell) from a temp root."""
    home = scratch / "jupyter"
    root = home / "root"
    notebook, graph = lesson_of(request)
    copy_lesson(notebook, root, graph)
    with JupyterLabServer(root, home, pythonpath=REPO) as server:
        yield server


@pytest.fixture(scope="module")
def browser_page(chromium, scratch):
    """A page in headless Chromium (Debian's binary, never Playwright's download)."""
    from playwright.sync_api import sync_playwright

    profile = scratch / "chromium-profile"
    # Debian's launcher script keeps crash reports under $HOME: keep them in the scratch dir too.
    home = scratch / "chromium-home"
    environment = {**os.environ, "HOME": str(home)}
    with sync_playwright() as playwright:
        try:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=chromium,
                args=CHROMIUM_FLAGS,
                env=environment,
                headless=True,
                viewport=VIEWPORT,
            )
            try:
                yield context.pages[0] if context.pages else context.new_page()
            finally:
                context.close()
        finally:
            for path in (profile, home):  # the crash handlers are not the browser's children
                kill_processes_mentioning(str(path))


@dataclass
class LessonInBrowser:
    """The lesson after Run All Cells: the page, the part-2 graph's cell, and its boxes."""

    lab: LabPage
    server: JupyterLabServer
    cell: Locator
    boxes: dict[str, ProbedBox]


@pytest.fixture(scope="module")
def lesson(lab_server, browser_page, request):
    """The lesson open in JupyterLab with every cell run, as a student finds it."""
    from lab_page import LabPage

    notebook, graph = lesson_of(request)
    lab = LabPage(browser_page)
    try:
        lab.open_notebook(
            lab_server.url, notebook.relative_to(notebook.parent.parent).as_posix()
        )  # as copied
        lab.run_all_cells()
        cell = lab.figure_cell(graph)
        lab.wait_for_drawn_canvas(cell)
        boxes = parse_probe(lab.output_text(lab.code_cell(PROBE_MARKER)))
    except Exception:
        print(f"\nbrowser screenshots: {save_screenshots(lab, 'lesson-setup')}")
        print(f"jupyter lab log (tail):\n{lab_server.log_tail()}")
        raise
    return LessonInBrowser(lab, lab_server, cell, boxes)


def save_screenshots(lab: LabPage, name: str) -> Path:
    """Screenshots of the page and each output, in a new folder outside pytest's basetemp.

    Not under basetemp: other pytest runs on the same machine rotate those folders away.
    """
    folder = Path(tempfile.mkdtemp(prefix=f"browser-test-failure-{name}-"))
    lab.screenshot_outputs(folder)
    return folder


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """On a failing browser test, save screenshots and show where, with the server's log."""
    report = yield
    lesson = item.funcargs.get("lesson") if hasattr(item, "funcargs") else None
    if report.failed and report.when == "call" and isinstance(lesson, LessonInBrowser):
        folder = save_screenshots(lesson.lab, item.name)
        report.sections.append(("browser screenshots", str(folder)))
        report.sections.append(("jupyter lab log (tail)", lesson.server.log_tail()))
    return report


def pytest_terminal_summary(terminalreporter):
    """Print the latency benchmark's figures, recorded by the test, at the end of the run."""
    for report in terminalreporter.stats.get("passed", []):
        for name, value in report.user_properties:
            if name == "browser latency":
                terminalreporter.write_line(f"browser latency: {value}")
