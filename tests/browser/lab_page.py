"""What a student does in JupyterLab, as Playwright calls: open a notebook, run it, click, type.

Selectors and waits live here so the tests read as the lesson's story. The waits are the
ones BROWSER_TESTING.md found necessary: the kernel's status-bar text before running, and a
drawn frame on the canvas before clicking it.
"""

from __future__ import annotations

import re
import time
import warnings

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

__all__ = ["LabPage"]

KERNEL_IDLE = "Python 3 (ipykernel) | Idle"

# Pixels in a square around (x, y) in CSS px, whatever the canvas's scale (device pixel ratio).
READ_PIXELS_JS = """(canvas, [x, y, radius]) => {
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const size = Math.max(1, Math.round((2 * radius + 1) * scale));
    const left = Math.round((x - radius) * scale), top = Math.round((y - radius) * scale);
    const data = canvas.getContext("2d").getImageData(left, top, size, size).data;
    const pixels = [];
    for (let i = 0; i < data.length; i += 4) pixels.push([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    return pixels;
}"""

CELL_STATES_JS = """() => {
    const prompts = [...document.querySelectorAll(".jp-CodeCell .jp-InputPrompt")].map((p) => p.textContent);
    if (prompts.some((text) => text.includes("[*]"))) return false;
    return prompts.every((text) => /\\[\\d+\\]/.test(text)) ? "all ran" : "stopped";
}"""

FIGURE_CELL_JS = """(text) => 1 + [...document.querySelectorAll(".jp-Notebook .jp-Cell")].findIndex((cell) =>
    cell.classList.contains("jp-CodeCell")
    && cell.querySelector(".jp-InputArea-editor").textContent.includes(text)
    && cell.querySelector(".jupyter-matplotlib-canvas-div"))"""

# Every canvas of a cell painted, and the same ones for half a second: the widget draws its
# canvases anew once the page has told it the width it has.
SETTLED_JS = """(cell, timeout) => new Promise((resolve, reject) => {
    const start = performance.now();
    let seen = null, since = 0;
    const painted = (canvas) => canvas.width > 0 && canvas.getContext("2d")
        .getImageData(0, 0, canvas.width, canvas.height).data.some((v, i) => i % 4 === 3 && v > 0);
    const tick = () => {
        const canvases = [...cell.querySelectorAll(".jupyter-matplotlib-canvas-div canvas:first-child")];
        const now = performance.now();
        if (canvases.length === 0 || !canvases.every(painted)) seen = null;
        else if (seen === null || seen.length !== canvases.length || seen.some((c, i) => c !== canvases[i])) {
            seen = canvases;
            since = now;
        } else if (now - since > 500) return resolve(canvases.length);
        if (now - start > timeout) return reject(new Error("the canvases were never all drawn"));
        requestAnimationFrame(tick);
    };
    tick();
})"""

FOCUSED_JS = """(field, timeout) => new Promise((resolve, reject) => {
    if (document.activeElement === field) return resolve();
    field.addEventListener("focus", () => resolve(), {once: true});
    setTimeout(() => reject(new Error("the answer field never took focus")), timeout);
})"""

ERRORS = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


