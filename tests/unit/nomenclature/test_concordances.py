"""Concordances and HS vintage conversion (bundled conc_*.parquet only).

External facts used (definitions of the classifications, not our output):
- ISIC Rev.4: division 10 food products, 19 coke and refined petroleum, 24 basic metals,
  28 machinery n.e.c., 29 motor vehicles; WIOD 2013 sectors are ISIC Rev.3 divisions:
  27t28 basic + fabricated metals, 29 machinery, 34t35 transport equipment, 15t16 food.
- BEC Rev.4: 51 passenger motor cars (not assigned to an SNA class), 53 parts of transport
  equipment (intermediate), 122 processed food for households (consumption), 41 capital goods.
- Lall (2000): passenger cars (SITC 781) = medium-tech automotive; integrated circuits
  (SITC 776) = high-tech electronic; T-shirts (SITC 845) = low-tech textile/garment.
- HS 2022 split HS 2012 870190 into five subheadings 870191-870195.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tradecoop.data.nomenclature.concordances import (
    WIOD13_SECTORS,
    convert_hs,
    describe_product,
    hs_to_bec,
    hs_to_isic,
    hs_to_lall,
    hs_to_wiod_sector,
    isic_to_wiod_sector,
    vintage_links,
    wiod_sector_name,
)
from tradecoop.data.nomenclature.hs import nomenclature
from tradecoop.errors import DataQualityWarning, DataValidationError, NotFoundError

#: float tolerance on sums of split values (a handful of additions of doubles)
SUM_TOL = 1e-9


@pytest.mark.parametrize(
    ("code", "division"), [("040690", "10"), ("271012", "19"), ("720711", "24"), ("870193", "28")]
)
def test_hs_to_isic_primary_division(code: str, division: str) -> None:
    result = hs_to_isic([code], "HS22")
    assert result.loc[result["primary"], "isic4_division"].tolist() == [division]
    assert result["weight"].sum() == pytest.approx(1.0, abs=SUM_TOL)


def test_hs_to_isic_covers_hs22_subheadings() -> None:
    table = nomenclature()
    codes = table.loc[(table["level"] == 6) & (table["vintage"] == "HS22"), "code"].tolist()
    # the WITS table has no ISIC Rev.4 class for 79 HS 2022 subheadings (animal hair, waste...)
    with pytest.warns(DataQualityWarning, match="79 of 5613"):
        result = hs_to_isic(codes, "HS22")
    assert set(result["product"]) <= set(codes)
    assert result["product"].nunique() == len(codes) - 79
    assert (result.groupby("product")["primary"].sum() == 1).all()
    sums = result.groupby("product")["weight"].sum()
    assert ((sums - 1).abs() < SUM_TOL).all()


def test_hs_to_bec_classes() -> None:
    result = hs_to_bec(["870323", "870840", "040690", "870193"], "HS22").set_index("product")
    assert result.loc["870323", "bec_code"] == "51" and result.loc["870323", "bec_class"] == "mixed"
    assert result.loc["870840", "bec_class"] == "intermediate"
    assert bool(result.loc["870840", "parts_components"]) is True
    assert result.loc["040690", "bec_class"] == "consumption"
    assert result.loc["870193", "bec_class"] == "capital"


def test_hs_to_bec_covers_hs22_nearly_all() -> None:
    table = nomenclature()
    codes = table.loc[(table["level"] == 6) & (table["vintage"] == "HS22"), "code"].tolist()
    with pytest.warns(DataQualityWarning) as record:
        result = hs_to_bec(codes, "HS22")
    # the UN table leaves a few HS 2022 codes unmapped; the warning says how many
    assert result["product"].nunique() >= len(codes) - 5
    assert "have no" in str(record[0].message)


def test_hs_to_lall_hs12_and_bridged_hs22() -> None:
    hs12 = hs_to_lall(["870323", "854231", "610910"], "HS12").set_index("product")
    assert hs12.loc["870323", "lall_code"] == "LDC06"
    assert hs12.loc["854231", "lall_code"] == "LDC09"
    assert hs12.loc["610910", "lall_code"] == "LDC04"
    hs22 = hs_to_lall(["870193"], "HS22")  # bridged: HS22 870193 <- HS12 870190 (engineering)
    assert hs22.loc[hs22["primary"], "lall_class"].iloc[0].startswith("Medium technology")


def test_hs4_pools_subheadings() -> None:
    result = hs_to_bec(["8701"], "HS22")
    assert result["weight"].sum() == pytest.approx(1.0, abs=SUM_TOL)
    assert set(result["bec_class"]) == {"capital"}


@pytest.mark.parametrize(
    ("division", "sector"),
    [
        ("01", "AtB"),
        ("10", "15t16"),
        ("19", "23"),
        ("21", "24"),  # pharmaceuticals are ISIC Rev.3 2423 (chemicals); tie broken by HS links
        ("24", "27t28"),
        ("28", "29"),
        ("29", "34t35"),
        ("31", "36t37"),  # furniture is ISIC Rev.3 361
    ],
)
def test_isic_to_wiod_sector(division: str, sector: str) -> None:
    assert isic_to_wiod_sector(division) == sector


def test_isic_to_wiod_sector_unknown() -> None:
    with pytest.raises(NotFoundError):
        isic_to_wiod_sector("00")
    assert wiod_sector_name("27t28") == "Basic metals and fabricated metal"
    assert len(WIOD13_SECTORS) == 35


def test_hs_to_wiod_sector_steel_is_basic_metals() -> None:
    result = hs_to_wiod_sector(["720711"])
    assert result.loc[result["primary"], "wiod_sector"].tolist() == ["27t28"]


def test_vintage_links_weights_sum_to_one() -> None:
    for a, b in [("HS12", "HS22"), ("HS22", "HS12"), ("HS07", "HS17")]:
        links = vintage_links(a, b)
        sums = links.groupby("source")["weight"].sum()
        assert ((sums - 1).abs() < SUM_TOL).all(), (a, b)


def test_convert_hs_equal_split_by_hand() -> None:
    # HS12 870190 (100 USD) -> 5 HS22 codes, 100 / 5 = 20 each, estimated;
    # 310420 maps 1:1 (50 USD, stays observed). Total 150 before and after.
    frame = pd.DataFrame(
        {
            "year": [2017, 2017],
            "exporter": ["BLR", "BLR"],
            "product": ["870190", "310420"],
            "hs_vintage": ["HS12", "HS12"],
            "value_usd": [100.0, 50.0],
            "estimated": [False, False],
        }
    )
    out = convert_hs(frame, "HS12", "HS22").set_index("product")
    assert out["value_usd"].sum() == pytest.approx(150.0, abs=SUM_TOL)
    for code in ("870191", "870192", "870193", "870194", "870195"):
        assert out.loc[code, "value_usd"] == pytest.approx(20.0, abs=SUM_TOL)
        assert bool(out.loc[code, "estimated"]) is True
    assert out.loc["310420", "value_usd"] == 50.0 and not out.loc["310420", "estimated"]
    assert set(out["hs_vintage"]) == {"HS22"}
    back = convert_hs(out.reset_index(), "HS22", "HS12").set_index("product")
    assert back.loc["870190", "value_usd"] == pytest.approx(100.0, abs=SUM_TOL)


def test_convert_hs_drops_unknown_codes_with_warning() -> None:
    frame = pd.DataFrame({"product": ["870190", "999998"], "value_usd": [10.0, 5.0]})
    with pytest.warns(DataQualityWarning, match="1 rows"):
        out = convert_hs(frame, "HS12", "HS22")
    assert out["value_usd"].sum() == pytest.approx(10.0, abs=SUM_TOL)


def test_convert_hs_rejects_bad_input() -> None:
    with pytest.raises(DataValidationError):
        convert_hs(pd.DataFrame({"product": ["8701"], "value_usd": [1.0]}), "HS12", "HS22")
    with pytest.raises(DataValidationError):
        convert_hs(pd.DataFrame({"product": ["870190"], "value_usd": [1.0]}), "HS12", "HS2099")
    with pytest.raises(DataValidationError):
        convert_hs(pd.DataFrame({"product": ["870190"], "x": [1.0]}), "HS12", "HS22")


def test_describe_product() -> None:
    info = describe_product("8701")
    assert info["section"] == "XVII"
    assert info["bec_class"] == "capital"
    assert info["isic4_division"] == "28"
    assert info["lall_code"] == "LDC08"
