"""Save and restore what a student has answered right, one small JSON file per user and folder.

The file lives beside the notebook, in ``.lab_utils_backprop/progress-USER.json`` (the
kernel's working directory is the notebook's folder in Jupyter; USER is the JupyterHub or
login name, so students sharing a course folder each keep their own). Each graph has its own
entry, keyed by :func:`graph_key`, so editing an exercise starts it afresh instead of
restoring stale answers::

    {"version": 1, "graphs": {key: {"answers": {box_id: text}, "updated": iso8601}}}

Two kernels on one file (two lessons open at once) keep each other's answers: a store keeps
its own changes box by box and, under a lock, applies them to what is on disk.

No method of :class:`ProgressStore` raises for a problem with the file or its folder: the
lesson goes on in memory, and the problem is told once per store, both as a
:class:`ProgressWarning` and in :attr:`ProgressStore.notices` for a widget to show.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

from .progress_file import (
    NotAProgressFileError,
    NotARegularFileError,
    default_path,
    locked,
    make_folder,
    parse,
    read_file,
    write_atomically,
)

__all__ = ["ProgressStore", "ProgressWarning", "graph_key"]

VERSION = 1

_CORRUPT = "Your saved progress file was unreadable{why}; it was kept as {name} and a new one started."
_STUCK = (
    "Your saved progress file {name} was unreadable ({reason}) and could not be kept aside "
    "({error}); it was left as it is, and your answers count in this session only."
)
_UNSAVED = "Progress can't be saved here ({reason}); your answers still count in this session."


class ProgressWarning(UserWarning):
    """A problem with the progress file; the lesson goes on without it."""


def graph_key(equations: str | Iterable[str], values: Mapping, params=None) -> str:
    """Return a short key that names one exercise, stable across processes.

    Whitespace and blank lines in the equations do not matter; any other change to an
    equation, a value or a parameter gives a different key.

    Parameters
    ----------
    equations : str or iterable of str
        The equations, one per line.
    values : mapping
        Input name to value; each value enters the key as ``str(value)``.
    params : mapping or iterable of str, optional
        Further settings of the exercise (a mapping, or a collection of names).

    Examples
    --------
    >>> graph_key("a = 2 + 3*w\\nJ = a**2", {"w": 3}) == graph_key(" a=2+3*w\\n\\nJ=a**2", {"w": 3})
    True
    >>> graph_key("J = a**2", {"a": 3}) == graph_key("J = a**2", {"a": 4})
    False
    """
    if not isinstance(equations, str):
        equations = "\n".join(equations)
    lines = ["".join(line.split()) for line in equations.splitlines()]
    if params is None:
        params = []
    elif isinstance(params, Mapping):
        params = sorted([str(k), str(v)] for k, v in params.items())
    else:
        params = sorted(str(p) for p in ([params] if isinstance(params, str) else params))
    canonical = {
        "equations": [line for line in lines if line],
        "values": sorted([str(k), str(v)] for k, v in values.items()),
        "params": params,
    }
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(f"v{VERSION}:{text}".encode("ascii")).hexdigest()[:16]


class ProgressStore:
    """The right answers of every graph, kept in one JSON file.

    The store keeps its own changes (a box answered, a box forgotten, a graph cleared) in
    order until they reach the disk. Every change takes the file's lock, re-reads the file,
    applies those changes to what it holds and writes it whole and atomically (a temporary
    file in the same folder, flushed, synced, then ``os.replace``). So stores of one file in
    two kernels, even on the same graph, keep every answer each of them gave.

    Parameters
    ----------
    path : path-like, optional
        The file; by default ``.lab_utils_backprop/progress-USER.json`` in the current folder.

    Attributes
    ----------
    path : pathlib.Path
        The file, as an absolute path.
    notices : list of str
        Messages for the student, each problem at most once; also given as warnings.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> ProgressStore(folder / "progress.json").record("k1", "a", "17")
    >>> ProgressStore(folder / "progress.json").load("k1")
    {'a': '17'}
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = default_path(Path.cwd()) if path is None else Path(path).absolute()
        self.notices: list[str] = []
        self._reported: set[str] = set()
        # Changes not yet on disk, in order: (key, box_id, text), text None to forget the box,
        # box_id None to clear the graph.
        self._pending: list[tuple[str, str | None, str | None]] = []

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.path)!r})"

    def load(self, key: str) -> dict[str, str]:
        """Return the graph's saved answers, box id to text (a new dict, empty if none)."""
        _check_str(key=key)
        graphs = _apply(self._read() or {}, self._pending)
        return dict(graphs[key]["answers"]) if key in graphs else {}

    def save(self, key: str, answers: Mapping[str, str]) -> None:
        """Replace the graph's answers with ``answers`` (empty: drop the graph's entry)."""
        _check_str(key=key)
        answers = dict(answers)
        for box_id, text in answers.items():
            _check_str(box_id=box_id, text=text)
        self._commit([(key, None, None)] + [(key, box_id, text) for box_id, text in answers.items()])

    def update(self, key: str, answers: Mapping[str, str], before: Mapping[str, str]) -> None:
        """Save what changed from ``before`` to ``answers``, box by box, keeping other boxes.

        Unlike :meth:`save`, boxes another kernel saved meanwhile stay (a widget calls this).
        """
        _check_str(key=key)
        changes = [(key, box_id, text) for box_id, text in answers.items() if before.get(box_id) != text]
        changes += [(key, box_id, None) for box_id in before if box_id not in answers]
        for _, box_id, text in changes:
            _check_str(box_id=box_id, text=text if text is not None else "")
        self._commit(changes)

    def record(self, key: str, box_id: str, text: str) -> None:
        """Add one right answer to the graph's progress and save."""
        _check_str(key=key, box_id=box_id, text=text)
        self._commit([(key, box_id, text)])

    def forget(self, key: str, box_id: str) -> None:
        """Remove one box's answer from the graph's progress and save."""
        _check_str(key=key, box_id=box_id)
        self._commit([(key, box_id, None)])

    def clear(self, key: str) -> None:
        """Drop all of the graph's progress (the widget asks for confirmation first)."""
        _check_str(key=key)
        self._commit([(key, None, None)])

    def _commit(self, changes: list) -> None:
        self._pending.extend(changes)
        graphs = self._read()
        if graphs is None:  # a file we must not overwrite; already reported
            return
        if _apply(graphs, self._pending) != graphs:  # else nothing to write: no folder, no lock
            try:
                make_folder(self.path.parent)
                with locked(self.path):
                    graphs = self._read()  # what other kernels wrote meanwhile
                    if graphs is None:
                        return
                    updated = _apply(graphs, self._pending)
                    if updated != graphs:
                        doc = {"version": VERSION, "graphs": updated}
                        data = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("ascii")
                        write_atomically(self.path, data + b"\n")
            except OSError as exc:
                self._report("unsaved", _UNSAVED.format(reason=_reason(exc)))
                return
        self._pending.clear()

    def _read(self) -> dict | None:
        """Return the file's graphs; {} if there is none; None if it must be left alone."""
        try:
            data = read_file(self.path)
        except (PermissionError, NotAProgressFileError) as exc:
            return self._set_aside(exc)
        except OSError as exc:
            self._report("unsaved", _UNSAVED.format(reason=_reason(exc)))
            return None
        if data is None:
            return {}
        try:
            return parse(data, VERSION)
        except (ValueError, RecursionError) as exc:
            return self._set_aside(exc)

    def _set_aside(self, problem: Exception) -> dict | None:
        backup = self.path.with_name(f"{self.path.name}.corrupt-{_timestamp()}")
        n = 1
        while os.path.lexists(backup):  # never overwrite an older backup
            backup = backup.with_name(f"{self.path.name}.corrupt-{_timestamp()}-{n}")
            n += 1
        try:
            os.rename(self.path, backup)
        except FileNotFoundError:  # another store has just set it aside
            return {}
        except OSError as exc:
            message = _STUCK.format(name=self.path.name, reason=_reason(problem), error=_reason(exc))
            self._report("corrupt", message)
            self._reported.add("unsaved")  # the message above says so already
            return None
        self._report("corrupt", _CORRUPT.format(why=_why(problem), name=backup.name))
        return {}

    def _report(self, problem: str, message: str) -> None:
        if problem not in self._reported:
            self._reported.add(problem)
            self.notices.append(message)
            # Point the warning at the caller's code (a notebook cell), not at this file.
            level, frame = 1, sys._getframe(0)
            while frame is not None and frame.f_code.co_filename == __file__:
                level, frame = level + 1, frame.f_back
            warnings.warn(message, ProgressWarning, stacklevel=level)


