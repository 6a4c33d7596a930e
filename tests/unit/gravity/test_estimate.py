"""fit_gravity: recovery of known coefficients, sample accounting, clear errors on bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tradecoop.errors import DataQualityWarning, DataValidationError, EstimationError
from tradecoop.gravity import GravitySpec, fit_gravity

#: true coefficients of the simulated panel (tests/unit/gravity/conftest.py)
TRUE_BETA = {"ln_dist": -0.9, "cntg": 0.5}
FORMULA = "trade ~ ln_dist + cntg | exporter^year + importer^year"
#: 15 x 14 pairs x 3 years = 630 flows with means ~1e4: Poisson noise gives clustered SEs of
#: about 0.003-0.005 here (seed 7), so 0.02 is > 4 SE; dropping the fixed effects or the
#: log of distance misses by far more.
RECOVERY_TOL = 0.02


def test_recovers_simulated_coefficients(sim_panel: pd.DataFrame) -> None:
    result = fit_gravity(sim_panel, FORMULA)
    coef = result.coef()
    for term, true in TRUE_BETA.items():
        assert coef[term] == pytest.approx(true, abs=RECOVERY_TOL), term
    tidy = result.tidy()
    assert list(tidy.columns) == ["term", "estimate", "std_error", "p_value", "conf_low", "conf_high"]
    assert (tidy["conf_low"] < tidy["estimate"]).all() and (tidy["estimate"] < tidy["conf_high"]).all()
    # 15 * 14 * 3 = 630 observations, none dropped
    assert result.n_obs == 630 and result.n_dropped_singletons == 0 and result.n_dropped_separation == 0


def test_zeros_are_kept_and_counted(sim_panel: pd.DataFrame) -> None:
    data = sim_panel.copy()
    data.loc[[3, 10, 50], "trade"] = 0.0
    result = fit_gravity(data, FORMULA)
    assert result.n_zero == 3
    assert result.n_obs == 630


def test_missing_values_are_dropped_with_a_warning(sim_panel: pd.DataFrame) -> None:
    data = sim_panel.copy()
    data.loc[[1, 2], "cntg"] = np.nan
    with pytest.warns(DataQualityWarning, match="dropped 2 of 630 rows with missing values.*cntg: 2"):
        result = fit_gravity(data, FORMULA)
    assert result.n_dropped_missing == 2 and result.n_obs == 628


def test_singleton_is_reported(sim_panel: pd.DataFrame) -> None:
    # one extra flow from a new exporter: its exporter^year group has one member
    extra = sim_panel.iloc[[0]].assign(exporter="ZZZ")
    result = fit_gravity(pd.concat([sim_panel, extra], ignore_index=True), FORMULA)
    assert result.n_dropped_singletons == 1 and result.n_obs == 630


def test_years_and_international_filters(sim_panel: pd.DataFrame) -> None:
    data = pd.concat(
        [sim_panel, sim_panel.iloc[:5].assign(importer=lambda f: f["exporter"])], ignore_index=True
    )
    spec = GravitySpec.from_formula(FORMULA, years=[2000, 2004], international_only=True)
    result = fit_gravity(data, spec)
    assert result.n_obs == 15 * 14 * 2
    assert result.n_filtered == len(data) - 15 * 14 * 2


def test_missing_column_is_named(sim_panel: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match="names column\\(s\\) cntg"):
        fit_gravity(sim_panel.drop(columns="cntg"), FORMULA)


def test_unknown_formula_column(sim_panel: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match="names column\\(s\\) gdp_o"):
        fit_gravity(sim_panel, "trade ~ ln_dist + gdp_o | exporter^year + importer^year")


def test_negative_flow_names_first_row(sim_panel: pd.DataFrame) -> None:
    data = sim_panel.copy()
    data.loc[[7, 9], "trade"] = -1.0
    row = data.loc[7]
    with pytest.raises(DataValidationError) as info:
        fit_gravity(data, FORMULA)
    msg = str(info.value)
    assert "must be non-negative; 2 row(s) are negative" in msg
    assert f"exporter={row.exporter}, importer={row.importer}, year={row.year}, row 8 of the input" in msg


def test_non_numeric_flow(sim_panel: pd.DataFrame) -> None:
    data = sim_panel.astype({"trade": object})
    data.loc[4, "trade"] = "n/a"
    with pytest.raises(DataValidationError, match="must be numeric; 1 value"):
        fit_gravity(data, FORMULA)


def test_fixed_effect_absorbing_everything(sim_panel: pd.DataFrame) -> None:
    with pytest.raises(EstimationError, match="absorb everything"):
        fit_gravity(sim_panel, "trade ~ ln_dist | exporter^importer^year")


def test_fixed_effect_absorbing_a_covariate(sim_panel: pd.DataFrame) -> None:
    # distance is constant within a pair: the pair fixed effect absorbs it
    with pytest.raises(EstimationError, match="absorb every covariate|absorbed by the fixed effects"):
        fit_gravity(sim_panel, "trade ~ ln_dist | exporter^year + importer^year + pair_id")


def test_bad_family(sim_panel: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match="expected 'poisson' or 'ols'"):
        fit_gravity(sim_panel, FORMULA, family="logit")  # type: ignore[arg-type]


def test_ols_drops_zeros_with_warning(sim_panel: pd.DataFrame) -> None:
    data = sim_panel.copy()
    data.loc[[3, 10], "trade"] = 0.0
    with pytest.warns(DataQualityWarning, match="dropped 2 zero flows"):
        result = fit_gravity(data, FORMULA, family="ols")
    assert result.n_dropped_zero == 2 and result.n_obs == 628
    # OLS on log flows of a Poisson panel with large means recovers the same coefficients
    assert result.coef()["ln_dist"] == pytest.approx(TRUE_BETA["ln_dist"], abs=RECOVERY_TOL)
