"""`python -m lab_utils_backprop restore`: outputs stored after an edit; a failing notebook kept as it was."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from lab_utils_backprop import ComputationGraph
from lab_utils_backprop.__main__ import main
from lab_utils_backprop.authoring.cli import new_command


def printed(path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "".join(
        out.text for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs if "text" in out
    )


@pytest.mark.slow
def test_restore_stores_the_outputs_of_a_generated_lesson(tmp_path, capsys):
    path = tmp_path / "lesson.ipynb"
    assert new_command(["-e", "J = (2 + 3*w)**2", "-v", "w=3", "-o", str(path)]) == 0
    assert printed(path) == ""
    assert main(["restore", str(path)]) == 0
    assert "stored the outputs of 1 of 1 notebook(s)" in capsys.readouterr().out
    graph = ComputationGraph.from_equations(["J = (2 + 3*w)**2"], {"w": 3})
    assert f"J = {graph.value('J')}\n" in printed(path)
    assert f"∂J/∂w: ours {graph.gradient('w')}, the engine's {graph.gradient('w')}\n" in printed(path)
    shown = next(
        cell for cell in nbformat.read(path, as_version=4).cells if "interactive_graph" in cell.source
    )
    assert any("image/png" in output.get("data", {}) for output in shown.outputs)


@pytest.mark.slow
def test_a_notebook_whose_cell_fails_is_left_untouched_and_the_others_are_stored(tmp_path, capsys):
    failing, fine = tmp_path / "failing.ipynb", tmp_path / "fine.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("print('before')"), new_code_cell("1 / 0")]), failing)
    nbformat.write(new_notebook(cells=[new_code_cell("print(6 * 7)")]), fine)
    before = failing.read_bytes()
    assert main(["restore", str(failing), str(fine)]) == 1
    out, err = capsys.readouterr()
    assert f"error while executing {failing} (left as it was)" in err and "ZeroDivisionError" in err
    assert "stored the outputs of 1 of 2 notebook(s)" in out
    assert failing.read_bytes() == before
    assert printed(fine) == "42\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "lesson.ipynb: No such file or directory"),
        ("not json", "lesson.ipynb: Notebook does not appear to be JSON"),
        ("{}", "lesson.ipynb: Notebook could not be converted"),
    ],
)
def test_restore_reports_a_notebook_it_cannot_read_and_changes_nothing(tmp_path, capsys, text, message):
    path = tmp_path / "lesson.ipynb"
    if text is not None:
        path.write_text(text)
    assert main(["restore", str(path)]) == 2
    assert message in capsys.readouterr().err
    assert [p.read_text() for p in tmp_path.iterdir()] == ([] if text is None else [text])


@pytest.mark.slow
def test_restore_carries_the_linked_pictures_inside_the_notebook(tmp_path):
    from nbformat.v4 import new_markdown_cell

    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "g.png").write_bytes(b"\x89PNG picture")
    path = tmp_path / "notebooks" / "lesson.ipynb"
    path.parent.mkdir()
    nb = new_notebook(cells=[new_markdown_cell("![the graph](../images/g.png)"), new_code_cell("print(1)")])
    nbformat.write(nb, path)
    assert main(["restore", str(path)]) == 0
    cell = nbformat.read(path, as_version=4).cells[0]
    assert cell.source == "![the graph](attachment:g.png)"
    assert cell.attachments == {"g.png": {"image/png": "iVBORyBwaWN0dXJl"}}
    assert printed(path) == "1\n"
