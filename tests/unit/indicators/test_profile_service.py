"""The profile service on a three-country world small enough to check by hand."""

from __future__ import annotations

import math
import warnings

import pandas as pd
import pytest

from tradecoop.errors import DataQualityWarning, NotFoundError
from tradecoop.indicators import profile as prof
from tradecoop.services.profile import pair_profile
from tradecoop.services.request import PairRequest

# bilateral totals (USD): 2008 RUS->BLR is a missing report; 2012 and 2016 complete
TOTALS = pd.DataFrame(
    [
        (2008, "BLR", "RUS", 50.0, False), (2008, "RUS", "BLR", 0.0, True),
        (2012, "BLR", "RUS", 100.0, False), (2012, "RUS", "BLR", 200.0, False),
        (2012, "BLR", "DEU", 100.0, False), (2012, "RUS", "DEU", 200.0, False),
        (2012, "DEU", "BLR", 50.0, False), (2012, "DEU", "RUS", 50.0, False),
        (2016, "BLR", "RUS", 144.0, False), (2016, "RUS", "BLR", 98.0, False),
        (2016, "BLR", "DEU", 48.0, False), (2016, "RUS", "DEU", 98.0, False),
        (2016, "DEU", "BLR", 100.0, False), (2016, "DEU", "RUS", 100.0, False),
    ],
    columns=["year", "exporter", "importer", "value_usd", "missing_report"],
)
# 2017 exports to the world by HS4
WORLD = pd.DataFrame(
    [
        (2017, "BLR", "8701", 60.0), (2017, "BLR", "7208", 20.0), (2017, "BLR", "0406", 20.0),
        (2017, "RUS", "7208", 150.0), (2017, "RUS", "2709", 50.0),
        (2017, "DEU", "8701", 100.0), (2017, "DEU", "8703", 100.0),
    ],
    columns=["year", "exporter", "product", "value_usd"],
)


@pytest.fixture(scope="module")
def profile():
    return prof.build_profile("BLR", "RUS", TOTALS, WORLD)


def test_series_shows_missing_reports_as_missing(profile):
    s = profile.series.set_index("year")
    assert math.isnan(s.loc[2008, "exports_b_to_a"]) and math.isnan(s.loc[2008, "turnover"])
    assert "missing report (not zero)" in s.loc[2008, "note"]
    # 2016: X = 144, M = 98 -> T 242, B 46, coverage 144/98, relative 46/242
    assert s.loc[2016, "turnover"] == 242.0 and s.loc[2016, "balance"] == 46.0
    assert s.loc[2016, "coverage"] == pytest.approx(144 / 98)
    assert s.loc[2016, "relative_balance"] == pytest.approx(46 / 242)


def test_headline_cagr_current_usd(profile):
    h = profile.headline
    assert h["year"] == 2016 and h["unit"] == "current USD" and h["cagr_from"] == 2012
    # turnover 300 (2012) -> 242 (2016): (242/300)^(1/4) - 1
    assert h["cagr_turnover"] == pytest.approx((242 / 300) ** 0.25 - 1)
    # BLR->RUS 100 -> 144 over 4 years: 1.44^(1/4) - 1 = 1.2^(1/2) - 1
    assert h["cagr_exports_a_to_b"] == pytest.approx(1.2**0.5 - 1)


def test_estimated_product_tables_are_labelled(profile):
    assert profile.estimated
    assert (profile.structure["basis"] == prof.ESTIMATED).all()
    assert (profile.top_products["basis"] == prof.ESTIMATED).all()
    assert (profile.dependency["basis"] == prof.ESTIMATED).all()
    # BLR 2016 shares: RUS 144/192 = 0.75 -> 8701 45, 7208 15, 0406 15 (sums to 0.75 * 100)
    top = profile.top_products[profile.top_products.direction == "BLR->RUS"]
    assert top.set_index("product")["value_usd"].to_dict() == {"8701": 45.0, "0406": 15.0, "7208": 15.0}
    assert any("ESTIMATED" in p["method"] for p in profile.provenance)


def test_indices_by_hand(profile):
    idx = profile.indices.set_index(["indicator", "direction"])
    # TII 2016, one matrix: world total 588; BLR->RUS 144 of BLR's 192; RUS imports 244
    # (144/192) / (244/588) = 0.75 / 0.414966 = 1.807377
    assert idx.loc[("trade intensity (TII)", "BLR->RUS"), "value"] == pytest.approx(0.75 / (244 / 588))
    assert idx.loc[("trade intensity (TII)", "BLR->RUS"), "basis"] == prof.OBSERVED
    # ESI on world exports: BLR (8701 .6, 7208 .2, 0406 .2), RUS (7208 .75, 2709 .25): min -> .2
    assert idx.loc[("export similarity (Finger-Kreinin)", "BLR~RUS"), "value"] == pytest.approx(20.0)
    # GL: BLR->RUS (8701 45, 7208 15, 0406 15); RUS->BLR shares 98/196 = .5: (7208 75, 2709 25)
    # sum|X-M| = 45 + 60 + 15 + 25 = 145; sum(X+M) = 75 + 100 = 175 -> 1 - 145/175 = 30/175
    assert idx.loc[("Grubel-Lloyd aggregate", "BLR<->RUS"), "value"] == pytest.approx(30 / 175)
    assert idx.loc[("Grubel-Lloyd aggregate", "BLR<->RUS"), "basis"] == prof.ESTIMATED
    # HHI of RUS->BLR: .75^2 + .25^2 = 0.625
    assert idx.loc[("HHI", "RUS->BLR"), "value"] == pytest.approx(0.625)


