"""`tradecoop backtest` through Typer's runner on a seeded synthetic panel."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app

runner = CliRunner()


def _panel(seed: int = 5, n_loc: int = 10, n_prod: int = 30) -> pd.DataFrame:
    """Seeded panel 2000-2009: locations drift along a line of products (absent rows = zeros)."""
    rng = np.random.default_rng(seed)
    u, v = rng.uniform(0, 1, n_loc), rng.normal(0, 0.03, n_loc)
    q = np.linspace(0, 1, n_prod)
    frames = []
    for t in range(2000, 2010):
        val = 1e6 * np.exp(-(((u + v * (t - 2000))[:, None] - q) ** 2) / 0.02)
        val *= rng.lognormal(0, 0.5, val.shape)
        c, p = np.nonzero(val > 1e3)
        frames.append(pd.DataFrame({"year": t, "location": [f"L{i:02d}" for i in c],
                                    "product": [f"{j:04d}" for j in p], "value": val[c, p]}))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def panel_csv(tmp_path: Path) -> Path:
    path = tmp_path / "panel.csv"
    _panel().to_csv(path, index=False)
    return path


def test_json_has_the_contract_keys(panel_csv: Path) -> None:
    result = runner.invoke(app, ["backtest", "--input", str(panel_csv), "--start", "2003",
                                 "--end", "2009", "--window", "2", "--bootstrap", "20", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("auc", "auc_density", "auc_rca", "precision_at_10", "best_f1", "candidates",
                "appearances", "base_rate", "mean_location_auc", "precision_at_25",
                "f1_at_train_threshold", "ci", "model"):
        assert key in data
    assert data["start_window"] == [2003, 2004] and data["end_window"] == [2008, 2009]
    assert 0 < data["appearances"] < data["candidates"]
    assert 0.0 <= data["auc"] <= 1.0


def test_world_totals_file_and_table_output(panel_csv: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(panel_csv, dtype={"product": str})
    world = frame.groupby(["year", "product"], as_index=False)["value"].sum()
    world["value"] *= 3.0  # the panel is a third of a (made-up) world
    wpath = tmp_path / "world.parquet"
    world.to_parquet(wpath)
    out = tmp_path / "bt.csv"
    result = runner.invoke(app, ["backtest", "--input", str(panel_csv), "--start", "2003", "--end",
                                 "2009", "--window", "2", "--world-totals", str(wpath),
                                 "--bootstrap", "0", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table["score"].tolist() == ["engine (feasibility)", "density", "density (continuous)",
                                       "rca", "base rate"]


def test_usage_and_data_errors(panel_csv: Path, tmp_path: Path) -> None:
    both = runner.invoke(app, ["backtest", "--input", str(panel_csv), "--dataset", "x",
                               "--start", "2003", "--end", "2009"])
    assert both.exit_code == 2
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"year": [2000], "location": ["A"], "product": ["01"], "value": [-1.0]}).to_csv(bad, index=False)
    res = runner.invoke(app, ["backtest", "--input", str(bad), "--start", "2000", "--end", "2009"])
    assert res.exit_code == 1
    assert "non-negative" in res.output
    overlap = runner.invoke(app, ["backtest", "--input", str(panel_csv), "--start", "2003", "--end", "2005"])
    assert overlap.exit_code == 1 and "overlap" in overlap.output


def test_two_snapshot_panel_from_bundled_data_says_which_weights(tmp_path) -> None:

    from tradecoop.data.store import open_store

    store = open_store(tmp_path / "store")
    panel = store.location_product_values("brics_hs6").to_pandas()
    world = store.location_product_values("world_totals_hs6").to_pandas().drop(columns="location")
    cut = panel[panel["year"].isin([2018, 2024])].assign(product=lambda f: f["product"].str[:4])
    cut.groupby(["year", "location", "product"], as_index=False)["value"].sum().to_parquet(tmp_path / "two.parquet")
    world.assign(product=world["product"].str[:4]).groupby(["year", "product"], as_index=False)["value"].sum() \
        .to_parquet(tmp_path / "world.parquet")
    result = runner.invoke(app, ["backtest", "--input", str(tmp_path / "two.parquet"), "--world-totals",
                                 str(tmp_path / "world.parquet"), "--start", "2018", "--end", "2024", "--window", "1",
                                 "--bootstrap", "20", "--format", "json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["start_window"] == [2018] and d["end_window"] == [2024]
    assert "no earlier transition" in d["weights_source"] and "brics_hs6" in d["weights_source"]
    assert {"auc", "auc_density", "auc_rca", "auc_best_baseline", "auc_minus_best_baseline"} <= set(d)
    assert len(d["ci"]["auc_minus_best_baseline"]) == 2
