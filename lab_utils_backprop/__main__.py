"""The command line: ``python -m lab_utils_backprop COMMAND`` (or the ``lab-utils-backprop`` script).

``lessons`` copies the lessons into a folder of yours; ``images`` redraws the diagrams;
``attach`` carries a notebook's linked pictures inside it; ``new`` writes a lesson notebook
for any graph; ``restore`` re-executes notebooks and stores their outputs. Each sub-command
lives in its own module; this file only dispatches, and says in one line when a command
needs the ``lab`` extra that is not installed.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "lessons": "copy the lessons (pictures inside) into a folder: lessons [DEST]",
    "images": "redraw the diagrams from the example graphs into ./images (or --out DIR)",
    "attach": "carry the pictures a notebook links inside it, as attachments",
    "new": "write a walk-through lesson notebook for a graph of your own",
    "restore": "re-execute notebooks in fresh kernels and store their outputs",
}

#: Where each command lives: module, function.
_ENTRY = {
    "lessons": ("authoring.course", "main"),
    "images": ("authoring.images", "main"),
    "attach": ("authoring.attachments", "main"),
    "new": ("authoring.cli", "new_command"),
    "restore": ("authoring.cli", "restore_command"),
}

#: Modules of the ``lab`` extra: a command that needs one says so instead of a traceback.
LAB_EXTRA = {"nbformat", "nbclient", "jupyter_client", "ipykernel"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in COMMANDS:
        width = max(map(len, COMMANDS))
        usage = "\n".join(f"  {name:<{width}}  {what}" for name, what in COMMANDS.items())
        print(f"usage: python -m lab_utils_backprop COMMAND [options]\n\ncommands:\n{usage}", file=sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    module, function = _ENTRY[argv[0]]
    try:
        return getattr(importlib.import_module(f"lab_utils_backprop.{module}"), function)(argv[1:])
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] not in LAB_EXTRA:
            raise
        print(
            f"error: `{argv[0]}` needs the lab extra ({error.name} is missing): "
            "pip install 'lab_utils_backprop[lab]'",
            file=sys.stderr,
        )
        return 2


def lessons_script() -> int:
    """The ``backprop-lessons DEST`` script: the same as ``python -m lab_utils_backprop lessons DEST``."""
    return main(["lessons", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