def _apply(graphs: dict, changes: list) -> dict:
    """``graphs`` with ``changes`` applied in order (a new dict; entries left empty are dropped)."""
    updated = {key: {"answers": dict(e["answers"]), "updated": e["updated"]} for key, e in graphs.items()}
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for key, box_id, text in changes:
        answers = updated.setdefault(key, {"answers": {}, "updated": now})["answers"]
        if box_id is None:
            answers.clear()
        elif text is None:
            answers.pop(box_id, None)
        elif answers.get(box_id) != text:
            answers[box_id] = text
            updated[key]["updated"] = now
    return {key: e for key, e in updated.items() if e["answers"]}


def _check_str(**arguments: object) -> None:
    for name, value in arguments.items():
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, not {type(value).__name__}")


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _why(problem: Exception) -> str:
    """What the notice says of the problem: the kind of thing found, not a parser's message."""
    return f" ({problem})" if isinstance(problem, NotARegularFileError) else ""


def _timestamp() -> str:
    return time.strftime("%Y%m%dT%H%M%S")


def open_store(progress) -> ProgressStore | None:
    """The store that a widget's ``progress`` names: True (the default file), a path, a store, or False."""
    if progress is False or progress is None:
        return None
    if progress is True:
        return ProgressStore()
    if isinstance(progress, ProgressStore):
        return progress
    return ProgressStore(Path(progress))


def progress_key(graph) -> str:
    """The key of a graph's saved answers: its equations, leaf values, parameters and output."""
    values = {name: graph.value(name) for name in graph.leaves}
    return graph_key(
        [eq.source for eq in graph.equations],
        values,
        {"params": " ".join(graph.params), "output": graph.output},
    )
