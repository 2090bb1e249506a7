"""Grading with a real grader: nbgrader autogrades a student's filled-in copy of the main lesson.

The course is an nbgrader course folder with the main lesson plus a hidden grading cell
that calls :func:`lab_utils_backprop.notebook.record.submitted`. ``nbgrader
generate_assignment`` makes the student version; a student fills it in (a real kernel runs
the lesson and the answers go into the graphs through the widget, then the notebook is
saved as handed in); ``nbgrader autograde`` re-runs it in a fresh kernel, and the grading
cell sees each graph's typed-right, revealed, wrong and empty counts from the notebook
itself, with no hidden folder handed in beside it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from lab_utils_backprop.authoring.course import copy_lessons
from lab_utils_backprop.notebook.record import MIME, records_in

pytestmark = pytest.mark.slow

NBGRADER = Path(sys.executable).with_name("nbgrader")
LESSON = "backprop_computation_graph.ipynb"
GRADING = """\
from lab_utils_backprop.notebook.record import submitted
part1, part2 = submitted(config_nw0), submitted(config_nw1)
print("part 1:", part1)
print("part 2:", part2)
assert part1["typed_right"] + part2["typed_right"] >= 3, "answer at least three boxes right"
"""
# What a student does in each graph, after the graph's cell ran (`_` is the graph shown).
STUDENT = {
    "interactive_graph(config_nw0)": '_.enter("11", "forward:a"); _.enter("120", "forward:J")',
    "interactive_graph(config_nw1)": (
        '_.enter("-4", "forward:c"); _.enter("4", "forward:a"); _.reveal("forward:d")'
    ),
}


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(NBGRADER.parent), os.environ.get("PATH", "")]),  # as in an active venv
        "JUPYTER_CONFIG_DIR": str(course / ".jupyter"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    result = subprocess.run(
        [str(NBGRADER), *args], cwd=course, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """An nbgrader course whose assignment ps1 is the main lesson and a grading cell."""
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(root)!r}\n"
        "c.CourseDirectory.course_id = 'backprop'\nc.ExecutePreprocessor.timeout = 600\n"
    )
    source = root / "source" / "ps1"
    copy_lessons(source)
    for other in source.glob("*.ipynb"):
        if other.name != LESSON:
            other.unlink()
    nb = nbformat.read(source / LESSON, as_version=4)
    grading = new_code_cell(GRADING)
    grading.metadata["nbgrader"] = {
        "grade": True, "grade_id": "graph_counts", "locked": True, "points": 2,
        "schema_version": 3, "solution": False, "task": False,
    }  # fmt: skip
    nb.cells.append(grading)
    nbformat.write(nb, source / LESSON)
    nbgrader(root, "generate_assignment", "ps1", "--create", "--force")
    return root


def fill_in(release: Path, folder: Path) -> nbformat.NotebookNode:
    """The student's notebook as saved: the lesson run, answers given in the graphs."""
    nb = nbformat.read(release, as_version=4)
    added = []
    for index in reversed(range(len(nb.cells))):
        cell = nb.cells[index]
        for call, actions in STUDENT.items():
            if cell.cell_type == "code" and cell.source.rstrip().endswith(call):
                added.append(new_code_cell(actions))
                nb.cells.insert(index + 1, added[-1])
    assert len(added) == 2
    # The grading cell fails here (nothing is handed in yet), as it would for the student.
    student = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True)
    student.execute(cwd=str(folder))
    nb.cells = [cell for cell in nb.cells if cell not in added]  # the student typed, no cell ran
    return nb


def test_nbgrader_autograde_sees_each_graphs_counts(course, tmp_path):
    release = course / "release" / "ps1" / LESSON
    for student in ("alice", "bob"):
        (course / "submitted" / student / "ps1").mkdir(parents=True)
    alice = fill_in(release, tmp_path)
    records = [
        r
        for cell in alice.cells
        for out in cell.get("outputs", [])
        if MIME in out.get("data", {})
        for r in [out]
    ]
    assert len(records) == 2 and len(records_in(alice)) == 2  # one record per graph, in the notebook
    nbformat.write(alice, course / "submitted" / "alice" / "ps1" / LESSON)
    (course / "submitted" / "bob" / "ps1" / LESSON).write_bytes(release.read_bytes())  # handed in blank

    nbgrader(course, "autograde", "ps1", "--create", "--force")

    printed = {}
    for student in ("alice", "bob"):
        graded = nbformat.read(course / "autograded" / student / "ps1" / LESSON, as_version=4)
        (cell,) = [
            c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "graph_counts"
        ]
        printed[student] = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert printed["alice"] == (
        "part 1: {'typed_right': 1, 'revealed': 0, 'wrong': 1, 'empty': 3}\n"
        "part 2: {'typed_right': 2, 'revealed': 1, 'wrong': 0, 'empty': 10}\n"
    )
    assert printed["bob"] == (
        "part 1: {'typed_right': 0, 'revealed': 0, 'wrong': 0, 'empty': 5}\n"
        "part 2: {'typed_right': 0, 'revealed': 0, 'wrong': 0, 'empty': 13}\n"
    )
    exported = nbgrader(course, "export", "--to", str(course / "grades.csv"))
    assert exported.returncode == 0
    rows = (course / "grades.csv").read_text().splitlines()
    header = rows[0].split(",")
    scores = {
        row.split(",")[header.index("student_id")]: float(row.split(",")[header.index("raw_score")])
        for row in rows[1:]
    }
    assert scores == {"alice": 2.0, "bob": 0.0}
    assert json.loads((course / "autograded" / "alice" / "ps1" / LESSON).read_text())["cells"]
