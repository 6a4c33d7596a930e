"""Use case: the opportunities of a pair from the store, optionally with partner enterprises."""

from __future__ import annotations

from pathlib import Path

from tradecoop.opportunities.engine import OpportunityRanking, rank_opportunities


def opportunities_for_pair(
    a: str,
    b: str,
    *,
    year: int | None = None,
    types: list[str] | None = None,
    top: int | None = 10,
    weights: str | None = None,
    dataset: str = "world_hs4_2017",
    store: Path | None = None,
    with_partners: bool = False,
) -> OpportunityRanking:
    """Assemble the pair's data, rank the opportunities and (optionally) attach partners."""
    from tradecoop.opportunities.assemble import pair_context
    from tradecoop.opportunities.criteria import all_criteria
    from tradecoop.opportunities.types import OPPORTUNITY_TYPES
    from tradecoop.opportunities.weights import load_weights

    w = load_weights(weights, set(all_criteria()), set(OPPORTUNITY_TYPES))
    ctx = pair_context(a, b, year=year, dataset=dataset, store=store)
    return rank_opportunities(ctx, types=types, weights=w, top=top)
