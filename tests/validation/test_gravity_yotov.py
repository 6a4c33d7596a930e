"""Reproduce the structural gravity estimates of Yotov, Piermartini, Monteiro & Larch (2016).

*An Advanced Guide to Trade Policy Analysis*, ch. 1 (doi:10.30875/abc0167e-en), data
``agtpa_applications`` (tests/fixtures/gravity, CC BY 4.0, © United Nations). Sample as in the
book: years 1986, 1990, ..., 2006; ``ln_dist = ln(dist)``; international flows are
``exporter != importer``; standard errors clustered by ``pair_id``. Expected values are the
book's published estimates (docs/methods.md section 8), each model fitted once per module, through
the API and through the CLI (``tradecoop gravity fit --input <fixture>``).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app
from tradecoop.errors import DataQualityWarning
from tradecoop.gravity import GravitySpec, fit_gravity, read_panel

PANEL = Path(__file__).resolve().parents[1] / "fixtures" / "gravity" / "agtpa_applications.rda"
YEARS = tuple(range(1986, 2007, 4))
#: the book prints 4 decimals (rounding error <= 5e-5); 5e-4 also absorbs solver tolerances
#: (PPML iterations stop at a relative deviance change of 1e-8) -- docs/methods.md section 8.
COEF_TOL = 5e-4

BASE = "trade ~ ln_dist + cntg + lang + clny | exporter^year + importer^year"
# name -> (formula, family, international_only, expected coefficients, expected N)
MODELS = {
    "ppml": (
        BASE, "poisson", True,
        {"ln_dist": -0.8409, "cntg": 0.4374, "lang": 0.2475, "clny": -0.2225}, 28_152,
    ),
    "ppml_rta": (
        "trade ~ ln_dist + cntg + lang + clny + rta | exporter^year + importer^year",
        "poisson", True, {"rta": 0.1907}, 28_152,
    ),
    "ppml_pair_fe": (
        # intra-national flows kept; 84 pairs' observations are separated (all-zero pairs)
        "trade ~ rta | exporter^year + importer^year + pair_id",
        "poisson", False, {"rta": 0.5572}, 28_482,
    ),
    "ols": (
        BASE, "ols", True,
        {"ln_dist": -1.2156, "cntg": 0.2232, "lang": 0.6609, "clny": 0.6705}, 25_689,
    ),
}


@pytest.fixture(scope="module")
def panel():
    return read_panel(PANEL)


@pytest.fixture(scope="module")
def api_fits(panel):
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        for name, (formula, family, intl, _, _) in MODELS.items():
            spec = GravitySpec.from_formula(formula, years=YEARS, international_only=intl)
            out[name] = fit_gravity(panel, spec, family=family, cluster="pair_id")
    return out


@pytest.fixture(scope="module")
def cli_fits():
    runner = CliRunner()
    out = {}
    for name, (formula, family, intl, _, _) in MODELS.items():
        args = [
            "gravity", "fit", "--input", str(PANEL), "--formula", formula, "--family", family,
            "--years", ",".join(map(str, YEARS)), "--cluster", "pair_id", "--format", "json",
        ]
        if intl:
            args.append("--international-only")
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        out[name] = json.loads(result.stdout)
    return out


@pytest.mark.parametrize("name", list(MODELS))
def test_api_reproduces_book(api_fits, name: str) -> None:
    _, _, _, expected, n_expected = MODELS[name]
    fit = api_fits[name]
    coef = fit.coef()
    for term, value in expected.items():
        assert coef[term] == pytest.approx(value, abs=COEF_TOL), term
    assert fit.n_obs == n_expected


@pytest.mark.parametrize("name", list(MODELS))
def test_cli_reproduces_book(cli_fits, name: str) -> None:
    _, _, _, expected, n_expected = MODELS[name]
    out = cli_fits[name]
    for term, value in expected.items():
        assert out["coefficients"][term]["estimate"] == pytest.approx(value, abs=COEF_TOL), term
    assert out["n_obs"] == n_expected


def test_sample_accounting_is_visible(api_fits) -> None:
    # International 69 x 68 pairs x 6 years = 28,152, of which 2,463 zero flows (kept by
    # PPML, dropped by OLS: 28,152 - 2,463 = 25,689, the book's OLS N).
    assert api_fits["ppml"].n_zero == 2_463
    assert api_fits["ols"].n_dropped_zero == 2_463
    # With intra-national flows: 69 x 69 x 6 = 28,566 rows; the book's N of 28,482 means
    # 84 observations are separated (pairs with zero trade in every year).
    pair = api_fits["ppml_pair_fe"]
    assert pair.n_obs + pair.n_dropped_separation + pair.n_dropped_singletons == 69 * 69 * 6
    assert pair.n_dropped_separation == 84


def test_pair_fe_absorbs_distance(panel) -> None:
    spec = GravitySpec.from_formula(
        "trade ~ ln_dist + rta | exporter^year + importer^year + pair_id", years=YEARS
    )
    from tradecoop.errors import EstimationError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        with pytest.raises(EstimationError, match="ln_dist are absorbed by the fixed effects"):
            fit_gravity(panel, spec)
