"""`tradecoop complexity` through Typer's runner (the Stata check through the CLI is in
tests/validation/test_ecomplexity_stata.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app
from tradecoop.complexity import FRAME_COLUMNS

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "ecomplexity" / "trade_data_sample.csv"
COLS = ["--location-col", "origin", "--product-col", "hs92", "--value-col", "export_val"]


def _invoke(*args):
    return CliRunner().invoke(app, ["complexity", *args])


def test_help_teaches_with_an_example():
    res = _invoke("--help")
    assert res.exit_code == 0
    assert "Examples" in res.output and "--dataset" in res.output and "--proximity-out" in res.output


def test_csv_output_has_the_contract_columns(tmp_path):
    out = tmp_path / "c.csv"
    res = _invoke("--input", str(FIXTURE), *COLS, "--format", "csv", "--out", str(out))
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out)
    renamed = [{"origin": "location", "hs92": "product"}.get(c, c) for c in frame.columns]
    assert tuple(renamed) == FRAME_COLUMNS
    assert len(frame) == 600 and sorted(frame["year"].unique()) == [1995, 1996]


def test_json_to_stdout_and_years_filter():
    res = _invoke("--input", str(FIXTURE), *COLS, "--years", "1995", "--level", "location",
                  "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {r["year"] for r in rows} == {1995} and len(rows) == 10
    aut = next(r for r in rows if r["location"] == "aut")
    # Stata output (docs/methods.md section 8)
    assert aut["eci"] == pytest.approx(1.073207217992253, rel=1e-9)


def test_parquet_input_and_proximity_out(tmp_path):
    data = tmp_path / "in.parquet"
    pd.read_csv(FIXTURE).rename(columns={"origin": "location", "hs92": "product", "export_val": "value"}).to_parquet(data)
    prox = tmp_path / "prox.parquet"
    out = tmp_path / "out.parquet"
    res = _invoke("--input", str(data), "--proximity-out", str(prox), "--format", "parquet", "--out", str(out))
    assert res.exit_code == 0, res.output
    p = pd.read_parquet(prox)
    assert list(p.columns) == ["year", "product_1", "product_2", "proximity"]
    assert p["proximity"].between(0, 1).all() and (p["product_1"] != p["product_2"]).all()
    assert len(pd.read_parquet(out)) == 600


def test_table_prints_eci_ranking():
    res = _invoke("--input", str(FIXTURE), *COLS, "--years", "1995:1995")
    assert res.exit_code == 0, res.output
    assert "aut" in res.output and "pol" in res.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], None),  # no args: help, exit 2 (usage)
        (["--input", "x.csv", "--dataset", "y"], "exactly one of --dataset NAME or --input FILE"),
        (["--input", "does-not-exist.csv"], "does not exist"),
        (["--input", str(FIXTURE)], "missing column(s) ['location', 'product', 'value']"),
        (["--input", str(FIXTURE), *COLS, "--format", "parquet"], "--format parquet needs --out FILE"),
        (["--input", str(FIXTURE), *COLS, "--years", "20x5"], "--years must look like"),
        (["--dataset", "no_such_dataset"], "no_such_dataset"),
    ],
)
def test_errors_are_one_line_with_exit_code(args, message):
    res = _invoke(*args)
    if message is None:  # no arguments: the help text, not an error
        assert res.exit_code in (0, 2) and "Usage" in res.output
        return
    assert res.exit_code == 1, res.output
    assert message in res.output
    assert "Traceback" not in res.output


def test_csv_product_codes_keep_leading_zeros(tmp_path):
    data = tmp_path / "hs.csv"
    frame = pd.read_csv(FIXTURE).rename(columns={"origin": "location", "hs92": "product", "export_val": "value"})
    frame["product"] = "0" + frame["product"].astype(str).str[:3]  # 1704 -> 0170 (HS-like, leading 0)
    frame = frame.groupby(["year", "location", "product"], as_index=False)["value"].sum()
    frame.to_csv(data, index=False)
    res = _invoke("--input", str(data), "--level", "product", "--format", "json")
    assert res.exit_code == 0, res.output
    assert all(r["product"].startswith("0") and len(r["product"]) == 4 for r in json.loads(res.stdout))


def test_reliable_only_filters_locations_by_population(tmp_path):
    pop = FIXTURE.parent / "population_data_sample.csv"  # has no population for blx
    res = _invoke("--input", str(FIXTURE), *COLS, "--years", "1995", "--population", str(pop),
                  "--reliable-only", "--level", "location", "--format", "json")
    assert res.exit_code == 0, res.output
    # expected from the files directly: population > 1.2 M and these exports >= USD 1 bn
    trade = pd.read_csv(FIXTURE)
    people = pd.read_csv(pop).query("year == 1995").set_index("origin")["population"]
    exports = trade[trade.year == 1995].groupby("origin")["export_val"].sum()
    expected = sorted(c for c in exports.index if people.get(c, 0) > 1.2e6 and exports[c] >= 1e9)
    assert "blx" not in expected and len(expected) >= 5
    assert sorted(r["location"] for r in json.loads(res.stdout)) == expected


def test_bad_input_file_suffix(tmp_path):
    bad = tmp_path / "data.xlsx"
    shutil.copy(FIXTURE, bad)
    res = _invoke("--input", str(bad), *COLS)
    assert res.exit_code == 1 and "expected a .csv or .parquet file" in res.output
