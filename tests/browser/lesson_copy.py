"""Copy the lesson into a server root, with one extra cell that reports where its boxes are.

The test clicks where the package itself says a box is: the extra cell, run in the lesson's
own kernel after everything else, prints each box's position on the canvas (from the
widget's ``css_position``, that is from layout.py) and its answer (from exercise.py), as
JSON the test reads back from the page. No coordinate or answer is typed into the test.
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
# {marker}: where the boxes of {widget} are, and what they hold
import json as _json

print(_json.dumps({{
    box.id: {{
        "kind": box.kind,
        "css_position": [float(v) for v in {widget}.css_position(box.id)],
        "answer": str(box.answer),
        "wrong": str(box.answer + 1),
    }}
    for box in {widget}.boxes
}}))
"""


@dataclass(frozen=True)
class ProbedBox:
    """One box as the kernel reported it: where to click and what to type.

    ``x`` and ``y`` are CSS px from the canvas's top-left corner.
    """

    id: str
    kind: str
    x: float
    y: float
    answer: str
    wrong: str


def copy_lesson(notebook: Path, destination: Path, widget: str) -> Path:
    """Copy ``notebook`` and its sibling folders' images into ``destination``; the copy's path.

    The relative layout is kept (``notebooks/lesson.ipynb`` beside ``images/``) so the
    lesson's relative image links still resolve. ``widget`` is the expression, in the
    lesson's namespace, of the graph widget to probe.
    """
    repo_dir = notebook.parent.parent
    copy = destination / notebook.parent.name / notebook.name
    copy.parent.mkdir(parents=True)
    if (repo_dir / "images").is_dir():
        shutil.copytree(repo_dir / "images", destination / "images")
    lesson = nbformat.read(notebook, as_version=4)
    lesson.cells.append(nbformat.v4.new_code_cell(PROBE_SOURCE.format(marker=PROBE_MARKER, widget=widget)))
    nbformat.write(lesson, copy)
    return copy


def parse_probe(text: str) -> dict[str, ProbedBox]:
    """The probe cell's printed JSON, as boxes by id."""
    return {
        box_id: ProbedBox(box_id, info["kind"], *info["css_position"], info["answer"], info["wrong"])
        for box_id, info in json.loads(text).items()
    }
