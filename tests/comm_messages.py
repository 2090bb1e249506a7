"""What the browser sends a kernel's widgets, delivered through their own comm handlers.

Tests that play the page without a browser (one thread or two) send exactly these messages:
a custom message as the widget manager delivers it, the answer input's Enter, a click on a
canvas as ipympl's page sends it (device pixels from the top-left corner), a button press.
"""


def from_browser(widget, content):
    """Deliver a custom message as the browser's widget manager does, through the comm handler."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def browser_types(answer, text):
    """The answer input's page script sends the text typed as a message when Enter is pressed."""
    from_browser(answer, {"event": "submit", "text": text})


def browser_clicks(widget, box_id):
    """A press and release on a box, where the graph widget draws it."""
    canvas = widget.figure_of(box_id).canvas
    x, y = widget.css_position(box_id)  # the browser counts CSS pixels, ipympl's events device pixels
    ratio = canvas.device_pixel_ratio
    press = {"x": x * ratio, "y": y * ratio, "button": 0, "buttons": 1, "modifiers": [], "guiEvent": {}}
    from_browser(canvas, {"type": "button_press", **press})
    from_browser(canvas, {"type": "button_release", **press, "buttons": 0})


def browser_presses(button):
    """A click on an ipywidgets Button."""
    from_browser(button, {"event": "click"})
