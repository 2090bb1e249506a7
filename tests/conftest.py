"""Test-wide set-up: matplotlib without a screen, no figure left open between tests, and
hypothesis derandomized in CI (a red CI run then fails the same way when run again).
"""

import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


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
