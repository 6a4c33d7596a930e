"""Value-chain demand from imported input coefficients (OECD ICIO 2022 layout), checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tradecoop.opportunities import rank_opportunities
from tradecoop.opportunities.icio import (
    hs_to_icio_sector,
    imported_input_demand,
    isic3_class_to_icio,
)

#: USD amounts here are exact sums of a few products of small numbers
USD_TOL = 1e-6


def _two_country_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    # Countries SUP (supplier) and BUY (buyer); sectors S1 (steel) and S2 (machinery). USD mn.
    #   SUP.S1 -> BUY.S2 30, SUP.S1 -> BUY.S1 5, SUP.S2 -> BUY.S2 8     (imported inputs)
    #   BUY.S1 -> BUY.S2 50, BUY.S1 -> BUY.S1 10, BUY.S2 -> BUY.S2 20   (domestic: must not count)
    rows = [("BUY", "S2", "SUP", "S1", 30.0), ("BUY", "S1", "SUP", "S1", 5.0), ("BUY", "S2", "SUP", "S2", 8.0),
            ("BUY", "S2", "BUY", "S1", 50.0), ("BUY", "S1", "BUY", "S1", 10.0), ("BUY", "S2", "BUY", "S2", 20.0),
            ("SUP", "S2", "BUY", "S1", 7.0)]
    inputs = pd.DataFrame(rows, columns=["location", "output_sector", "input_country", "input_sector", "value_usd_mn"])
    output = pd.DataFrame({"location": ["BUY", "BUY", "SUP", "SUP"], "sector": ["S1", "S2", "S1", "S2"],
                           "gross_output_usd_mn": [100.0, 200.0, 400.0, 300.0]})
    return inputs, output


def test_imported_coefficients_by_hand() -> None:
    inputs, output = _two_country_table()
    demand = imported_input_demand(inputs, output, "BUY")
    # a^M(S1,S1) = 5/100, a^M(S1,S2) = 30/200 -> D_S1 = .05 x 100 + .15 x 200 = 35
    # a^M(S2,S2) = 8/200                       -> D_S2 = .04 x 200 = 8
    assert demand["S1"] == pytest.approx(35e6, abs=USD_TOL)
    assert demand["S2"] == pytest.approx(8e6, abs=USD_TOL)
    # domestic coefficients would give 60 and 20, total-use 95 and 28: neither is used
    assert demand["S1"] != pytest.approx(60e6) and demand["S1"] != pytest.approx(95e6)
    # the supplier's own demand comes from its own imports only (BUY.S1 -> SUP.S2 7, output 300)
    assert imported_input_demand(inputs, output, "SUP").to_dict() == pytest.approx({"S1": 7e6})


def test_value_chain_stake_is_imported_demand_capped_at_third_country_imports(build) -> None:
    # Demand 35 (USD mn) for steel S1 split over two HS products by world export shares .6/.4 -> 21 and 14;
    # the buyer imports 30 and 12 of them, 10 and 0 from the supplier -> caps 20 and 12 -> values 20, 12
    make_side, make_context = build
    demand = 35e6 * np.array([0.6, 0.4])
    a = make_side("AAA", exports=[500, 400], imports=[1, 1], rca=[3.0, 2.0])
    b = make_side("BBB", exports=[1, 1], imports=[30e6, 12e6], rca=[0.1, 0.1], io=demand)
    ctx = make_context(a, b, flow_ab=np.array([10e6, 0.0]), estimated=frozenset())
    ranking = rank_opportunities(ctx, types=["value_chain"])
    values = {o.product: o.value_usd for o in ranking.top("value_chain", "ab")}
    assert values == pytest.approx({"8701": 20e6, "8702": 12e6}, abs=USD_TOL)


def test_hs_headings_map_to_the_right_icio_sectors() -> None:
    # known headings: steel bars, potash, refined oil, vehicle parts, tractors, aluminium, medicines
    sectors = hs_to_icio_sector(["7214", "3104", "2710", "8708", "8701", "7601", "3004"]).to_dict()
    assert sectors == {"7214": "C24A", "3104": "C20", "2710": "C19", "8708": "C29", "8701": "C28",
                       "7601": "C24B", "3004": "C21"}
    assert isic3_class_to_icio("2731") == "C24A" and isic3_class_to_icio("2732") == "C24B"


#: totals quoted with 3 significant digits in the extract's README
REL_TOL_3_DIGITS = 0.005


def test_bundled_icio_extract_matches_its_readme_checks() -> None:
    from tradecoop.data.bundled import bundled_path

    output = pd.read_parquet(bundled_path("icio2022_gross_output"))
    by_country = output.groupby("location")["gross_output_usd_mn"].sum()
    assert by_country["BLR"] == pytest.approx(140.3e3, rel=REL_TOL_3_DIGITS)
    assert by_country["RUS"] == pytest.approx(4094.8e3, rel=REL_TOL_3_DIGITS)
    pairs = pd.read_parquet(bundled_path("icio2022_pair_intermediate")).set_index(["exporter", "importer"])["value_usd_mn"]
    assert pairs[("BLR", "RUS")] == pytest.approx(10.1e3, rel=REL_TOL_3_DIGITS * 2)
    assert pairs[("RUS", "BLR")] == pytest.approx(15.9e3, rel=REL_TOL_3_DIGITS * 2)
