"""`tradecoop gravity fit` and `tradecoop gravity potential` end to end (small simulated panels)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app

runner = CliRunner()
FORMULA = "trade ~ ln_dist + cntg | exporter^year + importer^year"


def _panel(n: int = 10, years=(2008, 2012, 2016), seed: int = 5) -> pd.DataFrame:
    """Flows exp(3 - ln dist + 0.5 cntg + FE) * 1e3 with Poisson noise; rta switching on in 2012."""
    rng = np.random.default_rng(seed)
    codes = [f"K{k:02d}" for k in range(n)]
    pos = rng.uniform(1, 30, size=(n, 2))
    rows = []
    for t in years:
        fe = rng.normal(0, 0.3, size=(2, n))
        for i in range(n):
            for j in range(n):
                if i != j:
                    dist = 100 * np.hypot(*(pos[i] - pos[j]))
                    cntg = int(abs(i - j) == 1)
                    rta = int(t >= 2012 and (i + j) % 3 == 0)
                    eta = 3 - np.log(dist / 100) + 0.5 * cntg + 0.3 * rta + fe[0, i] + fe[1, j]
                    rows.append((t, codes[i], codes[j], dist, cntg, int((i * j) % 5 == 0), 0, rta,
                                 float(rng.poisson(1e3 * np.exp(eta)))))
    frame = pd.DataFrame(
        rows, columns=["year", "exporter", "importer", "dist", "cntg", "lang", "clny", "rta", "trade"]
    )
    frame["ln_dist"] = np.log(frame["dist"])
    return frame


@pytest.fixture(scope="module")
def csv_panel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("grav") / "panel.csv"
    _panel().drop(columns="ln_dist").to_csv(path, index=False)
    return path


def test_fit_json(csv_panel: Path) -> None:
    result = runner.invoke(app, ["gravity", "fit", "--input", str(csv_panel), "--formula", FORMULA,
                                 "--years", "2008-2016/4", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out["coefficients"]) == {"ln_dist", "cntg"}
    assert out["coefficients"]["ln_dist"]["estimate"] == pytest.approx(-1.0, abs=0.1)
    assert out["n_obs"] == 10 * 9 * 3 and out["family"] == "poisson" and out["cluster"] == "pair_id"


def test_fit_table_to_file(csv_panel: Path, tmp_path: Path) -> None:
    target = tmp_path / "fit.txt"
    result = runner.invoke(app, ["gravity", "fit", "--input", str(csv_panel), "--formula", FORMULA,
                                 "--years", "2012", "--family", "ols", "--out", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert "ln_dist" in text and "std_error" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give exactly one of --dataset NAME or --input FILE"),
        (["--formula", "trade ~ gdp | exporter^year"], "names column(s) gdp"),
        (["--years", "20x6"], "--years: expected years like"),
        (["--family", "probit"], "--family: expected 'poisson' or 'ols'"),
        (["--formula", "trade ~ ln_dist | exporter^importer^year"], "absorb everything"),
    ],
)
def test_fit_errors_are_one_line(csv_panel: Path, args: list[str], message: str) -> None:
    base = [] if not args else ["--input", str(csv_panel)]
    result = runner.invoke(app, ["gravity", "fit", *base, *args])
    assert result.exit_code == 1
    assert message in result.output


def test_negative_flow_from_file(tmp_path: Path) -> None:
    frame = _panel(n=4, years=(2008,))
    frame.loc[5, "trade"] = -3.0
    path = tmp_path / "neg.parquet"
    frame.to_parquet(path)
    result = runner.invoke(app, ["gravity", "fit", "--input", str(path), "--formula", FORMULA])
    assert result.exit_code == 1
    assert "must be non-negative; 1 row(s) are negative" in result.output
    assert "row 6 of the input" in result.output


def test_help_teaches() -> None:
    result = runner.invoke(app, ["gravity", "fit", "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "--international-only" in result.output
    result = runner.invoke(app, ["gravity", "potential", "--help"])
    assert result.exit_code == 0 and "tradecoop gravity potential BLR RUS" in result.output


def test_potential_json(monkeypatch: pytest.MonkeyPatch) -> None:
    import tradecoop.gravity.io as gio

    monkeypatch.setattr(gio, "bundled_gravity_panel", _panel)
    result = runner.invoke(app, ["gravity", "potential", "K01", "K02", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["a"] == "K01" and out["year"] == 2016 and out["estimated"] is True
    assert [d["exporter"] for d in out["directions"]] == ["K01", "K02"]
    assert any("Egger" in c for c in out["caveats"])
    table = runner.invoke(app, ["gravity", "potential", "K01", "K02"])
    assert table.exit_code == 0 and "over-trading" in table.output and "Egger" in table.output


@pytest.mark.slow
def test_fit_on_bundled_dataset() -> None:
    # bundled bilateral_totals + gravity_covariates, one year: distance elasticity of aggregate
    # trade is negative and in the usual range (Head & Mayer 2014 meta-analysis: structural
    # gravity estimates centre on about -1; loose bounds, this checks the wiring, not a value)
    result = runner.invoke(app, ["gravity", "fit", "--dataset", "bilateral_totals", "--years", "2016",
                                 "--international-only", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert -2.0 < out["coefficients"]["ln_dist"]["estimate"] < -0.3
    assert out["n_obs"] > 10_000
