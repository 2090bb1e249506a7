"""Interactive lessons on backpropagation through a computation graph.

The original lab's notebooks do ``from sympy import *`` and then
``from lab_utils_backprop import *``; ``__all__`` is kept short and free of sympy names so
the second import never hides the first. Names are imported on first use (PEP 562), so
``import lab_utils_backprop.engine`` loads neither matplotlib nor ipywidgets.
"""

from __future__ import annotations

import importlib

#: Each public name and the module that defines it.
_PUBLIC = {
    "AnswerError": "exercise.answers",
    "check": "exercise.answers",
    "parse_answer": "exercise.answers",
    "GraphError": "engine.equations",
    "ComputationGraph": "engine.graph",
    "config_fanout": "engine.examples",
    "config_neuron": "engine.examples",
    "config_nw0": "engine.examples",
    "config_nw1": "engine.examples",
    "GraphWidget": "notebook.widget",
    "interactive_graph": "notebook.shown",
    "plt_network": "notebook.original_lab",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
