"""The graph in a real kernel without a browser (as nbconvert and nbval run it), inline and ipympl."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from lab_utils_backprop.notebook.record import MIME

pytestmark = pytest.mark.slow

PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)

CELLS = [
    "import matplotlib.pyplot as plt\n"
    "from lab_utils_backprop.engine.examples import config_nw0, config_nw1\n"
    "from lab_utils_backprop import interactive_graph, plt_network",
    'plt.close("all")\nplt_network(config_nw0, "./images/C2_W2_BP_network0.PNG")',
    "g = interactive_graph(config_nw1)\ng",
    'g.enter("-4", "forward:c")\nprint(g.summary())',
    "for _ in range(20):\n    g = interactive_graph(config_nw1)\nprint(g.summary(), len(plt.get_fignums()))",
    "plt.plot([1, 2])\nplt.show()",
]


def kernel_env() -> dict:
    """The environment of a kernel that imports this checkout of the package."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")])),
    }


def run(backend_line: str, directory: Path):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in [backend_line, *CELLS]]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")])),
    }
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(directory)}}
    )
    client.execute(env=env)
    return [cell.outputs for cell in nb.cells[1:]]


@pytest.mark.parametrize("backend_line", ["%matplotlib inline", "%matplotlib widget"])
def test_the_graph_shows_as_a_widget_with_a_png_and_nothing_stray(backend_line, tmp_path):
    imports, original, named, entered, rerun, other_plot = run(backend_line, tmp_path)
    assert imports == []
    for outputs, text in [
        (original, "GraphWidget(a = 2 + 3*w; J = a**2)"),
        (named, "GraphWidget(c = w*x; a = c + b; d = a - y; J = d**2/2)"),
    ]:
        record, output = outputs  # the answers' record (drawn by no front end), then the widget: nothing else
        assert record.data.keys() == {MIME}
        assert output.data["text/plain"] == text
        assert output.data["image/png"]
        assert "model_id" in output.data["application/vnd.jupyter.widget-view+json"]
        assert "text/html" not in output.data
    assert [o.text for o in entered] == ["1/13 boxes right\n"]
    assert [o.text for o in rerun] == [
        "1/13 boxes right 0\n"
    ]  # saved progress comes back; no figure piles up
    (plot,) = other_plot  # another cell's plot shows alone, never our diagram again
    assert plot.output_type == "display_data"
    assert list((tmp_path / ".lab_utils_backprop").glob("progress-*.json"))  # one file per user


def test_running_a_cell_again_replaces_its_graph_and_leaves_other_cells_alone():
    """JupyterLab names the cell in each request's metadata; running it again replaces its graph."""
    from jupyter_client.manager import start_new_kernel

    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")])),
    }
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    try:

        def run_cell(code, cell_id):
            content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}}
            request = client.session.msg("execute_request", content, metadata={"cellId": cell_id})
            client.shell_channel.send(request)
            reply = client.get_shell_msg(timeout=60)
            assert reply["parent_header"]["msg_id"] == request["header"]["msg_id"]
            assert reply["content"]["status"] == "ok", reply["content"]

        run_cell("from lab_utils_backprop.engine.examples import config_nw0", "imports")
        run_cell("from lab_utils_backprop import interactive_graph", "imports")
        run_cell("first = interactive_graph(config_nw0, progress=False)", "cell-a")
        run_cell("second = interactive_graph(config_nw0, progress=False)", "cell-a")
        run_cell("third = interactive_graph(config_nw0, progress=False)", "cell-b")
        printed = []
        client.execute_interactive(
            "print(first.closed, second.closed, third.closed)",
            output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
            timeout=60,
        )
        assert "".join(printed) == "True False False\n"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
