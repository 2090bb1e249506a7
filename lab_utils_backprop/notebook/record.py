"""A student's answers carried in the notebook itself, for a grader that runs it again.

An autograder (nbgrader, otter-grader) runs a submitted notebook from the top in a fresh
kernel: the answers a student typed into a graph live only in the widget, and the progress
file stays behind in a hidden folder. So each shown graph also writes an output of its own,
of a type no front end draws (:data:`MIME`: nothing is seen), holding every box's status and
text, and keeps it up to date as the student works (a display update by id). JupyterLab,
Notebook 7 and VS Code save it with the notebook like any output.

A grading cell then asks :func:`submitted`: it reads the notebook as handed in, from the
kernel's folder (the grader runs the kernel beside the submission), and counts each
graph's boxes: typed right, revealed, wrong and empty::

    from lab_utils_backprop.notebook.record import submitted
    counts = submitted(config_nw1)   # {'typed_right': 11, 'revealed': 1, 'wrong': 1, 'empty': 0}
    assert counts["typed_right"] >= 10

Nothing here raises into a student's typing: a record that cannot be sent is skipped.
"""

from __future__ import annotations

import functools
import json
import os
import uuid
import weakref
from pathlib import Path

from ..exercise.tutor import Tutor
from .progress import progress_key

__all__ = ["MIME", "changed", "counts", "records_in", "shown", "submitted"]

#: The output type of a record: a JSON object no front end renders.
MIME = "application/vnd.lab-utils-backprop.answers+json"
VERSION = 1
STATUSES = {"right": "typed_right", "revealed": "revealed", "wrong": "wrong", "empty": "empty"}

# The display id of each widget shown, and what its record holds per graph key.
_shown: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def counts(states) -> dict[str, int]:
    """Count boxes by what the student did: ``states`` maps box id to a BoxState or a status.

    Examples
    --------
    >>> counts({"a": "right", "b": "revealed", "c": "empty"})
    {'typed_right': 1, 'revealed': 1, 'wrong': 0, 'empty': 1}
    """
    tally = dict.fromkeys(STATUSES.values(), 0)
    for state in states.values():
        tally[STATUSES[getattr(state, "status", state)]] += 1
    return tally


def _entry(tutor) -> dict:
    return {
        "equations": [eq.source for eq in tutor.graph.equations],
        "boxes": {box_id: {"status": s.status, "text": s.text} for box_id, s in tutor.states().items()},
    }


def _publish(widget, update: bool) -> None:
    try:
        from IPython.core.interactiveshell import InteractiveShell

        shell = InteractiveShell.instance() if InteractiveShell.initialized() else None
        if getattr(shell, "kernel", None) is None:  # a terminal, a script: no notebook to carry it
            return
        display_id, graphs, _ = _shown[widget]
        graphs[progress_key(widget.tutor.graph)] = _entry(widget.tutor)
        shell.display_pub.publish(
            {MIME: {"version": VERSION, "graphs": graphs}},
            metadata={},
            transient={"display_id": display_id},
            update=update,
        )
    except Exception:  # noqa: BLE001 - a record is a courtesy: never break the lesson for it
        return


def shown(widget, bundle: dict) -> dict:
    """The widget is being shown: write its record as an output of the cell; return ``bundle``.

    The record then follows the answers of the graph shown (its Tutor); a graph shown
    again after "New numbers" is followed too.
    """
    if widget not in _shown:
        _shown[widget] = (f"lab-utils-backprop-{uuid.uuid4().hex}", {}, [])
    followed = _shown[widget][2]
    if not any(ref() is widget.tutor for ref in followed):
        followed.append(weakref.ref(widget.tutor))
        widget.tutor.subscribe(functools.partial(_changed, weakref.ref(widget)))  # no cycle kept alive
    _publish(widget, update=False)
    return bundle


def changed(widget, box_ids=None) -> None:
    """Bring the widget's record up to date (a Tutor listener calls this on every change)."""
    if widget in _shown:
        _publish(widget, update=True)


def _changed(widget_ref: weakref.ref, box_ids=None) -> None:
    widget = widget_ref()
    if widget is not None:
        changed(widget, box_ids)


def records_in(nb: dict) -> dict[str, dict]:
    """Every graph record in a notebook (parsed JSON), by graph key; later outputs win."""
    found: dict[str, dict] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            record = output.get("data", {}).get(MIME)
            if isinstance(record, dict) and record.get("version") == VERSION:
                found.update(record.get("graphs") or {})
    return found


def _notebooks(folder: Path) -> list[Path]:
    """The notebooks a grading cell may be in: the one the server names first, then newest first.

    nbgrader's autograde runs a copy whose outputs it cleared, in ``autograded/STUDENT/ASSIGNMENT``;
    the notebook as handed in is then in ``submitted/STUDENT/ASSIGNMENT`` (its default layout).
    """
    found = sorted(folder.glob("*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True)
    named = os.environ.get("JPY_SESSION_NAME")
    found.sort(key=lambda p: not (named and Path(named).name == p.name))
    grading = os.environ.get("NBGRADER_EXECUTION") == "autograde" and len(folder.parents) > 2
    if grading and folder.parents[1].name == "autograded":
        handed_in = folder.parents[2] / "submitted" / folder.parent.name / folder.name
        found = sorted(handed_in.glob("*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True) + found
    return found


def submitted(graph, folder: str | os.PathLike | None = None) -> dict[str, int]:
    """The counts of ``graph``'s boxes as the notebook handed in records them.

    ``graph`` is a ComputationGraph or the GraphWidget showing it; ``folder`` holds the
    notebook (default: the kernel's folder, which is the notebook's). Each recorded text is
    judged again (so a record edited by hand counts only what its texts earn); a revealed
    box stays revealed. A graph no notebook records counts as all empty.

    Examples
    --------
    >>> from lab_utils_backprop.engine.examples import config_nw0
    >>> submitted(config_nw0, folder="/nonexistent")
    {'typed_right': 0, 'revealed': 0, 'wrong': 0, 'empty': 5}
    """
    graph = getattr(getattr(graph, "tutor", None), "graph", graph)
    key, tutor = progress_key(graph), Tutor(graph)
    for path in _notebooks(Path.cwd() if folder is None else Path(folder).absolute()):
        try:
            record = records_in(json.loads(path.read_text(encoding="utf-8"))).get(key)
        except (OSError, ValueError):
            continue
        if record is not None:
            known = {box.id for box in tutor.boxes}
            for box_id, box in (record.get("boxes") or {}).items():
                if box_id not in known or not isinstance(box, dict):
                    continue
                if box.get("status") == "revealed":
                    tutor.reveal(box_id)
                elif box.get("status") in ("right", "wrong") and isinstance(box.get("text"), str):
                    tutor.enter(box["text"], box_id)
            break
    return counts(tutor.states())
