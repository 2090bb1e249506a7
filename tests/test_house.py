"""The shape of the package: layers that import only downwards, no cycles, a lazy root, small modules."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lab_utils_backprop"
#: Each layer and the layers it may import from (DESIGN.md: data flows one way).
LAYERS = {
    "engine": set(),
    "exercise": {"engine"},
    "diagram": {"engine", "exercise"},
    "notebook": {"engine", "exercise", "diagram"},
    "authoring": {"engine", "exercise", "diagram", "notebook"},
}
GRAPHICS = ("matplotlib", "ipywidgets", "ipympl", "IPython")


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name, from the source tree."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path) -> tuple[set[str], set[str]]:
    """(the package's modules, the other top-level packages) that ``path`` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    ours, others = set(), set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                (ours if alias.name.startswith("lab_utils_backprop") else others).add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
                ours.update(
                    f"{target}.{a.name}" if f"{target}.{a.name}" in modules() else target for a in node.names
                )
            elif node.module.startswith("lab_utils_backprop"):
                ours.add(node.module)
            else:
                others.add(node.module)
    return {m for m in ours if m in modules()}, {m.split(".")[0] for m in others}


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else None


def test_layers_import_only_the_layers_below_them():
    for name, path in modules().items():
        own = layer(name)
        if own is None:
            continue
        for target in imports(name, path)[0]:
            other = layer(target)
            assert other is None and target == "lab_utils_backprop" or other == own or other in LAYERS[own], (
                f"{name} imports {target}"
            )


def test_engine_and_exercise_import_no_graphics():
    for name, path in modules().items():
        if layer(name) in ("engine", "exercise"):
            assert not imports(name, path)[1] & set(GRAPHICS), name


def test_no_import_cycle():
    graph = {name: imports(name, path)[0] - {name} for name, path in modules().items()}
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " -> ".join([*trail, name])
        if name in done:
            return
        for target in graph[name]:
            if target != "lab_utils_backprop":  # the root imports lazily, inside __getattr__
                visit(target, (*trail, name))
        done.add(name)

    for name in graph:
        visit(name, ())


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_stay_small(name):
    lines = len(modules()[name].read_text().splitlines())
    assert lines <= 300, f"{name} has {lines} lines: split it by what it does"


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_the_engine_loads_no_graphics_and_the_root_imports_lazily():
    loaded = run(
        "import sys\n"
        "import lab_utils_backprop\n"
        "from lab_utils_backprop import ComputationGraph, check\n"
        "from lab_utils_backprop.exercise.boxes import boxes_for\n"
        "g = ComputationGraph.from_equations(['a = 2 + 3*w', 'J = a**2'], {'w': 3})\n"
        "assert check(boxes_for(g)[-1], '66').correct\n"
        f"print(sorted(m for m in {GRAPHICS!r} if m in sys.modules))"
    )
    assert loaded.strip() == "[]"


def test_a_layout_is_made_without_matplotlib():
    loaded = run(
        "import sys\n"
        "from lab_utils_backprop import config_nw1\n"
        "from lab_utils_backprop.diagram.layout import layout_graph\n"
        "assert layout_graph(config_nw1).boxes\n"
        f"print(sorted(m for m in {GRAPHICS!r} if m in sys.modules))"
    )
    assert loaded.strip() == "[]"


def test_importing_the_package_schedules_nothing_and_starts_no_thread():
    assert (
        run(
            "import threading, lab_utils_backprop\n"
            "from lab_utils_backprop import *\n"
            "print(threading.active_count())"
        ).strip()
        == "1"
    )


def test_star_import_after_sympy_keeps_sympy_and_gives_the_lab():
    names = run(
        "from sympy import *\n"
        "from lab_utils_backprop import *\n"
        "print(diff(symbols('w')**2).__class__.__name__, plt_network.__name__, config_nw1.output)"
    )
    assert names.split() == ["Mul", "plt_network", "J"]


def test_drawing_and_answering_write_no_file(tmp_path):
    """DESIGN.md: drawing writes nothing; only progress, which ``progress=False`` turns off."""
    home, config, work = (tmp_path / name for name in ("home", "mplconfig", "work"))
    for folder in (home, config, work):
        folder.mkdir()
    code = (
        "import matplotlib; matplotlib.use('Agg')\n"
        "from matplotlib.figure import Figure\n"
        "Figure().savefig(__import__('io').BytesIO())  # matplotlib's own font cache, made first\n"
        "import os\n"
        "def tree():\n"
        "    tops = ('.', os.environ['HOME'], os.environ['MPLCONFIGDIR'])\n"
        "    return sorted(os.path.join(d, f) for t in tops for d, _, fs in os.walk(t) for f in fs)\n"
        "before = tree()\n"
        "from lab_utils_backprop import GraphWidget, config_nw1\n"
        "from lab_utils_backprop.diagram.draw import Diagram\n"
        "Diagram(config_nw1).fig.canvas.draw()\n"
        "g = GraphWidget(config_nw1, progress=False)\n"
        "g.enter('-4', 'forward:c'); g._repr_mimebundle_(); g.close()\n"
        "print(sorted(set(tree()) - set(before)))\n"
    )
    env = {**os.environ, "HOME": str(home), "MPLCONFIGDIR": str(config)}
    done = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
