"""Copy the lesson into a server root, with one extra cell that reports where its boxes are.

The test clicks where the package itself says a box is, and types what the package says
is right. The extra cell, run in the lesson's own kernel after everything else, builds a
widget of the same graph (same layout and figure size, so the same positions as the one on
the page, to which the lesson keeps no handle) and prints, as JSON the test reads back
from the page, each box's ``css_position``, its answer, and the Tutor's messages for a
right and a wrong entry, a first hint and a reveal. No coordinate, answer or message is
typed into the test.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

__all__ = ["PROBE_MARKER", "ProbedBox", "copy_lesson", "parse_probe"]

PROBE_MARKER = "browser-test probe"

PROBE_SOURCE = """\
# {marker}: where the boxes of {graph} are drawn, what they hold, what the tutor answers
import json as _json

from lab_utils_backprop.exercise.tutor import Tutor as _Tutor
from lab_utils_backprop.notebook.widget import GraphWidget as _GraphWidget

_probe = _GraphWidget({graph}, progress=False)
_boxes = {{}}
for _box in _probe.tutor.boxes:
    _wrong, _revealed = str(_box.answer + 1), _Tutor({graph})
    _revealed.reveal(_box.id)
    _boxes[_box.id] = {{
        "kind": _box.kind,
        "strip": _probe.figures.index(_probe.figure_of(_box.id)),
        "css_position": [float(_v) for _v in _probe.css_position(_box.id)],
        "answer": str(_box.answer),
        "wrong": _wrong,
        "right_message": _Tutor({graph}).enter(str(_box.answer), _box.id).message,
        "wrong_message": _Tutor({graph}).enter(_wrong, _box.id).message,
        "first_hint": _Tutor({graph}).hint(_box.id),
        "reveal_message": _revealed.state(_box.id).message,
    }}
_probe.close()
print(_json.dumps(_boxes))
"""


@dataclass(frozen=True)
class ProbedBox:
    """One box as the kernel reported it: where to click and what to type.

    ``strip`` is the canvas it is on (the widget shows a diagram in strips, top to bottom);
    ``x`` and ``y`` are CSS px from that canvas's top-left corner.
    """

    id: str
    kind: str
    strip: int
    x: float
    y: float
    answer: str
    wrong: str
    right_message: str
    wrong_message: str
    first_hint: str
    reveal_message: str


def copy_lesson(notebook: Path, destination: Path, graph: str) -> Path:
    """Copy ``notebook``, without its outputs, and the repo's images into ``destination``; the copy's path.

    The relative layout is kept (``notebooks/lesson.ipynb`` beside ``images/``) so the
    lesson's relative image links still resolve. ``graph`` names, in the lesson's
    namespace, the graph whose boxes are probed.
    """
    repo_dir = notebook.parent.parent
    copy = destination / notebook.parent.name / notebook.name
    copy.parent.mkdir(parents=True)
    if (repo_dir / "images").is_dir():
        shutil.copytree(repo_dir / "images", destination / "images")
    lesson = nbformat.read(notebook, as_version=4)
    # Blank prompts and no stored widget views, so "every prompt has a number" means this run ran it.
    lesson.metadata.pop("widgets", None)
    for cell in lesson.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    lesson.cells.append(nbformat.v4.new_code_cell(PROBE_SOURCE.format(marker=PROBE_MARKER, graph=graph)))
    nbformat.write(lesson, copy)
    return copy


def parse_probe(text: str) -> dict[str, ProbedBox]:
    """The probe cell's printed JSON, as boxes by id."""
    return {
        box_id: ProbedBox(
            box_id,
            info["kind"],
            info["strip"],
            *info["css_position"],
            info["answer"],
            info["wrong"],
            info["right_message"],
            info["wrong_message"],
            info["first_hint"],
            info["reveal_message"],
        )
        for box_id, info in json.loads(text).items()
    }