def test_dependency_by_hand(profile):
    dep = profile.dependency.set_index(["supplier", "product"])
    # RUS imports of 8701: BLR 0.75 * 60 = 45, DEU 100/200 * 100 = 50 -> BLR share 45/95
    assert dep.loc[("BLR", "8701"), "dependency_share"] == pytest.approx(45 / 95)


def test_to_dict_has_sections(profile):
    d = profile.to_dict()
    for key in ("pair", "estimated", "headline", "series", "structure", "top_products", "indices",
                "dependency", "provenance", "notes"):
        assert key in d
    assert d["estimated"] is True


def test_region_without_regional_file_is_not_found():
    with pytest.raises(NotFoundError, match="regional trade file"):
        pair_profile(PairRequest.of("BLR", "RU-CHE"))


def test_unknown_location_and_empty_years():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        with pytest.raises(NotFoundError, match="XYZ"):
            prof.build_profile("BLR", "XYZ", TOTALS, WORLD)
        with pytest.raises(NotFoundError, match="2020-2024"):
            prof.build_profile("BLR", "RUS", TOTALS, WORLD, years=(2020, 2024))


def test_observed_pair_file_replaces_the_estimate():
    from tradecoop.data.provenance import DatasetInfo

    flows = pd.DataFrame({
        "year": 2016, "exporter": ["BLR", "BLR", "RUS"], "importer": ["RUS", "RUS", "BLR"],
        "product": ["8701", "8701", "7208"], "value_usd": [10.0, 5.0, 30.0],
    })
    info = DatasetInfo(name="blr_rus_comtrade", table="bilateral_flows", source="UN Comtrade",
                       files=("x.csv",), content_hash="0", rows=3, years=(2016, 2016),
                       hs_vintage="HS12", licence="", imported_at="")
    p = prof.build_profile("BLR", "RUS", TOTALS, WORLD, observed=(flows, info))
    assert not p.estimated
    assert (p.top_products["basis"] == prof.OBSERVED).all()
    # duplicate rows are summed: BLR->RUS 8701 = 15
    assert p.top_products.set_index(["direction", "product"]).loc[("BLR->RUS", "8701"), "value_usd"] == 15.0
    assert p.dependency.empty
    assert "trade complementarity (TC)" not in set(p.indices["indicator"])


def test_region_with_its_own_trade_file():
    from tradecoop.data.provenance import DatasetInfo

    # RU-CHE <-> BLR from a regional file, two years; the region is in no country table
    flows = pd.DataFrame({
        "year": [2020, 2021, 2021, 2021],
        "exporter": ["RU-CHE", "RU-CHE", "RU-CHE", "BLR"],
        "importer": ["BLR", "BLR", "BLR", "RU-CHE"],
        "product": ["720851", "720851", "730419", "870120"],
        "value_usd": [80.0, 90.0, 10.0, 50.0],
    })
    info = DatasetInfo(name="fcs_che", table="bilateral_flows", source="FCS regional statistics",
                       files=("che.csv",), content_hash="0", rows=4, years=(2020, 2021),
                       hs_vintage="HS17", licence="", imported_at="")
    p = prof.build_profile("RU-CHE", "BLR", TOTALS, WORLD, observed=(flows, info))
    s = p.series.set_index("year")
    # 2021: X = 90 + 10 = 100, M = 50 -> turnover 150; 2020: BLR side absent -> NaN
    assert s.loc[2021, "turnover"] == 150.0 and pd.isna(s.loc[2020, "exports_b_to_a"])
    assert p.headline["year"] == 2021
    # structure from the latest year only: 720851 = 90 of 100
    top = p.top_products[p.top_products.direction == "RU-CHE->BLR"].set_index("product")
    assert top.loc["720851", "share"] == 0.9
    assert not p.estimated and "trade intensity (TII)" not in set(p.indices["indicator"])


