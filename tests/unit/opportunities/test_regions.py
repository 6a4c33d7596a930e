"""Regions never inherit their country: real bundled data, a registry-derived and a reported region."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tradecoop.data.provenance import DatasetInfo
from tradecoop.data.store import REPORTED_FLOWS, REPORTED_FLOWS_COLUMNS
from tradecoop.opportunities import rank_opportunities
from tradecoop.services.pair_context import Capabilities, pair_context
from tradecoop.services.request import PairRequest

#: HS4 headings a Chelyabinsk-like region makes (steel, pipes, tractors, engines)
REGION_PRODUCTS = ("7208", "7210", "7304", "7306", "8701", "8408", "8413")
#: types whose value at stake rests on location data (joint entry's is world exports, no location data)
LOCATION_VALUED = ("supply", "localisation", "value_chain")


@pytest.fixture(scope="module")
def country_ranking(tmp_path_factory):
    store = tmp_path_factory.mktemp("store")
    return rank_opportunities(pair_context(PairRequest.of("BLR", "RUS", store=store)), types=list(LOCATION_VALUED))


def test_a_region_without_regional_data_never_gets_its_countrys_values(tmp_path, country_ranking) -> None:
    caps = {"RU-CHE": Capabilities("RU-CHE", REGION_PRODUCTS, "test: 7 headings")}
    ctx = pair_context(PairRequest.of("BLR", "RU-CHE", store=tmp_path), capabilities=caps)
    assert ctx.b.proxy_of == "RUS" and {"imports", "flows"} <= ctx.b.proxy_fields
    assert "country level" in ctx.b.label
    region = rank_opportunities(ctx, types=list(LOCATION_VALUED))
    assert region.opportunities
    country_values = {(o.type, o.direction, o.product): o.value_usd for o in country_ranking.opportunities}
    for o in region.opportunities:
        assert o.proxy_of == "RUS"
        assert o.value_usd is None or o.value_usd != country_values.get((o.type, o.direction, o.product))
        assert o.value_usd is None  # every location-dependent value of a proxy region is withheld


def test_potash_is_not_belarus_first_supply_idea_for_russia(country_ranking) -> None:
    # Russia is a net exporter of potash (3104) with RCA >= 1: no supply idea, and no money figure
    # from an allocation that restates Belarus's market share
    ab = country_ranking.top("supply", "ab", n=10)
    assert ab and ab[0].product != "3104"
    assert "3104" not in [o.product for o in country_ranking.top("supply", "ab", n=10_000)]
    assert all(o.value_usd is None and o.value_note for o in ab)


def _write_reported(store, name: str, rows: list[tuple]) -> None:
    frame = pd.DataFrame(rows, columns=["year", "flow", "exporter", "importer", "product", "value_usd"])
    frame = frame.assign(hs_vintage="HS12", quantity=np.nan, source="test", estimated=False, reporter="RU-CHE")
    folder = store / "datasets" / name
    folder.mkdir(parents=True)
    frame[list(REPORTED_FLOWS_COLUMNS)].to_parquet(folder / "data.parquet", index=False)
    info = DatasetInfo(name=name, table=REPORTED_FLOWS, source="test regional customs", files=("t.csv",),
                       content_hash="0", rows=len(frame), years=(2017, 2017), hs_vintage="HS12",
                       licence="test", imported_at="2026-01-01T00:00:00Z")
    (folder / "info.json").write_text(json.dumps(info.to_dict()), encoding="utf-8")


def test_a_region_with_its_own_flows_uses_them(tmp_path, country_ranking) -> None:
    # RU-CHE reports exports of steel and imports of Belarusian tractors and of dairy from elsewhere
    rows = [
        (2017, "X", "RU-CHE", "BLR", "720851", 40e6), (2017, "X", "RU-CHE", "KAZ", "720851", 300e6),
        (2017, "X", "RU-CHE", "CHN", "730419", 120e6), (2017, "X", "RU-CHE", "BLR", "730419", 5e6),
        (2017, "M", "BLR", "RU-CHE", "870190", 12e6), (2017, "M", "DEU", "RU-CHE", "870190", 30e6),
        (2017, "M", "BLR", "RU-CHE", "040690", 2e6), (2017, "M", "NZL", "RU-CHE", "040690", 20e6),
    ]
    _write_reported(tmp_path, "che_customs", rows)
    ctx = pair_context(PairRequest.of("BLR", "RU-CHE", store=tmp_path))
    assert ctx.b.evidence == "regional trade" and not ctx.b.proxy_fields - {"io_demand"}
    assert ctx.flows_observed
    products = list(ctx.products)
    assert ctx.flow_ab[products.index("8701")] == pytest.approx(12e6)
    assert ctx.flow_ba[products.index("7208")] == pytest.approx(40e6)
    assert ctx.b.imports[products.index("0406")] == pytest.approx(22e6)
    ranking = rank_opportunities(ctx, types=["supply"])
    into_region = {o.product: o for o in ranking.top("supply", "ab", n=100)}
    assert set(into_region) <= {"8701", "0406"}  # the region imports nothing else
    country_values = {(o.type, o.direction, o.product): o.value_usd for o in country_ranking.opportunities}
    for o in into_region.values():
        assert o.value_usd is not None and o.value_usd <= ctx.b.imports[products.index(o.product)] - ctx.flow_ab[products.index(o.product)] + 1e-6
        assert o.value_usd != country_values.get(("supply", "ab", o.product))
