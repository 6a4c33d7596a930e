"""`tradecoop profile BLR RUS` on the bundled data, through Typer's runner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app
from tradecoop.data.bundled import bundled_path
from tradecoop.errors import NotFoundError


def _bundled_ready() -> bool:
    try:
        return bundled_path("bilateral_totals").exists() and bundled_path("world_hs4_2017").exists()
    except NotFoundError:
        return False


needs_bundle = pytest.mark.skipif(not _bundled_ready(), reason="bundled datasets not built yet")
runner = CliRunner()


@needs_bundle
def test_profile_json_has_sections_and_estimated_flags():
    result = runner.invoke(app, ["profile", "BLR", "RUS", "--years", "2000:2016", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("pair", "headline", "series", "structure", "top_products", "indices", "dependency",
                "grubel_lloyd", "provenance", "notes"):
        assert key in data
    assert data["estimated"] is True
    years = [row["year"] for row in data["series"]]
    assert years == sorted(years) and min(years) >= 2000 and max(years) == 2016
    # RUS->BLR 2000-2008 are missing reports: null, never 0
    early = [row for row in data["series"] if row["year"] == 2004][0]
    assert early["exports_b_to_a"] is None and "missing report" in early["note"]
    assert all(row["basis"] == "ESTIMATED" for row in data["top_products"])
    assert any(p["basis"] == "ESTIMATED" for p in data["provenance"])
    assert {row["direction"] for row in data["top_products"]} == {"BLR->RUS", "RUS->BLR"}
    assert {row["level"] for row in data["structure"]} == {"hs_section", "hs2", "lall", "bec"}
    # each direction's shares add to 1 at every level
    for level in ("hs_section", "lall", "bec"):
        share = sum(r["share"] for r in data["structure"] if r["level"] == level and r["direction"] == "BLR->RUS")
        assert abs(share - 1.0) < 1e-9


@needs_bundle
def test_profile_table_and_csv(tmp_path):
    table = runner.invoke(app, ["profile", "BLR", "RUS"])
    assert table.exit_code == 0, table.output
    assert "ESTIMATED" in table.output and "Provenance" in table.output
    out = tmp_path / "p.csv"
    csv = runner.invoke(app, ["profile", "BLR", "RUS", "--format", "csv", "--out", str(out)])
    assert csv.exit_code == 0 and out.read_text().startswith("table,")


def test_profile_region_without_file_is_a_clear_error():
    result = runner.invoke(app, ["profile", "BLR", "RU-CHE"])
    assert result.exit_code == 1
    assert "regional trade file" in result.output


def test_profile_bad_years_is_a_clear_error():
    result = runner.invoke(app, ["profile", "BLR", "RUS", "--years", "2016:2010"])
    assert result.exit_code == 1 and "--years" in result.output


def test_profile_same_location_twice_is_a_clear_error():
    result = runner.invoke(app, ["profile", "BLR", "blr"])
    assert result.exit_code == 1 and "two different locations" in result.output
