"""The runnable examples in the package's docstrings stay true."""

import doctest
import importlib
import pkgutil

import pytest

import lab_utils_backprop

MODULES = sorted(
    f"lab_utils_backprop.{m.name}"
    for m in pkgutil.iter_modules(lab_utils_backprop.__path__)
    if m.name != "__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, (
        f"{result.failed} of {result.attempted} examples in {name} failed (output above)"
    )


def test_the_public_api_has_examples():
    public = [getattr(lab_utils_backprop, name) for name in ("ComputationGraph", "parse_answer", "check")]
    assert all(">>>" in (item.__doc__ or "") for item in public)