def test_per_product_grubel_lloyd_and_iit_with_quantities():
    from tradecoop.data.provenance import DatasetInfo

    # 8701: X 100 (10 t), M 60 (5 t): UV 10 vs 12 -> ratio 0.833 < 1/1.15 -> vertical
    # 7208: X 40 (4 t), M 40 (4.2 t): UV 10 vs 9.52 -> ratio 1.05 -> horizontal
    flows = pd.DataFrame({
        "year": 2016, "exporter": ["BLR", "BLR", "RUS", "RUS"], "importer": ["RUS", "RUS", "BLR", "BLR"],
        "product": ["8701", "7208", "8701", "7208"], "value_usd": [100.0, 40.0, 60.0, 40.0],
        "quantity": [10.0, 4.0, 5.0, 4.2],
    })
    info = DatasetInfo(name="obs", table="bilateral_flows", source="test", files=(), content_hash="",
                       rows=4, years=(2016, 2016), hs_vintage="HS12", licence="", imported_at="")
    p = prof.build_profile("BLR", "RUS", TOTALS, WORLD, observed=(flows, info))
    gl = p.grubel_lloyd.set_index("product")
    # GL 8701 = 1 - 40/160 = 0.75 (two-way 120); 7208 = 1 (two-way 80)
    assert gl.loc["8701", "gl"] == 0.75 and gl.loc["7208", "gl"] == 1.0
    assert gl.index.tolist() == ["8701", "7208"]
    assert gl.loc["8701", "iit_type"] == "vertical" and gl.loc["7208", "iit_type"] == "horizontal"
    assert "intra-industry trade type" not in set(p.indices["indicator"])


def test_observed_file_uses_its_own_latest_year():
    from tradecoop.data.provenance import DatasetInfo

    # file years 2019 and 2021 (after the bundled totals end in 2016): the 2021 rows are used
    flows = pd.DataFrame({
        "year": [2019, 2021, 2021], "exporter": ["BLR", "BLR", "RUS"], "importer": ["RUS", "RUS", "BLR"],
        "product": ["8701", "0406", "7208"], "value_usd": [99.0, 10.0, 30.0],
    })
    info = DatasetInfo(name="obs", table="bilateral_flows", source="test", files=(), content_hash="",
                       rows=3, years=(2019, 2021), hs_vintage="HS12", licence="", imported_at="")
    p = prof.build_profile("BLR", "RUS", TOTALS, WORLD, observed=(flows, info))
    top = p.top_products[p.top_products.direction == "BLR->RUS"]
    assert top["product"].tolist() == ["0406"]
    assert "2021" in p.provenance[1]["method"]


def test_observed_world_file_gives_observed_tc_and_dependency():
    from tradecoop.data.provenance import DatasetInfo

    # a world-like file: BLR and RUS trade with each other and with DEU
    flows = pd.DataFrame({
        "year": 2021,
        "exporter": ["BLR", "DEU", "RUS", "DEU", "BLR", "RUS"],
        "importer": ["RUS", "RUS", "BLR", "BLR", "DEU", "DEU"],
        "product": ["870190", "870190", "720851", "870190", "040690", "720851"],
        "value_usd": [30.0, 90.0, 50.0, 50.0, 20.0, 150.0],
    })
    info = DatasetInfo(name="baci", table="bilateral_flows", source="BACI", files=(), content_hash="",
                       rows=6, years=(2021, 2021), hs_vintage="HS17", licence="", imported_at="")
    p = prof.build_profile("BLR", "RUS", TOTALS, WORLD, observed=(flows, info))
    assert not p.estimated
    dep = p.dependency.set_index(["supplier", "product"])
    # RUS imports 870190: BLR 30 of 30 + 90 = 120 -> 0.25; BLR imports 720851: RUS 50 of 50 -> 1
    assert dep.loc[("BLR", "870190"), "dependency_share"] == pytest.approx(0.25)
    assert dep.loc[("RUS", "720851"), "dependency_share"] == pytest.approx(1.0)
    assert (p.dependency["basis"] == prof.OBSERVED).all()
    idx = p.indices.set_index(["indicator", "direction"])
    # TC BLR->RUS: BLR exports (870190 30, 040690 20) -> (.6, .4); RUS imports 870190 only -> 1
    # sum |m - x| = 0.4 + 0.4 = 0.8 -> 100 * (1 - 0.4) = 60
    assert idx.loc[("trade complementarity (TC)", "BLR->RUS"), "value"] == pytest.approx(60.0)
    assert idx.loc[("trade complementarity (TC)", "BLR->RUS"), "basis"] == prof.OBSERVED
    # ESI from the file: BLR (.6 870190, .4 040690), RUS (720851 only) -> 0
    assert idx.loc[("export similarity (Finger-Kreinin)", "BLR~RUS"), "value"] == pytest.approx(0.0)
    assert idx.loc[("export similarity (Finger-Kreinin)", "BLR~RUS"), "level"] == "HS6"


def test_world_rca_by_hand():
    # A exports p1 1, p2 1; B exports p2 2. World shares: p1 1/4, p2 3/4.
    # RCA A,p1 = (1/2)/(1/4) = 2; A,p2 = (1/2)/(3/4) = 2/3; B,p2 = 1/(3/4) = 4/3; B,p1 absent
    w = pd.DataFrame({"exporter": ["A", "A", "B"], "product": ["p1", "p2", "p2"], "value_usd": [1.0, 1.0, 2.0]})
    r = prof._world_rca(w).set_index(["location", "product"])["rca"]
    assert r.to_dict() == pytest.approx({("A", "p1"): 2.0, ("A", "p2"): 2 / 3, ("B", "p2"): 4 / 3})
