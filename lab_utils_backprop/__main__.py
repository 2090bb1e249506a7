"""The command line: ``python -m lab_utils_backprop images``, ``... new`` or ``... restore``.

``images`` regenerates the diagrams in images/; ``new`` writes a lesson notebook for any
graph; ``restore`` re-executes notebooks and stores their outputs. Each sub-command lives
in its own module; this file only dispatches.
"""

from __future__ import annotations

import sys

COMMANDS = {
    "images": "regenerate the diagrams in images/ from the example graphs",
    "new": "write a walk-through lesson notebook for a graph of your own",
    "restore": "re-execute notebooks in fresh kernels and store their outputs",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in COMMANDS:
        width = max(map(len, COMMANDS))
        usage = "\n".join(f"  {name:<{width}}  {what}" for name, what in COMMANDS.items())
        print(f"usage: python -m lab_utils_backprop COMMAND [options]\n\ncommands:\n{usage}", file=sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    if argv[0] == "images":
        from .authoring.images import main as command
    elif argv[0] == "new":
        from .authoring.cli import new_command as command
    else:
        from .authoring.cli import restore_command as command
    return command(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
