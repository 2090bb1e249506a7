"""Test-wide set-up: matplotlib without a screen, and no figure left open between tests."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test starts and ends with no open pyplot figure."""
    plt.close("all")
    yield
    plt.close("all")
