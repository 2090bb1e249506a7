"""What a student waits for in the browser, as ratios to an empty ipympl figure's round trip.

Run: ``python benchmarks/bench_browser.py [--entries N]`` (needs Debian's Chromium at
/usr/bin/chromium and the playwright package, as the browser tests do). It serves a copy of
the main lesson in JupyterLab, runs it in headless Chromium, and adds one cell showing an
empty ipympl figure whose click handler only changes its colour: the round trip every
figure pays (mousedown, the comm message, the kernel, a frame back, painted). Then, on the
part-2 graph, for each entry: a click on a box, typing, Enter, timed in the page with its
own clock (``performance.now()``):

- click to input ready: mousedown to the answer input focused, ready for typing;
- Enter to message shown: Enter's keydown to the feedback text changed in the page;
- Enter to box repainted: Enter's keydown to changed pixels in the box, at the next frame.

Entries alternate a wrong and a right answer so that each changes its box. Figures are
medians and maxima in ms, and the same divided by the empty figure's median round trip,
measured in the same run: the ratios are what a busy or a faster machine should leave alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

import nbformat  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_FLAGS, missing_prerequisite  # noqa: E402
from lab_server import JupyterLabServer, kill_processes_mentioning  # noqa: E402
from lesson_copy import PROBE_MARKER, copy_lesson, parse_probe  # noqa: E402

WAIT = 10_000  # ms a watch waits for its event before it reports None
BASELINE_MARKER = "bench-browser baseline"
BASELINE_SOURCE = f"""\
# {BASELINE_MARKER}: an empty figure whose click only changes its colour
import matplotlib.pyplot as _plt

with _plt.ioff():
    _fig = _plt.figure(figsize=(3, 1), dpi=100)
_fig.canvas.toolbar_visible = _fig.canvas.header_visible = _fig.canvas.footer_visible = False
_clicks = [0]


def _flip(event):
    _clicks[0] += 1
    _fig.set_facecolor("#d62728" if _clicks[0] % 2 else "#1f77b4")
    _fig.canvas.draw_idle()


