"""Interactive lessons on backpropagation through a computation graph.

The original lab's notebooks do ``from sympy import *`` and then
``from lab_utils_backprop import *``; ``__all__`` is kept short and free of sympy
names so the second import never hides the first.
"""

from . import draw_warm
from .answers import AnswerError, check, parse_answer
from .equations import GraphError
from .examples import config_fanout, config_neuron, config_nw0, config_nw1
from .graph import ComputationGraph
from .widget import GraphWidget, interactive_graph, plt_network

# In a kernel, matplotlib's mathtext is made ready while the student reads the next cell.
draw_warm.when_idle()

__all__ = [
    "AnswerError",
    "ComputationGraph",
    "GraphError",
    "GraphWidget",
    "check",
    "config_fanout",
    "config_neuron",
    "config_nw0",
    "config_nw1",
    "interactive_graph",
    "parse_answer",
    "plt_network",
]
