"""Test-wide set-up: matplotlib without a screen, no figure left open between tests,
hypothesis derandomized in CI (a red CI run then fails the same way when run again), and
diagrams' pixels kept in a folder of the run's own, never the user's cache.
"""

import os
import shutil
import tempfile

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.mathtext import MathTextParser  # noqa: E402

from lab_utils_backprop import draw_kept, draw_layer  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


_KEPT_PIXELS = pytest.StashKey[str]()


def pytest_configure(config):
    """Before any notebook's kernel starts (they inherit the environment): a fresh pixel folder."""
    config.stash[_KEPT_PIXELS] = tempfile.mkdtemp(prefix="lab_utils_backprop-kept-")
    os.environ[draw_kept.ENV] = config.stash[_KEPT_PIXELS]


def pytest_unconfigure(config):
    shutil.rmtree(config.stash.get(_KEPT_PIXELS, ""), ignore_errors=True)


@pytest.fixture
def nothing_kept(monkeypatch):
    """No diagram's pixels kept, in memory or on disk: every draw parses its mathtext."""
    monkeypatch.setenv(draw_kept.ENV, "off")
    draw_layer.forget()
    yield
    draw_layer.forget()


@pytest.fixture
def parses(monkeypatch):
    """The mathtext strings matplotlib parses from now on, in order."""
    seen: list[str] = []
    parse = MathTextParser.parse

    def counting(self, s, *args, **kwargs):
        seen.append(s)
        return parse(self, s, *args, **kwargs)

    monkeypatch.setattr(MathTextParser, "parse", counting)
    return seen


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test starts and ends with no open pyplot figure."""
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def ipympl():
    """pyplot on ipympl, the backend of ``%matplotlib widget``, for one test (then Agg again)."""
    plt.switch_backend("module://ipympl.backend_nbagg")
    yield
    plt.switch_backend("Agg")
