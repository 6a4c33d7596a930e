"""A missing optional extra ([pdf], [postgres]) is one clear line naming the extra."""

from __future__ import annotations

import sys

import pytest

from tradecoop.errors import ConfigurationError


def test_pdf_without_weasyprint_names_the_extra(monkeypatch, tmp_path):
    from _reports_fixtures import make_brief

    from tradecoop.reports.render import write_pdf

    brief = make_brief()
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(ConfigurationError, match=r"install tradecoop\[pdf\]"):
        write_pdf(brief, tmp_path / "brief.pdf")
    assert not (tmp_path / "brief.pdf").exists()


def test_postgresql_without_psycopg_names_the_extra(monkeypatch):
    from tradecoop.registry.db import make_engine

    for name in [n for n in sys.modules if n == "psycopg" or n.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(ConfigurationError, match=r"install tradecoop\[postgres\]"):
        make_engine("postgresql://user@127.0.0.1:1/db")
