"""Static pixels kept on disk: a new process shows a graph drawn before without parsing, never wrongly."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zlib

import matplotlib as mpl
import numpy as np
import pytest

from lab_utils_backprop import draw_kept, draw_layer
from lab_utils_backprop.draw import Diagram
from lab_utils_backprop.examples import config_nw0, config_nw1


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty folder of kept pixels, and nothing kept in memory (a new kernel, as far as pixels go)."""
    where = tmp_path / "kept"
    monkeypatch.setenv(draw_kept.ENV, str(where))
    draw_layer.forget()
    yield where
    draw_layer.forget()


def drawn(graph) -> np.ndarray:
    diagram = Diagram(graph)
    diagram.fig.canvas.draw()
    return np.asarray(diagram.fig.canvas.buffer_rgba()).copy()


def kept_files(where) -> list:
    return sorted(where.glob("*" + ".rgba.z"))


def test_a_graph_drawn_before_is_read_from_disk_without_parsing_and_looks_the_same(folder, parses):
    first = drawn(config_nw1)
    assert parses and len(kept_files(folder)) == 1
    draw_layer.forget()  # as in a new kernel: only the disk remembers
    parses.clear()
    assert np.array_equal(drawn(config_nw1), first)
    assert parses == []


def test_a_new_process_reads_what_another_one_kept(folder):
    """Two Python processes, as two kernels: the second parses nothing and draws the same pixels."""
    script = textwrap.dedent(
        """
        import sys
        import matplotlib
        matplotlib.use("Agg")
        import numpy as np
        from matplotlib.mathtext import MathTextParser
        from lab_utils_backprop.draw import Diagram
        from lab_utils_backprop.examples import config_nw1
        diagram = Diagram(config_nw1)
        diagram.fig.canvas.draw()
        np.save(sys.argv[1], np.asarray(diagram.fig.canvas.buffer_rgba()))
        print(MathTextParser._parse_cached.cache_info().misses)
        """
    )
    env = {**os.environ, draw_kept.ENV: str(folder)}

    def run(out) -> int:
        done = subprocess.run(
            [sys.executable, "-c", script, str(out)], env=env, capture_output=True, text=True, check=True
        )
        return int(done.stdout)

    assert run(folder.parent / "first.npy") > 0
    assert run(folder.parent / "again.npy") == 0
    assert np.array_equal(np.load(folder.parent / "first.npy"), np.load(folder.parent / "again.npy"))


CHANGES = {
    "other values": lambda patch: None,
    "another style": lambda patch: patch.setitem(mpl.rcParams, "mathtext.fontset", "stix"),
    "another matplotlib": lambda patch: patch.setattr(mpl, "__version__", "99.0"),
    "another text font": lambda patch: patch.setattr(draw_kept, "_fonts", lambda: "/fonts/New.ttf"),
    "edited code": lambda patch: patch.setattr(draw_kept, "_source_hash", lambda: "edited"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_pixels_drawn_before_a_change_are_never_read_after_it(folder, parses, monkeypatch, change):
    drawn(config_nw0)
    draw_layer.forget()
    parses.clear()
    CHANGES[change](monkeypatch)
    graph = config_nw0.with_values({"w": 2}) if change == "other values" else config_nw0
    drawn(graph)
    assert parses, "drawn, not read"
    assert len(kept_files(folder)) == 2


@pytest.mark.parametrize("damage", [b"", b"not zlib at all", "truncated"])
def test_a_damaged_file_is_drawn_over_quietly(folder, parses, damage):
    first = drawn(config_nw0)
    (path,) = kept_files(folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage == "truncated" else damage)
    draw_layer.forget()
    parses.clear()
    assert np.array_equal(drawn(config_nw0), first)
    assert parses  # drawn, not read
    assert path.read_bytes() == data  # and kept again, whole


def test_pixels_of_another_size_are_not_used(folder, parses):
    """A file whose pixel count does not match the canvas (a hash collision, a bug) is dropped."""
    first = drawn(config_nw0)
    (path,) = kept_files(folder)
    path.write_bytes(zlib.compress(bytes(400)))
    draw_layer.forget()
    parses.clear()
    assert np.array_equal(drawn(config_nw0), first) and parses


def test_a_folder_that_cannot_be_written_draws_as_if_nothing_were_kept(tmp_path, monkeypatch, parses):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    monkeypatch.setenv(draw_kept.ENV, str(blocker / "kept"))
    draw_layer.forget()
    first = drawn(config_nw0)
    draw_layer.forget()
    parses.clear()
    assert np.array_equal(drawn(config_nw0), first) and parses
    assert list(tmp_path.glob("**/*.part")) == []


def test_off_keeps_nothing_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv(draw_kept.ENV, "off")
    assert draw_kept.folder() is None
    draw_kept.save(("k",), np.zeros((2, 2, 4), np.uint8))
    assert draw_kept.load(("k",), (2, 2)) is None


def test_without_the_variable_pixels_go_to_matplotlibs_cache_folder(monkeypatch):
    monkeypatch.delenv(draw_kept.ENV)
    assert draw_kept.folder() == draw_kept.Path(mpl.get_cachedir()) / "lab_utils_backprop"


def test_the_folder_keeps_at_most_its_budget_least_recently_used_first(folder, monkeypatch):
    pixels = np.random.default_rng(0).integers(0, 255, (20, 20, 4), dtype=np.uint8)  # ~1.6 kB each
    monkeypatch.setattr(draw_kept, "DISK_BYTES", 4 * 1700)
    for index in range(3):
        draw_kept.save(("layer", index), pixels)
        os.utime(folder / draw_kept.name(("layer", index)), (index, index))  # distinct ages
    assert draw_kept.load(("layer", 0), (20, 20)) is not None  # used now: the newest
    for index in range(3, 6):
        draw_kept.save(("layer", index), pixels)
    assert sum(path.stat().st_size for path in kept_files(folder)) <= draw_kept.DISK_BYTES
    assert draw_kept.load(("layer", 1), (20, 20)) is None  # the least recently used went first
    assert np.array_equal(draw_kept.load(("layer", 5), (20, 20)), pixels)


def test_a_part_left_by_a_stopped_kernel_is_removed_after_an_hour(folder):
    folder.mkdir()
    old, fresh = folder / "old.part", folder / "being-written.part"
    for part in (old, fresh):
        part.write_bytes(b"half a file")
    os.utime(old, (0, 0))
    draw_kept.save(("layer",), np.zeros((2, 2, 4), np.uint8))
    assert not old.exists() and fresh.exists()
