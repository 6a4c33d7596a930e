"""Values that respect the market, co-production only on observed flows, explanations with raw values."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from tradecoop.opportunities import rank_opportunities

#: a capped value may exceed the cap only by floating-point noise
CAP_TOL = 1e-9


def _observed(ctx):
    """The same context with observed flows and imports (no estimates)."""
    return replace(ctx, a=replace(ctx.a, estimated=frozenset()), b=replace(ctx.b, estimated=frozenset()),
                   estimated=frozenset())


@pytest.mark.parametrize("seed", range(20))
def test_no_supply_value_exceeds_the_buyers_third_country_imports(seed, build) -> None:
    make_side, make_context = build
    rng = np.random.default_rng(seed)
    n = 12
    a = make_side("AAA", exports=rng.lognormal(5, 2, n), imports=rng.lognormal(4, 2, n), rca=rng.lognormal(0, 1, n))
    b = make_side("BBB", exports=rng.lognormal(5, 2, n), imports=rng.lognormal(4, 2, n), rca=rng.lognormal(0, 1, n))
    flow_ab = b.imports * rng.uniform(0, 1, n)  # the flow is part of the buyer's imports
    flow_ba = a.imports * rng.uniform(0, 1, n)
    ctx = make_context(a, b, flow_ab=flow_ab, flow_ba=flow_ba, total_ab=float(flow_ab.sum()) * 3,
                       total_ba=float(flow_ba.sum()) * 3, world_exports=np.full(n, 1e6), estimated=frozenset())
    ranking = rank_opportunities(ctx, types=["supply"])
    assert ranking.opportunities
    pos = {p: i for i, p in enumerate(ctx.products)}
    for o in ranking.opportunities:
        assert o.value_usd is not None, o.value_note
        i = pos[o.product]
        buyer, flow = (b, flow_ab) if o.direction == "ab" else (a, flow_ba)
        assert o.value_usd <= buyer.imports[i] - flow[i] + CAP_TOL


def test_a_net_exporter_with_rca_above_one_is_never_offered_supply(build) -> None:
    make_side, make_context = build
    # B is competitive in 8701 (RCA 2) and exports more of it than it imports: A's 8701 (RCA 5) is no supply idea
    a = make_side("AAA", exports=[500, 100, 50], imports=[1, 1, 1], rca=[5.0, 2.0, 1.5])
    b = make_side("BBB", exports=[300, 1, 1], imports=[200, 80, 60], rca=[2.0, 0.1, 0.1])
    ctx = make_context(a, b, flow_ab=np.array([150.0, 5.0, 5.0]))
    products = [o.product for o in rank_opportunities(ctx, types=["supply"]).top("supply", "ab")]
    assert products and "8701" not in products
    # the same product with B a net importer (exports 100 < imports 200) is a candidate again
    b2 = make_side("BBB", exports=[100, 1, 1], imports=[200, 80, 60], rca=[2.0, 0.1, 0.1])
    again = rank_opportunities(make_context(a, b2, flow_ab=np.array([150.0, 5.0, 5.0])), types=["supply"])
    assert "8701" in [o.product for o in again.top("supply", "ab")]


def test_no_money_figure_when_flow_and_imports_share_one_allocation(toy_context) -> None:
    # toy context: flows estimated and B's imports estimated -> no value, a reason, ranked on criteria
    ranking = rank_opportunities(toy_context, types=["supply"])
    ab = ranking.top("supply", "ab")
    assert ab and all(o.value_usd is None for o in ab)
    assert all(o.value_note.startswith("no reliable value") for o in ab)
    assert [o.rank for o in ab] == [1, 2]
    # observed data -> a value, with the year of "actual" and what is left out in the method
    observed = rank_opportunities(_observed(toy_context), types=["supply"]).top("supply", "ab")
    assert all(o.value_usd is not None for o in observed)
    assert "actual = the flow of 2017" in observed[0].value_method
    assert "distance factor left out" in observed[0].value_method


def test_co_production_only_on_observed_flows(toy_context) -> None:
    estimated = rank_opportunities(toy_context, types=["co_production"])
    assert not estimated.opportunities
    assert any(n.startswith("co_production switched off") for n in estimated.notes)
    observed = rank_opportunities(_observed(toy_context), types=["co_production"])
    assert observed.opportunities  # 8701-8703 flow both ways in the toy context
    assert not any(n.startswith("co_production switched off") for n in observed.notes)


def test_explanation_carries_raw_values_next_to_contributions(toy_context) -> None:
    ranking = rank_opportunities(_observed(toy_context), types=["supply"])
    o = ranking.top("supply", "ab")[0]
    parts = {p["criterion"]: p for p in o.explanation}
    assert set(parts) == set(o.contributions)
    for name, part in parts.items():
        assert part["contribution"] == o.contributions[name]
        assert part["raw_label"]
    # 8701: A exports 300 of a world 1000 -> share 0.30, RCA 3
    assert parts["exporter_rca"]["raw_value"] == pytest.approx(0.30)
    assert parts["exporter_rca"]["rca"] == pytest.approx(3.0)
    assert parts["exporter_rca"]["criterion_value"] == pytest.approx(math.log(3.0))
    assert parts["importer_demand"]["raw_value"] == pytest.approx(400.0)
    assert math.isclose(sum(p["contribution"] for p in o.explanation), o.score, abs_tol=1e-12)
    assert "z-score" in ranking.to_dict()["score_scale"]


def test_a_proxy_region_gets_no_location_value(toy_context) -> None:
    # B is a region ranked with its country's numbers: no value for supply, localisation or value chain
    region = replace(toy_context.b, code="BB-REG", proxy_of="BBB", proxy_fields=frozenset({"imports", "flows", "io_demand"}),
                     label="BBB, country level")
    ctx = _observed(replace(toy_context, b=region))
    ranking = rank_opportunities(ctx, types=["supply", "localisation", "value_chain"])
    assert ranking.opportunities
    for o in ranking.opportunities:
        assert o.value_usd is None and o.proxy_of == "BBB", (o.type, o.product, o.value_usd)
        assert "never its country's" in o.value_note


def test_explanation_says_when_a_raw_value_is_an_allocation_estimate(toy_context) -> None:
    # toy context: B's imports and the flows are estimated
    o = rank_opportunities(toy_context, types=["supply"]).top("supply", "ab")[0]
    parts = {p["criterion"]: p for p in o.explanation}
    assert parts["importer_demand"]["estimated"] and "(estimated: proportional allocation)" in parts["importer_demand"]["raw_label"]
    assert not parts["exporter_rca"]["estimated"] and "estimated" not in parts["exporter_rca"]["raw_label"]
