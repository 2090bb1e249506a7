"""Run a notebook in a fresh kernel and store its outputs, so that nbval can compare the next run with them.

Notebooks are committed with their outputs; what is stored leaves out what would only bloat
the file or change on every run (timings, widget state), so a diff after a re-run shows
only what a lesson now prints differently.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from .attachments import attach_images

__all__ = ["CELL_TIMEOUT", "CellError", "execute_notebook", "restore_outputs", "write_notebook"]

#: Seconds a single cell may run before execution gives up.
CELL_TIMEOUT = 300


class CellError(Exception):
    """A cell failed while a notebook ran: it raised, ran too long, or its kernel died.

    The message is nbclient's, with the cell's source and traceback.
    """


def execute_notebook(nb, directory, timeout: int = CELL_TIMEOUT):
    """Run every cell of ``nb`` in a fresh python3 kernel started in ``directory``; return it.

    The outputs are stored in the cells, each print's pieces joined into one stream output.
    What would only bloat the file or change on every run is left out: timings, the widget
    state in the metadata, and the widget-view entry of each output (a view of a kernel
    that no longer exists; JupyterLab would show "model not found" for it). An interactive
    graph's output keeps its PNG, which a viewer shows until the cell runs again; nbval
    compares neither. The kernel imports this very package, installed or not.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A version-4 notebook; changed in place.
    directory : str or Path
        The kernel's working folder (where the notebook's relative paths start).
    timeout : int
        Seconds a single cell may run.

    Raises
    ------
    CellError
        When a cell raises, runs too long or kills its kernel; ``nb`` then holds the
        outputs up to the failing cell.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> nb = execute_notebook(new_notebook(cells=[new_code_cell("print(6 * 7)")]), ".")
    >>> nb.cells[0].outputs[0].text
    '42\\n'
    """
    from nbclient import NotebookClient  # imported here, as it takes a second: only running needs it
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    package_root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(directory)}},
        record_timing=False,
        store_widget_state=False,
    )
    try:
        client.execute(env=env)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        raise CellError(str(error)) from error
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            for output in cell.outputs:
                output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
            cell.outputs = _coalesce_streams(cell.outputs)
    return nb


def _coalesce_streams(outputs: list) -> list:
    """Join consecutive pieces of one stream: a print may arrive as text then its newline."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            previous
            and output.output_type == previous.output_type == "stream"
            and output.name == previous.name
        ):
            previous.text += output.text
        else:
            joined.append(output)
    return joined


def write_notebook(nb, path) -> None:
    """Write ``nb`` to ``path`` all at once (a temporary file renamed over it).

    So a notebook is never left half written, whatever stops the writing.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    nbformat.write(nb, temporary)
    os.replace(temporary, path)


def restore_outputs(path, timeout: int = CELL_TIMEOUT) -> None:
    """Re-execute the notebook at ``path`` and store its outputs in place (after an edit).

    It runs in a fresh kernel in its own folder, as nbval runs it. The pictures its markdown
    links are carried inside it first (:func:`.attachments.attach_images`), so the stored
    notebook shows them wherever it goes. A notebook whose cell
    fails is left untouched and a :class:`CellError` raised; one that cannot be read raises
    ``OSError``, ``nbformat.reader.NotJSONError`` or ``nbformat.ValidationError``.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    attach_images(nb, path.parent)
    write_notebook(execute_notebook(nb, path.parent, timeout), path)
