"""trade_potential on a small simulated panel: signs, the sum-to-zero property, labels, errors."""

from __future__ import annotations

import pandas as pd
import pytest

from tradecoop.errors import DataValidationError, NotFoundError
from tradecoop.gravity.potential import trade_potential

#: PPML first-order conditions make sum_j (X_ij - Xhat_ij) = 0 exactly at the optimum; pyfixest
#: stops at a relative deviance change of 1e-8 and recovers fixed effects by lsqr (tol 1e-6).
SUM_TOL = 1e-3


@pytest.fixture(scope="module")
def over(potential_panel: pd.DataFrame):
    return trade_potential("C00", "C01", panel=potential_panel, n_countries=15)


@pytest.fixture(scope="module")
def under(potential_panel: pd.DataFrame):
    return trade_potential("c02", "C03", year=2008, panel=potential_panel, n_countries=15)


def test_shocked_pair_over_trades(over) -> None:
    d = over.directions[0]
    assert (d.exporter, d.importer, d.year) == ("C00", "C01", 2008)
    # flows were multiplied by e^1.5: the pair effect is ~1.5 above what observables predict
    assert d.pair_gap < 0 and d.pair_gap_high < 0
    assert d.pair_gap == pytest.approx(-1.5, abs=0.5)
    assert d.pair_label.startswith("over-trading")
    # (a) without a pair effect the model predicts well below the actual flow
    assert d.actual > d.predicted_high and d.label.startswith("over-trading")
    assert d.trade_at_predicted_pair_effect < d.actual


def test_depressed_pair_has_untapped_potential(under) -> None:
    d = under.directions[0]
    assert under.a == "C02" and d.exporter == "C02"
    assert d.pair_gap > 0 and d.pair_gap_low > 0
    assert d.pair_label.startswith("untapped potential")
    assert d.actual < d.predicted_low and d.label.startswith("untapped potential")


def test_reverse_direction_is_reported(over) -> None:
    back = over.directions[1]
    assert (back.exporter, back.importer) == ("C01", "C00")
    # the reverse flow was not shocked: its gap is small next to the 1.5 shock
    assert abs(back.pair_gap) < 1.0


def test_potential_sums_to_zero_over_partners(over) -> None:
    for share in over.exporter_gap_share.values():
        assert abs(share) < SUM_TOL


def test_caveats_and_labels(over) -> None:
    text = " ".join(over.caveats)
    assert "Egger" in text and "sums to ~0" in text and "ESTIMATE" in text
    assert "2022 is a structural break after the last data year (2008)" in text
    assert over.estimated is True
    assert over.years_used == (2000, 2004, 2008)
    out = over.to_dict()
    assert out["directions"][0]["exporter"] == "C00" and "uncertainty" in out
    frame = over.to_frame()
    assert list(frame["flow"].unique()) == ["C00->C01", "C01->C00"] and len(frame) == 8
    assert "pair_gap < 0 = over-trading" in over.title()


def test_unknown_country(potential_panel: pd.DataFrame) -> None:
    with pytest.raises(NotFoundError, match="no country 'C99'.*close: C09"):
        trade_potential("C99", "C01", panel=potential_panel)


def test_region_is_refused_with_reason(potential_panel: pd.DataFrame) -> None:
    with pytest.raises(NotFoundError, match="looks like a region"):
        trade_potential("RU-CHE", "C01", panel=potential_panel)


def test_year_outside_panel(potential_panel: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match="year 2016 is not in the gravity panel; available: 2000, 2004, 2008"):
        trade_potential("C00", "C01", year=2016, panel=potential_panel)


def test_missing_columns(potential_panel: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match="lacks \\['clny'\\]"):
        trade_potential("C00", "C01", panel=potential_panel.drop(columns="clny"))


def test_pair_gap_sensitivity_reports_nested_samples(potential_panel: pd.DataFrame) -> None:
    from tradecoop.gravity.potential import SENSITIVITY_SAMPLES

    result = trade_potential("C00", "C01", panel=potential_panel, sensitivity=True)
    rows = result.pair_gap_sensitivity
    assert len(rows) == 2 * len(SENSITIVITY_SAMPLES)
    # the "all" sample is the default sample: its gap equals the headline result's
    every = [r for r in rows if r["sample"] == "all" and r["exporter"] == "C00"][0]
    assert every["pair_gap"] == pytest.approx(result.directions[0].pair_gap, abs=1e-9)
    assert every["countries"] == len(result.countries)
    assert result.headline[0].startswith("C00 -> C01") and result.to_dict()["headline"]
