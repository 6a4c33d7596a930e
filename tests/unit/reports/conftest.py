"""Fixtures of the reports tests: a hand-built Brief (TEST DATA, see _reports_fixtures.py)."""

from __future__ import annotations

import pytest
from _reports_fixtures import make_brief

from tradecoop.reports.model import Brief


@pytest.fixture
def brief() -> Brief:
    return make_brief("en")


@pytest.fixture
def brief_ru() -> Brief:
    return make_brief("ru")
