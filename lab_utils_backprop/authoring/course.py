"""``python -m lab_utils_backprop lessons DEST``: the lessons, copied out of the installed package.

The wheel carries the lessons (``notebooks/``) and their pictures (``images/``) as package
data under ``lab_utils_backprop/course/``; a source checkout has them at the top of the
repository. Either way, one command gives a student the course in a folder of their own,
each notebook whole: the pictures it links travel inside it as attachments (see
:mod:`.attachments`), so the folder can be served by Voilà, exported by nbconvert,
uploaded to Colab or handed to a grader as it is.

A notebook already in DEST is a student's work: it is kept unless ``--force`` is given.
Needs nothing beyond the base install (plain JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .attachments import attach_images, dumps_notebook

__all__ = ["copy_lessons", "course_folders", "main"]


def course_folders() -> tuple[Path, Path]:
    """The installed lessons' folder and pictures' folder (package data, or the checkout's).

    Examples
    --------
    >>> notebooks, images = course_folders()
    >>> (notebooks / "backprop_computation_graph.ipynb").is_file(), (images / "neuron.png").is_file()
    (True, True)
    """
    package = Path(__file__).resolve().parents[1]
    for root in (package / "course", package.parent):  # the wheel's layout, then a checkout's
        if (root / "notebooks").is_dir() and (root / "images").is_dir():
            return root / "notebooks", root / "images"
    raise FileNotFoundError(f"no lessons were installed with {package}: reinstall lab_utils_backprop")


def copy_lessons(dest: str | os.PathLike, *, force: bool = False) -> tuple[list[Path], list[Path]]:
    """Write every lesson into ``dest`` (created if needed), pictures attached.

    Returns (files written, files kept because they were there already).

    Examples
    --------
    >>> import tempfile
    >>> written, kept = copy_lessons(tempfile.mkdtemp())
    >>> sorted(p.name for p in written)[:2], kept
    (['backprop_computation_graph.ipynb', 'estimates.ipynb'], [])
    """
    notebooks, _ = course_folders()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for source in sorted(notebooks.glob("*.ipynb")):
        target = dest / source.name
        if target.exists() and not force:
            kept.append(target)
            continue
        nb = json.loads(source.read_text(encoding="utf-8"))
        attach_images(nb, source.parent)
        text = dumps_notebook(nb)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
        written.append(target)
    return written, kept


def main(argv: list[str] | None = None) -> int:
    """The ``lessons`` command (also installed as the ``backprop-lessons`` script)."""
    parser = argparse.ArgumentParser(
        prog="python -m lab_utils_backprop lessons",
        description="Copy the lessons (notebooks with their pictures inside) into a folder of yours.",
        epilog="Example: python -m lab_utils_backprop lessons backprop-lessons",
    )
    parser.add_argument("dest", metavar="DEST", nargs="?", default=".", help="the folder (default: here)")
    parser.add_argument("--force", action="store_true", help="replace lessons already in DEST")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        written, kept = copy_lessons(args.dest, force=args.force)
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in kept:
        print(f"kept {path} (your copy; --force replaces it)")
    print(f"wrote {len(written)} files to {Path(args.dest).resolve()}")
    if written:
        print(f"open them with: jupyter lab {Path(args.dest) / 'backprop_computation_graph.ipynb'}")
    return 0
