"""The lesson commands: ``python -m lab_utils_backprop new`` and ``... restore``.

``new`` writes a walk-through notebook for an instructor's graph, given on the command line
or in an exercise file (see :mod:`lab_utils_backprop.exercise_file`)::

    python -m lab_utils_backprop new -e "a = 2 + 3*w" -e "J = a**2" -v w=3 -o lesson.ipynb --execute
    python -m lab_utils_backprop new --from exercise.toml -o lesson.ipynb --execute

``--execute`` runs the new notebook in a fresh kernel and stores its outputs, so it passes
``pytest --nbval`` at once. ``restore`` does the same for notebooks that exist, after an
instructor edits them::

    python -m lab_utils_backprop restore notebooks/*.ipynb

Bad input (a malformed equation, a missing value, a notebook that is not JSON) is reported
with its message, which names the line or the file, and no file is written: exit code 2.
A cell that fails while executing leaves its notebook untouched: exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.reader import NotJSONError

from ..engine.equations import GraphError
from ..engine.graph import ComputationGraph
from .exercise_file import read_exercise
from .lesson import lesson_notebook
from .notebook_run import CellError, execute_notebook, restore_outputs, write_notebook

__all__ = ["new_command", "restore_command"]

#: Exit codes: bad input (nothing written), and a cell that failed while executing.
BAD_INPUT, CELL_FAILED = 2, 1


def _new_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lab_utils_backprop new",
        description="Write a walk-through lesson notebook for a computation graph.",
        epilog="Example: new -e 'a = 2 + 3*w' -e 'J = a**2' -v w=3 -o lesson.ipynb --execute",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "-e", "--equation", action="append", metavar="'NAME = EXPR'", help="one equation; repeat, in order"
    )
    source.add_argument("--from", dest="exercise", metavar="FILE", help="an exercise file (TOML)")
    parser.add_argument(
        "-v",
        "--value",
        action="append",
        default=[],
        metavar="NAME=NUMBER",
        help="a leaf's value (4, -2.5, 9/2); repeat",
    )
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        metavar="NAME",
        help="a parameter (default: every leaf); repeat, or NAME,NAME",
    )
    parser.add_argument("--output", metavar="NAME", help="the output node (default: the last equation)")
    parser.add_argument("--title", help="the lesson's heading")
    parser.add_argument(
        "-o", "--out", metavar="PATH", required=True, help="where to write the notebook (.ipynb)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    parser.add_argument("--execute", action="store_true", help="run the notebook and store its outputs")
    return parser


def _exercise(args) -> dict:
    """The exercise from the command line, a file or both (the command line wins)."""
    exercise = read_exercise(args.exercise) if args.exercise else {"equations": args.equation, "values": {}}
    values, given = dict(exercise["values"] or {}), {}
    for item in args.value:
        name, sep, number = item.partition("=")
        if not sep or not name.strip():
            raise GraphError(f"a value must be written NAME=NUMBER, not {item!r}")
        name, number = name.strip(), number.strip()
        if name in given:
            raise GraphError(
                f"`{name}` is given twice (-v {name}={given[name]} and -v {name}={number}): give it once"
            )
        values[name] = given[name] = number
    params = (
        [p.strip() for item in args.param for p in item.split(",")] if args.param else exercise.get("params")
    )
    return {
        "equations": exercise["equations"],
        "values": values,
        "params": params,
        "output": args.output or exercise.get("output"),
        "title": args.title or exercise.get("title"),
        "intro": exercise.get("intro"),
    }


def new_command(argv: list[str]) -> int:
    """``python -m lab_utils_backprop new ...``: 0 on success, 2 for bad input, 1 if a cell fails.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     new_command(["-e", "a = 2 + 3*w", "-e", "J = a**2", "-v", "w=3", "-o", f"{folder}/lesson.ipynb"])
    wrote .../lesson.ipynb
    0
    """
    args = _new_parser().parse_args(argv)
    out = Path(args.out)
    try:
        if out.exists() and not args.force:
            raise GraphError(f"{out} exists; add --force to overwrite it")
        exercise = _exercise(args)
        title, intro = exercise.pop("title"), exercise.pop("intro")
        nb = lesson_notebook(ComputationGraph.from_equations(**exercise), title, intro)
        if args.execute:
            execute_notebook(nb, out.resolve().parent)
        write_notebook(nb, out)
    except (GraphError, OSError) as error:  # bad input, or a path that cannot be read or written
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    except CellError as error:
        print(f"error while executing: {error}", file=sys.stderr)
        return CELL_FAILED
    print(f"wrote {out}" + (" with its outputs" if args.execute else ""))
    return 0


def _restore_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lab_utils_backprop restore",
        description="Re-execute notebooks in fresh kernels and store their outputs (after an edit), "
        "so that pytest --nbval passes on them.",
        epilog="Example: restore notebooks/*.ipynb",
    )
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="a notebook (.ipynb) to re-execute")
    return parser


def restore_command(argv: list[str]) -> int:
    """``python -m lab_utils_backprop restore NOTEBOOK...``: re-execute each, store its outputs.

    Each notebook runs in a fresh kernel in its own folder and is rewritten only if every
    cell ran; the others still run when one fails. Returns 0 when all were stored, else 2
    if any could not be read or written, else 1 (a cell failed).
    """
    paths = _restore_parser().parse_args(argv).notebooks
    code, stored = 0, 0
    for path in paths:
        try:
            restore_outputs(path)
            stored += 1
        except (OSError, NotJSONError, nbformat.ValidationError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            print(f"error: {path}: {reason}", file=sys.stderr)
            code = max(code, BAD_INPUT)
        except CellError as error:
            print(f"error while executing {path} (left as it was): {error}", file=sys.stderr)
            code = max(code, CELL_FAILED)
    print(f"stored the outputs of {stored} of {len(paths)} notebook(s)")
    return code
