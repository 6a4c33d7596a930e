"""`tradecoop opportunities` on the bundled data (country pair) and with the registry (region)."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app

runner = CliRunner()
SUM_TOL = 1e-9  # contributions are float64 and summed in a different order than the score


@pytest.fixture
def registry_db(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADECOOP_DATABASE_URL", f"sqlite:///{tmp_path / 'registry.db'}")


def _run(args: list[str]) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_country_pair_json_explains_every_score() -> None:
    data = _run(["opportunities", "BLR", "RUS", "--top", "3", "--format", "json"])
    opps = data["opportunities"]
    # co-production is switched off on estimated flows (with a note)
    assert {o["type"] for o in opps} == {"supply", "localisation", "value_chain", "joint_entry"}
    assert any(n.startswith("co_production switched off") for n in data["notes"])
    for o in opps:
        assert math.isclose(sum(o["contributions"].values()), o["score"], abs_tol=SUM_TOL)
        assert o["value_method"]
        assert (o["value_usd"] is None and o["value_note"]) or o["value_usd"] >= 0
        assert {p["criterion"] for p in o["explanation"]} == set(o["contributions"])
    # Russia is a net exporter of potash (3104) with RCA >= 1: not a supply idea; supply values
    # from one allocation of flows and imports would be circular, so none is given
    supply_ab = sorted((o for o in opps if o["type"] == "supply" and o["direction"] == "ab"), key=lambda o: o["rank"])
    assert "3104" not in [o["product"] for o in supply_ab]
    assert all(o["value_usd"] is None for o in supply_ab)
    assert "z-score" in data["score_scale"]
    # flows and imports are estimated for this pair: every supply opportunity says so
    assert all(o["estimated"] for o in opps if o["type"] == "supply")
    assert any("ESTIMATED" in n for n in data["notes"])


def test_weights_preset_changes_the_diversification_weights() -> None:
    data = _run(["opportunities", "BLR", "RUS", "--types", "joint_entry", "--top", "2",
                 "--weights", "long_jump", "--format", "json"])
    assert data["weights"]["joint_entry"]["pair_distance"] == 0.45
    assert data["weights"]["joint_entry"]["pci"] == 0.20


def test_region_uses_registry_capabilities_and_partners(registry_db) -> None:
    data = _run(["opportunities", "BLR", "RU-CHE", "--with-partners", "--top", "3", "--format", "json"])
    assert any("capabilities derived from the enterprise registry" in n for n in data["notes"])
    partners = [p for o in data["opportunities"] for p in o["partners"]]
    assert any("RU-CHE" in p for p in partners) and any("BLR" in p for p in partners)


def test_unknown_type_is_a_clear_error() -> None:
    result = runner.invoke(app, ["opportunities", "BLR", "RUS", "--types", "barter"])
    assert result.exit_code == 1
    assert "unknown opportunity type" in result.output


def test_table_fits_80_columns_and_names_partners_on_each_side(monkeypatch) -> None:
    """`--with-partners` shows makers and buyers in the table itself, at 80 columns."""
    from typer.testing import CliRunner

    from tradecoop.cli.main import app

    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(app, ["opportunities", "BLR", "RU-CHE", "--top", "3", "--types", "supply",
                                      "--with-partners"])
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    assert "makers (BLR):" in result.output and "Minsk Automobile" in result.output
    assert "buyers (BLR):" in result.output and "makers (RU-CHE):" in result.output
