"""The runnable examples in the package's docstrings stay true."""

import doctest
import importlib
import pkgutil

import pytest

import lab_utils_backprop

#: Every module, in every subpackage.
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(lab_utils_backprop.__path__, "lab_utils_backprop.")
    if not m.name.endswith("__main__")
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


#: Where every public function and class shows a runnable example (issue 13).
WITH_EXAMPLES = [
    *(name for name in MODULES if name.startswith("lab_utils_backprop.diagram.")),
    "lab_utils_backprop.notebook.canvas",
    "lab_utils_backprop.notebook.shown",
]


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_every_public_function_shows_an_example(name):
    module = importlib.import_module(name)
    public = [getattr(module, item) for item in getattr(module, "__all__", ())]
    own = [item for item in public if callable(item) and getattr(item, "__module__", None) == name]
    assert [item.__name__ for item in own if ">>>" not in (item.__doc__ or "")] == []