class LabPage:
    """One JupyterLab tab showing one notebook."""

    def __init__(self, page: Page):
        self.page = page

    def open_notebook(self, base_url: str, path: str) -> None:
        """Load the notebook and wait until its kernel has started and is idle.

        THE trap: the notebook toolbar reads "idle" before any kernel exists, and a Run All
        clicked then is silently dropped; the status bar names the kernel only once it runs.
        """
        self.page.goto(f"{base_url}/lab/tree/{path}?reset")
        self.page.locator(f'#jp-main-statusbar .jp-StatusBar-TextItem:text-is("{KERNEL_IDLE}")').wait_for(
            timeout=60_000
        )

    @property
    def cells(self) -> Locator:
        return self.page.locator(".jp-Notebook .jp-Cell")

    def code_cell(self, source_contains: str) -> Locator:
        """The one code cell whose source holds ``source_contains``."""
        cell = self.page.locator(".jp-Notebook .jp-CodeCell").filter(
            has=self.page.locator(".jp-InputArea-editor", has_text=source_contains)
        )
        cell.wait_for()
        return cell

    def figure_cell(self, source_contains: str, timeout: float = 30) -> Locator:
        """The first code cell whose source holds ``source_contains`` and whose output shows a figure.

        Pinned by its position in the notebook, so it stays the same cell while a re-run
        clears and redraws its output.
        """
        number = self.page.wait_for_function(
            FIGURE_CELL_JS, arg=source_contains, timeout=timeout * 1000
        ).json_value()
        return self.cells.nth(number - 1)

    def run_all_cells(self, timeout: float = 90) -> None:
        """Run All Cells from the Run menu, then wait until every code cell has run.

        If no prompt turns to ``[*]`` or a number, the click was dropped: run all through
        JupyterLab's own command instead (the server exposes ``window.jupyterapp``).
        """
        self.page.locator('.lm-MenuBar-itemLabel:text-is("Run")').click()
        self.page.locator('.lm-Menu-itemLabel:text-is("Run All Cells")').click()
        try:
            self.page.wait_for_function(
                """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                         .some((prompt) => /\\[(\\*|\\d+)\\]/.test(prompt.textContent))""",
                timeout=5_000,
            )
        except PlaywrightTimeoutError:
            warnings.warn(
                "Run All Cells from the menu was dropped; ran it through window.jupyterapp", stacklevel=2
            )
            self.page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        self.wait_until_all_ran(timeout)

    def wait_until_all_ran(self, timeout: float = 90) -> None:
        """Wait until no cell is queued or running; fail with the traceback if a cell raised.

        Run All stops at an error and leaves the cells after it blank (``[ ]``).
        """
        outcome = self.page.wait_for_function(CELL_STATES_JS, timeout=timeout * 1000).json_value()
        if outcome != "all ran":
            errors = "\n".join(self.page.locator(ERRORS).all_inner_texts())
            raise AssertionError(f"Run All stopped at an error:\n{errors}")

    def run_cell(self, cell: Locator) -> int:
        """Run one cell as a student does (click into its code, Shift+Enter); its new execution count."""
        before = self.execution_count(cell)
        cell.locator(".jp-InputArea-editor").click()
        self.page.keyboard.press("Shift+Enter")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            count = self.execution_count(cell)
            if count is not None and count != before:
                return count
            self.page.wait_for_timeout(50)
        raise TimeoutError(f"the cell did not run again (still [{before}])")

    @staticmethod
    def execution_count(cell: Locator) -> int | None:
        match = re.search(r"\[(\d+)\]", cell.locator(".jp-InputPrompt").inner_text())
        return int(match.group(1)) if match else None

    @staticmethod
    def output_text(cell: Locator) -> str:
        """The text of the cell's outputs, as the page shows it."""
        return cell.locator(".jp-Cell-outputArea").inner_text()

    @staticmethod
    def canvas(cell: Locator) -> Locator:
        """What takes a figure's clicks: ipympl's canvas div, its origin at the figure's top-left.

        One per strip of the diagram (``.nth(strip)``): its graph, then its derivative columns, per band.
        """
        return cell.locator(".jupyter-matplotlib-canvas-div")

    def image(self, cell: Locator, strip: int = 0) -> Locator:
        """The canvas element a strip's frames are painted on (under the one taking clicks)."""
        return self.canvas(cell).nth(strip).locator("canvas").first

    def pixels(
        self, cell: Locator, x: float, y: float, radius: int = 0, strip: int = 0
    ) -> list[tuple[int, int, int, int]]:
        """RGBA of a strip's drawn image in a square of ``radius`` CSS px around (x, y)."""
        return [tuple(pixel) for pixel in self.image(cell, strip).evaluate(READ_PIXELS_JS, [x, y, radius])]

    def wait_for_drawn_canvas(self, cell: Locator, timeout: float = 30) -> None:
        """Wait until every strip's canvas is painted and stays: a canvas exists a few ms before
        anything is painted, and the widget draws its canvases anew to fit the page's width."""
        self.image(cell).wait_for(timeout=timeout * 1000)
        cell.evaluate(SETTLED_JS, timeout * 1000)

    def click_canvas(self, cell: Locator, x: float, y: float, strip: int = 0) -> None:
        """Click a strip at (x, y), in CSS px from its top-left; wait for the answer field's focus.

        The kernel answers a click by focusing the field (after any change to its text), so
        typing before that could be wiped by the kernel's reply; a student is never that fast.
        """
        self.canvas(cell).nth(strip).click(position={"x": x, "y": y})
        self.text_input(cell).evaluate(FOCUSED_JS, 10_000)

    @staticmethod
    def text_input(cell: Locator) -> Locator:
        return cell.locator(".lub-answer input[type=text]")

    def type_answer(self, cell: Locator, text: str) -> None:
        """Type into the cell's answer field and press Enter, the way a student submits."""
        field = self.text_input(cell)
        field.fill(text)
        field.press("Enter")

    @staticmethod
    def button(cell: Locator, label: str) -> Locator:
        exactly = re.compile(rf"^\s*{re.escape(label)}\s*$", re.IGNORECASE)
        return cell.locator("button.jupyter-button", has_text=exactly)

    def screenshot_outputs(self, folder) -> list:
        """Save the page and every cell's output area as PNGs in ``folder``; their paths.

        Output areas one by one, since a full-page shot misses what JupyterLab scrolls inside its panel.
        """
        folder.mkdir(parents=True, exist_ok=True)
        saved = [folder / "page.png"]
        self.page.screenshot(path=saved[0])
        outputs = self.page.locator(".jp-Cell .jp-Cell-outputArea:has(.jp-OutputArea-child)")
        for index in range(outputs.count()):
            path = folder / f"output-{index:02d}.png"
            try:
                outputs.nth(index).screenshot(path=path, timeout=5_000)
                saved.append(path)
            except PlaywrightTimeoutError:
                pass  # a collapsed or hidden output has no size to capture
        return saved
