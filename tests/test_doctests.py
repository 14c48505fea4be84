"""The examples in the handbook modules' docstrings are true."""

import doctest
import importlib

import pytest

MODULES = [
    "analysis",
    "legal",
    "vocabulary",
    "units",
    "synonyms",
    "compounds",
    "excerpt",
    "service",
    "import_fields",
    "everyday",
    "examples",
    "model",
    "example_edit",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"handbook.{name}")
    failed, attempted = doctest.testmod(module)
    assert failed == 0
    if name != "service":
        assert attempted > 0
