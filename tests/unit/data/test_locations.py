"""Locations: ISO 3166-1/-2 codes and English/Russian names resolve to canonical codes.

Expected codes are from ISO 3166-1 (Belarus: BY / BLR / 112; Russia: RU / RUS / 643) and
ISO 3166-2:RU (Chelyabinsk Oblast: RU-CHE, OKATO 75).
"""

from __future__ import annotations

import pycountry
import pytest

from tradecoop.data.nomenclature.hs_codes import hs6_codes, normalise_vintage
from tradecoop.data.nomenclature.locations import (
    is_region,
    location_name,
    okato_regions,
    okato_to_iso,
    parent_country,
    resolve_location,
)
from tradecoop.errors import NotFoundError


@pytest.mark.parametrize(
    ("text", "code"),
    [("by", "BLR"), ("BLR", "BLR"), ("112", "BLR"), ("Belarus", "BLR"), ("Беларусь", "BLR"),
     ("Белоруссия", "BLR"), ("Russia", "RUS"), ("Российская Федерация", "RUS"), ("643", "RUS"),
     ("36", "AUS"), ("RU-CHE", "RU-CHE"), ("ru-che", "RU-CHE"), ("Chelyabinsk", "RU-CHE"),
     ("Челябинская область", "RU-CHE"), ("CHELYABINSK REGION", "RU-CHE"),
     ("Moscow", "RU-MOW"), ("Москва", "RU-MOW"), ("Moscow Oblast", "RU-MOS"), ("WLD", "WLD"),
     ("BY-MI", "BY-MI")],
)
def test_resolve_location(text, code):
    assert resolve_location(text) == code


def test_unknown_location_suggests_close_matches():
    with pytest.raises(NotFoundError, match=r"unknown location 'Belarrus'.*'belarus' \(BLR\)"):
        resolve_location("Belarrus")


def test_names_and_regions():
    assert location_name("BLR") == "Belarus"
    assert location_name("by", lang="ru") == "Беларусь"
    assert location_name("RU-CHE") == "Chelyabinsk Oblast"
    assert location_name("RU-CHE", lang="ru") == "Челябинская область"
    assert is_region("RU-CHE") and not is_region("RUS")
    assert parent_country("RU-CHE") == "RUS" and parent_country("BLR") == "BLR"
    with pytest.raises(NotFoundError, match="unknown language"):
        location_name("BLR", lang="de")


def test_okato_table_matches_iso_3166_2():
    """Every ISO code in okato_regions.csv exists in pycountry and all 83 RU subdivisions are covered."""
    table = okato_regions()
    iso = {r.iso for r in table if r.iso}
    official = {s.code for s in pycountry.subdivisions.get(country_code="RU")}
    assert iso == official
    assert len({r.okato for r in table}) == len(table) == 85
    assert okato_to_iso("75000").iso == "RU-CHE"
    assert okato_to_iso("71100").iso == "RU-KHM" and okato_to_iso("71000").iso == "RU-TYU"
    assert okato_to_iso("02000") is None


def test_hs6_code_lists():
    # HS 2017 split 8701.90 (tractors n.e.c.) into 8701.91-8701.95 (by engine power)
    assert "870190" in hs6_codes("HS12") and "870190" not in hs6_codes("HS17")
    assert "870192" in hs6_codes("HS17") and "870192" in hs6_codes("hs2022")
    assert all(len(c) == 6 and c.isdigit() for c in hs6_codes("HS92"))
    # published subheading counts: HS 2017 has 5,387 and HS 2022 5,609 (WCO); allow the few
    # extra codes carried by the WITS-derived lists
    assert 5_380 <= len(hs6_codes("HS17")) <= 5_400
    assert 5_600 <= len(hs6_codes("HS22")) <= 5_620
    assert normalise_vintage("H5") == "HS17"
    with pytest.raises(NotFoundError, match="unknown HS vintage 'HS99'"):
        hs6_codes("HS99")
