"""HHI, UNCTAD H*, dependency shares and the substitute supplier pool, by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tradecoop.errors import DataValidationError
from tradecoop.indicators.concentration import hhi, hhi_normalised
from tradecoop.indicators.dependency import dependency_share, substitute_suppliers


def test_hhi_and_normalised_by_hand():
    # shares 0.5, 0.3, 0.2: HHI = 0.25 + 0.09 + 0.04 = 0.38
    assert hhi([50, 30, 20]) == pytest.approx(0.38)
    # H* = (sqrt(0.38) - sqrt(1/3)) / (1 - sqrt(1/3)) = (0.616441 - 0.577350) / 0.422650 = 0.092490
    assert hhi_normalised([50, 30, 20]) == pytest.approx(0.0924902, abs=1e-6)
    # zeros are not product lines
    assert hhi([50, 30, 20, 0]) == pytest.approx(0.38)


def test_hhi_normalised_is_nan_for_a_single_line():
    assert hhi([7.0]) == 1.0
    assert math.isnan(hhi_normalised([7.0]))
    # with the classification's size stated (N = 4): (1 - 0.5) / (1 - 0.5) = 1
    assert hhi_normalised([7.0], n_lines=4) == pytest.approx(1.0)


def test_hhi_equal_shares_normalises_to_zero():
    assert hhi_normalised([1, 1, 1, 1]) == pytest.approx(0.0, abs=1e-15)


def test_dependency_share_by_hand():
    # j buys 40 of k1 from i out of 160 (0.25); 0 of k2 out of 10; k3 nothing at all -> NaN
    dep = dependency_share(pd.Series({"k1": 40.0, "k2": 0.0}), pd.Series({"k1": 160.0, "k2": 10.0, "k3": 0.0}))
    assert dep["k1"] == 0.25 and dep["k2"] == 0.0 and math.isnan(dep["k3"])


def test_dependency_share_rejects_partner_above_total():
    with pytest.raises(DataValidationError, match="exceed total imports"):
        dependency_share(pd.Series({"k1": 200.0}), pd.Series({"k1": 100.0}))


def test_substitute_suppliers_by_hand():
    imports = pd.DataFrame({
        "supplier": ["BLR", "DEU", "CHN", "BLR"],
        "product": ["8701", "8701", "8701", "0406"],
        "value_usd": [50.0, 30.0, 10.0, 5.0],
    })
    rca = pd.DataFrame({
        "location": ["BLR", "DEU", "CHN", "USA", "NZL"],
        "product": ["8701", "8701", "8701", "8701", "0406"],
        "rca": [5.0, 1.2, 0.8, 1.0, 9.0],
        "value_usd": [100.0, 300.0, 200.0, 400.0, 700.0],
    })
    out = substitute_suppliers(imports, rca, "BLR").set_index("product")
    # other suppliers of 8701: DEU 30, CHN 10 -> shares 0.75, 0.25 -> HHI 0.625
    assert out.loc["8701", "other_suppliers_hhi"] == pytest.approx(0.625)
    # RCA >= 1 outside BLR: DEU (1.2) and USA (1.0, tie counts) -> 2 exporters, 300 + 400
    assert out.loc["8701", "n_competitive_exporters"] == 2
    assert out.loc["8701", "competitive_exports_usd"] == 700.0
    # 0406: no other supplier -> NaN; NZL competitive
    assert math.isnan(out.loc["0406", "other_suppliers_hhi"])
    assert out.loc["0406", "n_competitive_exporters"] == 1
