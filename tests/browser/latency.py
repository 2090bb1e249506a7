"""Time, inside the page, what a student waits for: a click to reach the answer field, Enter to repaint.

The clock is the page's own ``performance.now()``, started by the real DOM event (mousedown,
the Enter keydown) and stopped by what the student sees: the field taking focus, or a changed
pixel in the box at the next animation frame. Playwright's own round trips are not counted.
Each watch is set up before the action and handed back as a promise, so no event is missed.
"""

from __future__ import annotations

__all__ = ["click_to_focus", "enter_to_repaint"]

WATCH_FOCUS_JS = """(field, [target, timeout]) => {
    const stop = new AbortController();
    let down = null;
    target.addEventListener("mousedown", () => { down ??= performance.now(); },
                            {capture: true, signal: stop.signal});
    const done = new Promise((resolve) => {
        field.addEventListener("focus", () => { if (down !== null) resolve(performance.now() - down); },
                               {signal: stop.signal});
        setTimeout(() => resolve(null), timeout);
    }).finally(() => stop.abort());
    return {done};
}"""

WATCH_REPAINT_JS = """(field, [canvas, x, y, radius, timeout]) => {
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const size = Math.round((2 * radius + 1) * scale);
    const left = Math.round((x - radius) * scale), top = Math.round((y - radius) * scale);
    const context = canvas.getContext("2d");
    const read = () => context.getImageData(left, top, size, size).data.join();
    const before = read();
    const stop = new AbortController();
    let pressed = null;
    field.addEventListener("keydown", (event) => {
        if (event.key === "Enter") pressed ??= performance.now();
    }, {capture: true, signal: stop.signal});
    const done = new Promise((resolve) => {
        const start = performance.now();
        const tick = () => {
            if (pressed !== null && read() !== before) return resolve(performance.now() - pressed);
            if (performance.now() - start > timeout) return resolve(null);
            requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    }).finally(() => stop.abort());
    return {done};
}"""


def click_to_focus(lab, cell, x: float, y: float, strip: int = 0, timeout: float = 10) -> float | None:
    """Click a strip of the figure at (x, y); ms from mousedown to the answer field focused (None: never)."""
    canvas = lab.canvas(cell).nth(strip)
    watch = lab.text_input(cell).evaluate_handle(WATCH_FOCUS_JS, [canvas.element_handle(), timeout * 1000])
    canvas.click(position={"x": x, "y": y})
    return watch.evaluate("(watch) => watch.done")


def enter_to_repaint(
    lab, cell, text: str, x: float, y: float, strip: int = 0, radius: int = 3, timeout: float = 10
):
    """Type ``text``, press Enter; ms from keydown to changed pixels at (x, y) of a strip (None: never)."""
    field = lab.text_input(cell)
    field.fill(text)
    watch = field.evaluate_handle(
        WATCH_REPAINT_JS, [lab.image(cell, strip).element_handle(), x, y, radius, timeout * 1000]
    )
    field.press("Enter")
    return watch.evaluate("(watch) => watch.done")
