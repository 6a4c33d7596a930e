"""The library's docstring examples run as tests (``make test`` runs them; pytest's own
``--doctest-modules`` would also import every conftest.py as a module, which clashes)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import tradecoop

#: modules that cannot be imported outside their host (Alembic's migration environment)
SKIP_PREFIXES = ("tradecoop.registry.migrations",)


def _modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(tradecoop.__path__, "tradecoop.")]
    return sorted(n for n in names if not n.startswith(SKIP_PREFIXES))


def _with_examples() -> list[str]:
    finder = doctest.DocTestFinder()
    return [name for name in _modules()
            if any(t.examples for t in finder.find(importlib.import_module(name)))]


@pytest.mark.parametrize("name", _with_examples())
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
