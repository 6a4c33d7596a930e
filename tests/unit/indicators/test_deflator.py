"""The bundled US GDP deflator and constant-USD growth (scripts/build_deflator.py)."""

from __future__ import annotations

import math

import pytest

from tradecoop.indicators import bilateral as bil
from tradecoop.indicators.deflator import usd_price_level
from tradecoop.indicators.profile import build_profile

#: BEA NIPA table 1.1.9, implicit price deflator for GDP (2012 = 100): 2016 = 105.7; the bundled
#: series comes from the World Bank via tradestatistics, so allow half a percent
BEA_2016_OVER_2012 = 1.057
DEFLATOR_RTOL = 0.005


def test_price_level_is_based_in_2017_and_matches_the_published_deflator() -> None:
    prices = usd_price_level()
    assert prices[2017] == 1.0
    assert prices[2016] / prices[2012] == pytest.approx(BEA_2016_OVER_2012, rel=DEFLATOR_RTOL)
    assert all(prices[y] < prices[y + 1] for y in range(1990, 2020))  # no deflation year in the US


def test_constant_usd_growth_deflates_both_ends() -> None:
    import pandas as pd

    totals = pd.DataFrame({"year": [2012, 2012, 2016, 2016], "exporter": ["A", "B", "A", "B"],
                           "importer": ["B", "A", "B", "A"], "value_usd": [100.0, 50.0, 120.0, 60.0]})
    world = pd.DataFrame({"year": [2016] * 2, "exporter": ["A", "B"], "product": ["0101", "0101"],
                          "value_usd": [1.0, 1.0]})
    head = build_profile("A", "B", totals, world).headline
    prices = usd_price_level()
    nominal = bil.cagr(150.0, 180.0, 4)
    assert head["cagr_turnover"] == pytest.approx(nominal)
    real = (180.0 / prices[2016] / (150.0 / prices[2012])) ** 0.25 - 1
    assert head["cagr_turnover_constant_usd"] == pytest.approx(real)
    assert head["cagr_turnover_constant_usd"] < head["cagr_turnover"]  # prices rose
    assert not math.isnan(real)
