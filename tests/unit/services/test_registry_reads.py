"""The pair's enterprises read in one pass, and a region's capability set derived from them."""

from __future__ import annotations

from tradecoop.registry.session import open_session
from tradecoop.services.registry_reads import capabilities_of, pair_firms


def test_pair_firms_match_the_seed_registry():
    with open_session() as session:
        firms = pair_firms(session, ["BLR", "RU-CHE"])
    names = {f.name_en for f in firms["RU-CHE"]}
    assert {"ChTZ-Uraltrac", "Magnitogorsk Iron and Steel Works"} <= names
    assert all(f.location == "RU-CHE" for f in firms["RU-CHE"])
    assert all(f.location == "BLR" for f in firms["BLR"])
    maz = next(f for f in firms["BLR"] if f.name_en == "Minsk Automobile Plant")
    assert maz.makes == ("8702", "8704", "8716") and maz.needs == ("4011", "7208", "8408", "8708")
    assert maz.source == "https://en.wikipedia.org/wiki/Minsk_Automobile_Plant" and maz.city == "Minsk"


def test_a_country_gets_its_regions_and_capabilities_are_the_regions_makers():
    with open_session() as session:
        firms = pair_firms(session, ["BLR", "RUS"])
    assert any(f.location == "RU-CHE" for f in firms["RUS"])  # Russia's regions count for Russia
    with open_session() as session:
        region = pair_firms(session, ["BLR", "RU-CHE"])["RU-CHE"]
    caps = capabilities_of("RU-CHE", region)
    assert caps is not None and "7208" in caps.products  # Magnitogorsk's flat-rolled steel
    assert {"7304", "8408"} <= set(caps.products)  # ChelPipe's tubes, ChTZ-Uraltrac's engines
    assert all(f.location == "RU-CHE" for f in region)
    assert caps.evidence.startswith("registry: ") and "HS4 headings" in caps.evidence
    assert capabilities_of("RU-KDA", region) is None  # nobody registered there
