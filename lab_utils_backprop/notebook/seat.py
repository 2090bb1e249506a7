"""The student's seat in the page: the answer input, and the keys pressed in the graph kept in it.

JupyterLab decides in the page whether a key is a notebook shortcut (``d d`` deletes a cell,
``a``/``b`` insert one, ``m``, ``z``, arrows, digits, Escape): Lumino's keymap walks up from the
key's target, and its command-mode selectors (``.jp-Notebook.jp-mod-commandMode
:not(.jp-mod-readWrite) :focus``) match any focused element that is not a text field, so a
``<select>``, a button or ipympl's canvas div all trigger them. The walk stops at an element
carrying ``data-lm-suppress-shortcuts``, JupyterLab's own way to opt out (its shortcut editor
uses it). ipywidgets sets classes, not attributes, so the page script of :class:`AnswerInput`
(an `anywidget`_) puts the attribute on the target of any key pressed inside a graph (an
element of class ``GRAPH_CLASS``) before JupyterLab sees the key.

It also keeps typing where the student means it. ipympl's canvas takes the focus on a press
and swallows every key (Tab too: a keyboard trap). So a press on a canvas empties the graph's
answer input and focuses it at once, in the page: what is typed right after a click lands
there, however fast, and a text the kernel sends for the input (it may be on its way) does
not replace what the student typed since. A key pressed on a focused canvas goes to the answer
too; Tab leaves. Enter sends the text as a message, in order with the canvas's own messages,
so the kernel judges it for the box the click chose. And it tells the kernel the width the
page gives the graph, when shown and when it changes, so the diagram is wrapped to fit it.

.. _anywidget: https://anywidget.dev
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["GRAPH_CLASS", "AnswerInput"]

#: The class of a graph's outermost box: keys pressed inside it never reach the notebook.
GRAPH_CLASS = "lub-graph"

_ESM = """
const GRAPH = ".GRAPH_CLASS", ANSWER = ".lub-answer input", CANVAS = ".jupyter-matplotlib-canvas-div";
const INSTALLED = "lab_utils_backprop seat v3";  // a new version installs its own listeners

function answerOf(target) {
  const graph = target instanceof Element ? target.closest(GRAPH) : null;
  return graph ? graph.querySelector(ANSWER) : null;
}

function onKeydown(event) {
  const target = event.target;
  const answer = answerOf(target);
  if (!answer) return;
  // Lumino stops looking for a shortcut at an element with this attribute.
  target.setAttribute("data-lm-suppress-shortcuts", "true");
  if (!target.matches(CANVAS) || event.ctrlKey || event.metaKey || event.altKey) return;
  // Not to ipympl, which would prevent the default: Tab and Shift+Tab move on, and a key
  // meant as typing (or Escape, Enter) takes the student to the answer, the character with it.
  event.stopPropagation();
  const typing = event.key.length === 1 || ["Backspace", "Escape", "Enter"].includes(event.key);
  if (event.key !== "Tab" && typing) answer.focus();
}

// Listening as the press bubbles to window: after ipympl has seen it and focused its canvas.
function onMousedown(event) {
  const answer = event.button === 0 ? answerOf(event.target) : null;
  if (!answer || !event.target.closest(CANVAS)) return;
  answer.value = "";
  answer.dataset.typed = "";
  answer.focus();
}

// The width the page gives the graph, once shown and whenever it changes (a window or a
// side panel resized), so that the kernel wraps the diagram to fit it.
function reportWidth(model, el, tries) {
  const graph = el.closest(GRAPH);
  if (!graph) {
    if (tries > 0) requestAnimationFrame(() => reportWidth(model, el, tries - 1));
    return;
  }
  const area = graph.parentElement;
  let sent = 0, timer = null;
  new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const width = Math.floor(area.clientWidth) - 12;  // room for the canvases' borders
      if (width > 0 && Math.abs(width - sent) >= 4) {
        sent = width;
        model.send({ event: "width", px: width });
      }
    }, 100);
  }).observe(area);
}

function render({ model, el }) {
  el.classList.add("lub-answer");
  el.style.cssText = "display: flex; align-items: center; gap: 6px; margin: 2px 0; max-width: 100%;";
  const label = document.createElement("label");
  const input = document.createElement("input");
  input.type = "text";
  input.autocomplete = "off";
  input.style.cssText = "width: 14em; min-width: 6em; flex: 0 1 auto; font: inherit; padding: 2px 6px;";
  label.append(document.createElement("span"), input);
  label.style.cssText = "display: flex; align-items: center; gap: 6px; white-space: nowrap; max-width: 100%;";
  el.append(label);
  const show = () => {
    label.firstChild.textContent = model.get("description");
    input.placeholder = model.get("placeholder");
  };
  // The kernel's text, unless the student typed since the last press on a canvas or Enter.
  const fill = () => { if (!input.dataset.typed) input.value = model.get("value"); };
  input.addEventListener("input", () => { input.dataset.typed = "yes"; });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    input.dataset.typed = "";
    model.send({ event: "submit", text: input.value });
  });
  model.on("change:description change:placeholder", show);
  model.on("change:value", fill);
  // ipympl leaves a closed canvas's element in the page: drop those of earlier strips.
  model.on("change:strips", () => {
    const graph = el.closest(GRAPH), live = model.get("strips");
    if (!graph || !live) return;
    for (const old of graph.querySelectorAll('[class*="lub-strips-"]')) {
      if (!old.classList.contains(live)) old.remove();
    }
  });
  model.on("msg:custom", (message) => { if (message.event === "focus") input.focus(); });
  show();
  fill();
  requestAnimationFrame(() => reportWidth(model, el, 600));
  if (!window[INSTALLED]) {
    window[INSTALLED] = true;
    // Keys captured on window: before ipympl's handlers on the canvas and JupyterLab's keymap.
    window.addEventListener("keydown", onKeydown, true);
    window.addEventListener("mousedown", onMousedown);
  }
}

export default { render };
""".replace("GRAPH_CLASS", GRAPH_CLASS)


class AnswerInput(anywidget.AnyWidget):
    """The input a student types an answer in; Enter in the page calls :meth:`submit`.

    Put it in a box of class ``GRAPH_CLASS``: its page script then guards every key pressed
    in that box (see the module's docstring).

    Examples
    --------
    >>> answer = AnswerInput(description="a =")
    >>> answer.on_submit(lambda text: print(f"judge {text!r}"))
    >>> answer.submit("11")
    judge '11'
    """

    _esm = _ESM
    value = traitlets.Unicode("").tag(sync=True)  # the text shown (a student's typing wins, see above)
    description = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)
    strips = traitlets.Unicode("").tag(sync=True)  # the class of the graph's canvases now shown

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._submitted, self._widths = [], []
        self.on_msg(self._handle_page_message)

    def on_submit(self, callback) -> None:
        """Call ``callback(text)`` on each Enter."""
        self._submitted.append(callback)

    def on_width(self, callback) -> None:
        """Call ``callback(css_px)`` with the width the page gives the graph, when shown and changed."""
        self._widths.append(callback)

    def submit(self, text: str) -> None:
        """What Enter in the page does: the text typed goes to the callbacks."""
        self.value = text
        for callback in self._submitted:
            callback(text)

    def focus(self) -> None:
        """Move the page's keyboard focus to the input (nothing happens where no page shows it)."""
        self.send({"event": "focus"})

    def _handle_page_message(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict):
            return
        if content.get("event") == "submit":
            self.submit(str(content.get("text", "")))
        elif content.get("event") == "width" and isinstance(content.get("px"), (int, float)):
            for callback in self._widths:
                callback(content["px"])
