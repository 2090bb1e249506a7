"""images/: every picture is what ``python -m lab_utils_backprop images`` draws today."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from matplotlib.testing.compare import compare_images
from PIL import Image

from lab_utils_backprop.authoring.images import main, pictures

#: The committed pictures: the repository's images/ (the command writes into ./images).
IMAGES = Path(__file__).resolve().parents[1] / "images"

STALE = "run `python -m lab_utils_backprop images` and commit images/"
ORIGINAL_NAMES = [
    "C2_W2_BP_network0.PNG",
    "C2_W2_BP_network0_a.PNG",
    "C2_W2_BP_network0_diff.PNG",
    "C2_W2_BP_network0_j.PNG",
    "C2_W2_BP_network1.PNG",
    "C2_W2_BP_network1_a.PNG",
    "C2_W2_BP_network1_c.PNG",
    "C2_W2_BP_network1_d.PNG",
    "C2_W2_BP_network1_jdsq.PNG",
]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """The pictures drawn now, by the command line's entry point, into a temporary folder."""
    out = tmp_path_factory.mktemp("images")
    assert main(["--out", str(out)]) == 0
    return out


def test_the_original_lab_file_names_are_kept():
    assert set(ORIGINAL_NAMES) <= set(pictures())


def test_the_command_writes_every_picture(fresh):
    assert sorted(p.name for p in fresh.iterdir()) == sorted(pictures())


@pytest.mark.parametrize("name", sorted(pictures()))
def test_committed_picture_is_up_to_date(fresh, name, tmp_path):
    committed = IMAGES / name
    assert committed.exists(), f"{name} is missing: run `python -m lab_utils_backprop images`"
    assert Image.open(committed).size == Image.open(fresh / name).size, f"{name} changed size: {STALE}"
    # compare_images knows files by their lower-case suffix; the original names end in .PNG
    expected, actual = tmp_path / "expected.png", tmp_path / "actual.png"
    shutil.copyfile(committed, expected)
    shutil.copyfile(fresh / name, actual)
    assert compare_images(str(expected), str(actual), tol=2) is None, f"{name} is stale: {STALE}"


def test_no_stray_files_in_images():
    assert sorted(p.name for p in IMAGES.iterdir()) == sorted(pictures())
