"""The opportunity engine on a hand-made 4-product pair (see conftest.py for the numbers)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tradecoop.errors import DataValidationError, NotFoundError
from tradecoop.opportunities import OPPORTUNITY_TYPES, preset_weights, rank_opportunities
from tradecoop.opportunities.export_potential import export_potential
from tradecoop.opportunities.weights import DIVERSIFICATION_PRESETS, load_weights

SUM_TOL = 1e-12  # contributions are summed in float64; the score is their sum


def test_contributions_sum_to_score(toy_context) -> None:
    ranking = rank_opportunities(toy_context)
    assert ranking.opportunities
    for o in ranking.opportunities:
        assert math.isclose(sum(o.contributions.values()), o.score, abs_tol=SUM_TOL)


def test_supply_candidates_are_the_competitive_products(toy_context) -> None:
    # A has RCA >= 1 in 8701 (3.0) and 8702 (1.5); B imports both -> two supply A->B candidates.
    ranking = rank_opportunities(toy_context, types=["supply"])
    ab = ranking.top("supply", "ab")
    assert sorted(o.product for o in ab) == ["8701", "8702"]
    # B is competitive in 8703 (1.2) and 8704 (2.0); A imports both -> two supply B->A candidates.
    assert sorted(o.product for o in ranking.top("supply", "ba")) == ["8703", "8704"]


def test_supply_ranking_by_hand(toy_context) -> None:
    # Candidates 8701, 8702 (A -> B). Raw values:
    #   exporter_rca    log 3 = 1.0986, log 1.5 = 0.4055  -> z = +1, -1
    #   importer_demand log1p(400), log1p(100)           -> z = +1, -1
    #   third-country   1 - 100/400 = .75, 1 - 20/100 = .8 -> z = -1, +1
    # (market share is not a supply criterion: for one exporter it is log-collinear with RCA)
    # balanced weights .30, .30, .20 -> 8701: .30 + .30 - .20 = 0.40; 8702: -0.40
    ranking = rank_opportunities(toy_context, types=["supply"])
    first, second = ranking.top("supply", "ab")
    assert (first.product, first.rank, second.product, second.rank) == ("8701", 1, "8702", 2)
    assert first.score == pytest.approx(0.40, abs=1e-12)
    assert second.score == pytest.approx(-0.40, abs=1e-12)
    assert first.estimated  # B's imports are estimated in the toy context


def test_localisation_excludes_products_the_host_already_exports(toy_context) -> None:
    # JV in B: A competitive (8701, 8702), B not (RCA 0.1, 0.6), B imports them.
    ranking = rank_opportunities(toy_context, types=["localisation"])
    products = [o.product for o in ranking.opportunities]
    assert sorted(products) == ["8701", "8702"]
    o = ranking.top("localisation")[0]
    # value at stake = B's imports from third countries: 400 - 100 = 300 or 100 - 20 = 80
    assert {x.value_usd for x in ranking.opportunities} == {300.0, 80.0}
    # distance is negated: 8701 is nearer (density .8) than 8702 (.4), so its distance contribution is positive
    assert o.product == "8701" and o.contributions["distance"] > 0


def test_ranking_is_deterministic(toy_context) -> None:
    r1 = rank_opportunities(toy_context)
    r2 = rank_opportunities(toy_context)
    assert [o.to_dict() for o in r1.opportunities] == [o.to_dict() for o in r2.opportunities]


def test_ties_are_broken_by_value_then_code(toy_context) -> None:
    # all criteria zero-weighted -> every score is 0; order falls to value at stake, then code
    w = {name: 0.0 for name in preset_weights()}
    ranking = rank_opportunities(toy_context, types=["localisation"], weights=w)
    ordered = sorted(ranking.opportunities, key=lambda o: o.rank)
    assert [o.value_usd for o in ordered] == [300.0, 80.0]


def test_unknown_type_and_criterion_are_clear_errors(toy_context, tmp_path) -> None:
    with pytest.raises(DataValidationError, match="unknown opportunity type"):
        rank_opportunities(toy_context, types=["barter"])
    bad = tmp_path / "w.json"
    bad.write_text('{"no_such_criterion": 1}')
    with pytest.raises(DataValidationError, match="unknown criterion 'no_such_criterion'"):
        load_weights(bad, set(preset_weights()), set(OPPORTUNITY_TYPES))
    with pytest.raises(NotFoundError, match="presets: low_hanging"):
        load_weights("nope", set(preset_weights()), set(OPPORTUNITY_TYPES))


def test_presets_match_methods_section_4() -> None:
    assert DIVERSIFICATION_PRESETS["low_hanging"] == (0.60, 0.15, 0.25)
    assert DIVERSIFICATION_PRESETS["long_jump"] == (0.45, 0.20, 0.35)
    assert DIVERSIFICATION_PRESETS["balanced"] == (0.50, 0.15, 0.35)
    w = preset_weights("long_jump")
    assert (w["distance"], w["pci"], w["cog"]) == (0.45, 0.20, 0.35)


def test_export_potential_sums_to_bilateral_total_without_penalties() -> None:
    # docs/opportunities.md (export potential) invariant: no min term, no distance factor
    # -> sum_k PV = x_ij
    rng = np.random.default_rng(7)
    x_i, x_w, m_j = rng.lognormal(5, 2, 50), rng.lognormal(9, 1, 50), rng.lognormal(6, 2, 50)
    ep = export_potential(x_i, x_w, np.full(50, np.nan), m_j, 1234.5, np.zeros(50), reexport_penalty=False)
    assert ep.potential.sum() == pytest.approx(1234.5, rel=1e-12)
