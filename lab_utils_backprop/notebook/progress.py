"""Save and restore what a student has answered right, one small JSON file per folder.

The file lives beside the notebook, in ``.lab_utils_backprop/progress.json`` (the kernel's
working directory is the notebook's folder in Jupyter). Each graph has its own entry, keyed by
:func:`graph_key`, so editing an exercise starts it afresh instead of restoring stale answers::

    {"version": 1, "graphs": {key: {"answers": {box_id: text}, "updated": iso8601}}}

No method of :class:`ProgressStore` raises for a problem with the file or its folder: the
lesson goes on in memory, and the problem is told once per store, both as a
:class:`ProgressWarning` and in :attr:`ProgressStore.notices` for a widget to show.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["ProgressStore", "ProgressWarning", "graph_key"]

VERSION = 1
DEFAULT_FOLDER = ".lab_utils_backprop"
DEFAULT_FILENAME = "progress.json"

_CORRUPT = "Your saved progress file was unreadable; it was kept as {name} and a new one started."
_STUCK = (
    "Your saved progress file {name} was unreadable ({reason}) and could not be kept aside "
    "({error}); it was left as it is, and your answers count in this session only."
)
_UNSAVED = "Progress can't be saved here ({reason}); your answers still count in this session."


class ProgressWarning(UserWarning):
    """A problem with the progress file; the lesson goes on without it."""


class _NotAProgressFileError(ValueError):
    """The file is readable JSON of the wrong shape or version."""


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

    Every change re-reads the file and writes it whole and atomically (a temporary file in the
    same folder, flushed, synced, then ``os.replace``), so stores of different graphs on one
    file keep each other's entries. Two stores writing the *same* key race, and the last
    writer wins.

    Parameters
    ----------
    path : path-like, optional
        The file; by default ``.lab_utils_backprop/progress.json`` in the current folder.

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
        default = Path.cwd() / DEFAULT_FOLDER / DEFAULT_FILENAME
        self.path = default if path is None else Path(path).absolute()
        self.notices: list[str] = []
        self._reported: set[str] = set()
        # Entries not yet on disk (None: to be removed); they win over the file.
        self._pending: dict[str, dict | None] = {}

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.path)!r})"

    def load(self, key: str) -> dict[str, str]:
        """Return the graph's saved answers, box id to text (a new dict, empty if none)."""
        _check_str(key=key)
        entry = self._pending[key] if key in self._pending else (self._read() or {}).get(key)
        return dict(entry["answers"]) if entry else {}

    def save(self, key: str, answers: Mapping[str, str]) -> None:
        """Replace the graph's answers with ``answers`` (empty: drop the graph's entry)."""
        _check_str(key=key)
        answers = dict(answers)
        for box_id, text in answers.items():
            _check_str(box_id=box_id, text=text)
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self._commit(key, {"answers": answers, "updated": now} if answers else None)

    def record(self, key: str, box_id: str, text: str) -> None:
        """Add one right answer to the graph's progress and save."""
        _check_str(key=key, box_id=box_id, text=text)
        answers = self.load(key)
        if answers.get(box_id) != text:
            self.save(key, {**answers, box_id: text})

    def forget(self, key: str, box_id: str) -> None:
        """Remove one box's answer from the graph's progress and save."""
        _check_str(key=key, box_id=box_id)
        answers = self.load(key)
        if answers.pop(box_id, None) is not None:
            self.save(key, answers)

    def clear(self, key: str) -> None:
        """Drop all of the graph's progress (the widget asks for confirmation first)."""
        _check_str(key=key)
        self._commit(key, None)

    def _commit(self, key: str, entry: dict | None) -> None:
        self._pending[key] = entry
        graphs = self._read()
        if graphs is None:  # a file we must not overwrite; already reported
            return
        updated = dict(graphs)
        for k, e in self._pending.items():
            if e is None:
                updated.pop(k, None)
            elif k not in updated or updated[k]["answers"] != e["answers"]:
                updated[k] = e
        if updated != graphs:
            try:
                self._write(updated)
            except OSError as exc:
                self._report("unsaved", _UNSAVED.format(reason=_reason(exc)))
                return
        self._pending.clear()

    def _read(self) -> dict | None:
        """Return the file's graphs; {} if there is none; None if it must be left alone."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except (IsADirectoryError, PermissionError) as exc:
            return self._set_aside(exc)
        except OSError as exc:
            self._report("unsaved", _UNSAVED.format(reason=_reason(exc)))
            return None
        try:
            return _parse(data)
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
        self._report("corrupt", _CORRUPT.format(name=backup.name))
        return {}

    def _write(self, graphs: dict) -> None:
        doc = {"version": VERSION, "graphs": graphs}
        data = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("ascii") + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def _report(self, problem: str, message: str) -> None:
        if problem not in self._reported:
            self._reported.add(problem)
            self.notices.append(message)
            # Point the warning at the caller's code (a notebook cell), not at this file.
            level, frame = 1, sys._getframe(0)
            while frame is not None and frame.f_code.co_filename == __file__:
                level, frame = level + 1, frame.f_back
            warnings.warn(message, ProgressWarning, stacklevel=level)


def _parse(data: bytes) -> dict:
    """Return the graphs of a progress file; ValueError if the bytes are not one."""
    doc = json.loads(data.decode("utf-8"))
    if not isinstance(doc, dict) or type(doc.get("version")) is not int:
        raise _NotAProgressFileError("not a progress file")
    if doc["version"] != VERSION:
        raise _NotAProgressFileError(f"unknown version {doc['version']}")
    graphs = doc.get("graphs")
    if not isinstance(graphs, dict):
        raise _NotAProgressFileError("no graphs")
    for entry in graphs.values():
        answers = entry.get("answers") if isinstance(entry, dict) else None
        if not isinstance(answers, dict) or not isinstance(entry.get("updated", ""), str):
            raise _NotAProgressFileError("a graph entry of the wrong shape")
        if not all(isinstance(text, str) for text in answers.values()):
            raise _NotAProgressFileError("an answer that is not text")
    return {key: {"answers": e["answers"], "updated": e.get("updated", "")} for key, e in graphs.items()}


def _check_str(**arguments: object) -> None:
    for name, value in arguments.items():
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, not {type(value).__name__}")


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


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