_fig.canvas.mpl_connect("button_press_event", _flip)
_fig.canvas
"""

# ms from a trigger event on ``source`` to a change of pixels at (x, y) of ``canvas``.
WATCH_PIXELS_JS = """([source, kind, canvas, x, y, timeout]) => {
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const context = canvas.getContext("2d");
    const left = Math.round(x * scale) - 2, top = Math.round(y * scale) - 2;
    const read = () => context.getImageData(left, top, 5, 5).data.join();
    const before = read();
    let start = null;
    const stop = new AbortController();
    source.addEventListener(kind, (event) => {
        if (kind !== "keydown" || event.key === "Enter") start ??= performance.now();
    }, {capture: true, signal: stop.signal});
    const done = new Promise((resolve) => {
        const begun = performance.now();
        const tick = () => {
            if (start !== null && read() !== before) return resolve(performance.now() - start);
            if (performance.now() - begun > timeout) return resolve(null);
            requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    }).finally(() => stop.abort());
    return {done};
}"""

# ms from Enter's keydown on ``field`` to a change of ``message``'s text.
WATCH_TEXT_JS = """([field, message, timeout]) => {
    const before = message.textContent;
    let start = null;
    field.addEventListener("keydown", (event) => { if (event.key === "Enter") start ??= performance.now(); },
                           {capture: true, once: true});
    return {done: new Promise((resolve) => {
        const begun = performance.now();
        const tick = () => {
            if (start !== null && message.textContent !== before) return resolve(performance.now() - start);
            if (performance.now() - begun > timeout) return resolve(null);
            requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    })};
}"""

WATCH_FOCUS_JS = """([field, canvas, timeout]) => {
    let down = null;
    canvas.addEventListener("mousedown", () => { down ??= performance.now(); }, {capture: true, once: true});
    return {done: new Promise((resolve) => {
        field.addEventListener("focus", () => resolve(performance.now() - down), {once: true});
        setTimeout(() => resolve(document.activeElement === field && down !== null ? 0 : null), timeout);
    })};
}"""


def watched(page, script, args):
    """Start a watch in the page; its promise, to await after the action."""
    return page.evaluate_handle(script, args)


def run(entries: int) -> dict[str, list[float]]:
    from lab_page import LabPage
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-browser-", ignore_cleanup_errors=True) as scratch:
        scratch = Path(scratch)
        root = scratch / "root"
        lesson = REPO / "notebooks" / "backprop_computation_graph.ipynb"
        copy = copy_lesson(lesson, root, "config_nw1")
        notebook = nbformat.read(copy, as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(BASELINE_SOURCE))
        nbformat.write(notebook, copy)
        times: dict[str, list[float]] = {"empty figure round trip": [], "click to input ready": []}
        times |= {"Enter to message shown": [], "Enter to box repainted": []}
        with JupyterLabServer(root, scratch / "jupyter", pythonpath=REPO) as server, sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                scratch / "profile", executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True,
                viewport={"width": 1280, "height": 1000}, env={"HOME": str(scratch / "home")},
            )  # fmt: skip
            try:
                page = context.pages[0] if context.pages else context.new_page()
                lab = LabPage(page)
                lab.open_notebook(server.url, f"{copy.parent.name}/{copy.name}")
                lab.run_all_cells()
                cell = lab.figure_cell("interactive_graph(config_nw1)")
                lab.wait_for_drawn_canvas(cell)
                boxes = list(parse_probe(lab.output_text(lab.code_cell(PROBE_MARKER))).values())
                baseline = lab.figure_cell(BASELINE_MARKER)
                lab.wait_for_drawn_canvas(baseline)
                empty, image = lab.canvas(baseline).first, lab.image(baseline).element_handle()
                for _ in range(entries):
                    watch = watched(
                        page, WATCH_PIXELS_JS, [empty.element_handle(), "mousedown", image, 150, 50, WAIT]
                    )
                    empty.click(position={"x": 150, "y": 50})
                    times["empty figure round trip"].append(watch.evaluate("(w) => w.done"))
                field = lab.text_input(cell).element_handle()
                message = cell.locator(".widget-html-content").first.element_handle()
                for entry in range(entries):
                    box = boxes[entry % len(boxes)]
                    text = box.answer if (entry // len(boxes)) % 2 else box.wrong
                    canvas = lab.canvas(cell).nth(box.strip)
                    watch = watched(page, WATCH_FOCUS_JS, [field, canvas.element_handle(), WAIT])
                    canvas.click(position={"x": box.x, "y": box.y})
                    times["click to input ready"].append(watch.evaluate("(w) => w.done"))
                    page.keyboard.type(text)
                    image = lab.image(cell, box.strip).element_handle()
                    shown = watched(page, WATCH_TEXT_JS, [field, message, WAIT])
                    painted = watched(page, WATCH_PIXELS_JS, [field, "keydown", image, box.x, box.y, WAIT])
                    page.keyboard.press("Enter")
                    times["Enter to message shown"].append(shown.evaluate("(w) => w.done"))
                    times["Enter to box repainted"].append(painted.evaluate("(w) => w.done"))
                    page.wait_for_timeout(100)  # the student reads the feedback
            finally:
                context.close()
                kill_processes_mentioning(str(scratch))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=26, help="entries per measure (default 26)")
    entries = parser.parse_args().entries
    reason = missing_prerequisite()
    if reason is not None:
        sys.exit(f"bench_browser: {reason}")
    times = run(entries)
    missing = {name: values.count(None) for name, values in times.items() if None in values}
    if missing:
        sys.exit(f"bench_browser: some events were never seen: {missing}")
    base = statistics.median(times["empty figure round trip"])
    print(f"{'what':<26} {'entries':>7} {'median ms':>9} {'max ms':>7} {'median x':>8} {'max x':>6}")
    for name, values in times.items():
        median, most = statistics.median(values), max(values)
        figures = f"{median:>9.1f} {most:>7.1f} {median / base:>8.2f} {most / base:>6.2f}"
        print(f"{name:<26} {len(values):>7} {figures}")


if __name__ == "__main__":
    main()
