"""``lessons``, ``attach`` and ``images``: the course reaches a student's folder whole, and no
command writes into the package."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lab_utils_backprop.__main__ import main
from lab_utils_backprop.authoring.attachments import attach_file, attach_images, linked_pictures
from lab_utils_backprop.authoring.course import copy_lessons, course_folders

REPO = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))


def markdown(nb):
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_the_lessons_come_from_the_checkout_here():
    assert course_folders() == (REPO / "notebooks", REPO / "images")


def test_lessons_writes_every_notebook_with_its_pictures_inside(tmp_path, capsys):
    assert main(["lessons", str(tmp_path / "course")]) == 0
    assert f"wrote {len(LESSONS)} files" in capsys.readouterr().out
    dest = tmp_path / "course"
    assert sorted(p.name for p in dest.iterdir()) == LESSONS
    main_lesson = json.loads((dest / "backprop_computation_graph.ipynb").read_text(encoding="utf-8"))
    assert linked_pictures(main_lesson) == []  # no link leaves the folder
    assert not any("../images" in text for text in markdown(main_lesson))
    attached = {}
    for cell in main_lesson["cells"]:
        for name, data in cell.get("attachments", {}).items():
            attached[name] = base64.b64decode(data["image/png"])
            assert f"attachment:{name}" in "".join(cell["source"])
    assert len(attached) == 7
    for name, data in attached.items():
        assert data == (REPO / "images" / name).read_bytes()
    original = json.loads((REPO / "notebooks" / "backprop_computation_graph.ipynb").read_text("utf-8"))
    code = [c["source"] for c in original["cells"] if c["cell_type"] == "code"]
    assert code == [c["source"] for c in main_lesson["cells"] if c["cell_type"] == "code"]


def test_a_students_copy_is_kept_unless_forced(tmp_path, capsys):
    copy_lessons(tmp_path)
    mine = tmp_path / "fan_out.ipynb"
    mine.write_text('{"my": "work"}')
    for other in set(LESSONS) - {mine.name}:
        (tmp_path / other).unlink()
    written, kept = copy_lessons(tmp_path)
    assert kept == [mine] and mine.read_text() == '{"my": "work"}' and len(written) == len(LESSONS) - 1
    assert main(["lessons", str(tmp_path)]) == 0
    assert f"kept {mine} (your copy; --force replaces it)" in capsys.readouterr().out
    assert main(["lessons", str(tmp_path), "--force"]) == 0
    assert json.loads(mine.read_text())["cells"]


def test_attach_is_idempotent_and_refreshes_from_the_files(tmp_path):
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "g.png").write_bytes(b"first")
    nb = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": ["Look:\n", '![the graph](pics/g.png "title")\n', "![gone](pics/none.png)"],
            },
            {"cell_type": "markdown", "metadata": {}, "source": "![web](https://example.org/x.png)"},
            {"cell_type": "code", "metadata": {}, "source": "![not markdown](pics/g.png)", "outputs": []},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(nb))
    assert attach_file(path) is True
    once = path.read_text()
    assert attach_file(path) is False and path.read_text() == once
    cell = json.loads(once)["cells"][0]
    assert cell["source"] == ["Look:\n", '![the graph](attachment:g.png "title")\n', "![gone](pics/none.png)"]
    assert cell["attachments"] == {"g.png": {"image/png": base64.b64encode(b"first").decode()}}
    assert json.loads(once)["cells"][1:] == nb["cells"][1:]  # remote links and code stay as they are
    (tmp_path / "pics" / "g.png").write_bytes(b"second")  # `images` redrew the picture
    assert attach_file(path) is True
    cell = json.loads(path.read_text())["cells"][0]
    assert cell["attachments"]["g.png"]["image/png"] == base64.b64encode(b"second").decode()


def test_attach_command_on_a_copy_of_a_lesson(tmp_path, capsys):
    copy = tmp_path / "notebooks" / "lesson.ipynb"
    copy.parent.mkdir()
    copy.write_bytes((REPO / "notebooks" / "backprop_computation_graph.ipynb").read_bytes())
    (tmp_path / "images").symlink_to(REPO / "images")
    assert main(["attach", str(copy)]) == 0
    assert linked_pictures(json.loads(copy.read_text("utf-8"))) == []
    assert main(["attach", str(copy), str(tmp_path / "missing.ipynb")]) == 2
    assert "missing.ipynb" in capsys.readouterr().err


def test_two_pictures_of_one_name_in_a_cell_keep_apart(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "g.png").write_bytes(folder.encode())
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "![1](a/g.png) ![2](b/g.png)"}]}
    attach_images(nb, tmp_path)
    cell = nb["cells"][0]
    assert cell["source"] == "![1](attachment:g.png) ![2](attachment:1-g.png)"
    assert {k: base64.b64decode(v["image/png"]) for k, v in cell["attachments"].items()} == {
        "g.png": b"a",
        "1-g.png": b"b",
    }


@pytest.mark.slow
def test_images_writes_into_the_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["images"]) == 0
    assert sorted(p.name for p in (tmp_path / "images").iterdir()) == sorted(
        p.name for p in (REPO / "images").iterdir()
    )
    assert "wrote 11 images to images" in capsys.readouterr().out


def test_a_command_that_needs_the_lab_extra_says_so_in_one_line(tmp_path):
    code = (
        "import sys; sys.modules['nbformat'] = None  # as if the lab extra were not installed\n"
        "from lab_utils_backprop.__main__ import main\n"
        "sys.exit(main(sys.argv[1:]))"
    )
    out = tmp_path / "x.ipynb"
    run = subprocess.run(
        [sys.executable, "-c", code, "new", "-e", "J = 3*w", "-v", "w=1", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "error: `new` needs the lab extra (nbformat is missing): pip install 'lab_utils_backprop[lab]'"
    ]
    assert not out.exists()
    lessons = subprocess.run(
        [sys.executable, "-c", code, "lessons", str(tmp_path / "c")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert lessons.returncode == 0, lessons.stderr  # the lessons need only the base install
