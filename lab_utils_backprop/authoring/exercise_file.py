'''Read an exercise from a TOML file, so an instructor can keep a lesson's graph beside its notebook.

An exercise file holds what ``ComputationGraph.from_equations`` takes, and the lesson's
heading (all keys but ``equations`` and ``values`` optional)::

    title = "A sigmoid neuron"
    intro = "Markdown shown under the title."
    equations = """
    z = w*x + b
    a = sigmoid(z)
    L = (a - y)**2
    """
    params = ["w", "b"]      # the leaves to differentiate; the others are data
    output = "L"             # default: the last equation
    [values]
    w = 3
    x = "1/2"                # a fraction as a string, or any int or float
    b = -1
    y = 1
'''

from __future__ import annotations

from pathlib import Path

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib

from ..engine.equations import GraphError

__all__ = ["parse_exercise", "read_exercise"]

#: Each key an exercise may have, and the TOML type(s) it must be.
KINDS = {
    "equations": (str, list),
    "values": dict,
    "params": list,
    "output": str,
    "title": str,
    "intro": str,
}
REQUIRED = ("equations", "values")


def parse_exercise(text: str, source: str = "<exercise>") -> dict:
    """Parse an exercise's TOML text into keyword arguments.

    Parameters
    ----------
    text : str
        The TOML (see the module docstring).
    source : str
        What to call the text in error messages, usually its file name.

    Returns
    -------
    dict
        ``equations``, ``values``, ``params``, ``output``, ``title`` and ``intro``, None
        where the text leaves them out. The values stay as written; ``from_equations``
        reads and checks them.

    Raises
    ------
    GraphError
        For text that is not TOML, an unknown key, a key of the wrong type, or a missing
        ``equations`` or ``values``; the message names ``source``.

    Examples
    --------
    >>> exercise = parse_exercise('equations = "J = w**2"\\n[values]\\nw = "1/2"\\n')
    >>> exercise["equations"], exercise["values"], exercise["params"]
    ('J = w**2', {'w': '1/2'}, None)
    >>> parse_exercise('equations = "J = w**2"', "tiny.toml")
    Traceback (most recent call last):
    ...
    lab_utils_backprop.engine.equations.GraphError: tiny.toml: `values` is missing
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GraphError(f"cannot read {source}: {exc}") from None
    unknown = set(data) - set(KINDS)
    if unknown:
        raise GraphError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}")
    for key, kind in KINDS.items():
        if key in data and not isinstance(data[key], kind):
            raise GraphError(f"{source}: `{key}` has the wrong type ({type(data[key]).__name__})")
    for key in REQUIRED:
        if key not in data:
            raise GraphError(f"{source}: `{key}` is missing")
    return {key: data.get(key) for key in KINDS}


def read_exercise(path) -> dict:
    """Read an exercise file; as :func:`parse_exercise`, with the path in every message.

    A file that cannot be read (missing, not UTF-8) raises a GraphError naming it too.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GraphError(f"cannot read {path}: {exc}") from None
    return parse_exercise(text, str(path))
