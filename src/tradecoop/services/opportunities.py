"""Use case: the opportunities of a pair from the store, with the registry where it helps.

* A region without trade data in the world matrix (``RU-CHE``) gets its capability set from the
  products its registered enterprises make (:func:`tradecoop.services.registry_reads.capabilities_of`,
  from the enterprises the request reads once), labelled as registry-derived evidence.
* ``with_partners`` attaches candidate enterprises to each opportunity
  (:func:`tradecoop.registry.matching.partners_for_product`): on the supplying side only makers of
  the product (same HS heading, else chapter); on the buying side of supply and value-chain links
  only enterprises that need it as an input; hosts of a localisation joint venture and partners
  in joint entry or co-production: makers or users.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from tradecoop.opportunities.engine import OpportunityRanking, rank_opportunities
from tradecoop.services.request import PairData, PairRequest

#: partner enterprises listed per side and opportunity
PARTNERS_PER_SIDE = 2
#: how many registry matches are read before keeping those with the right role
PARTNER_POOL = 50
#: types whose target side buys the product (partners there must need it)
BUYING_TYPES = frozenset({"supply", "value_chain"})


@dataclass(frozen=True)
class RankingOptions:
    """How to rank: which types, how many per type, which weights, on which world dataset.

    ``weights`` is a preset name, a TOML file path (CLI only) or a mapping; ``top`` None keeps
    every candidate; ``with_partners`` names candidate enterprises on each side.
    """

    types: tuple[str, ...] = ()
    top: int | None = 10
    weights: str | Mapping[str, float] | None = None
    dataset: str = "world_hs4_2017"
    with_partners: bool = False


def pair_opportunities(
    request: PairRequest,
    options: RankingOptions = RankingOptions(),
    *,
    data: PairData | None = None,
) -> OpportunityRanking:
    """Assemble the pair's data, rank the opportunities and (optionally) attach partners.

    ``data`` shares the open store and the registry's enterprises with the other sections of
    the same answer (the brief); without it they are read here.
    """
    from tradecoop.opportunities.criteria import all_criteria
    from tradecoop.opportunities.types import OPPORTUNITY_TYPES
    from tradecoop.opportunities.weights import load_weights
    from tradecoop.services.pair_context import pair_context
    from tradecoop.services.registry_reads import capabilities_of

    data = data if data is not None else PairData(request)
    weights = options.weights
    w = weights if isinstance(weights, Mapping) else load_weights(weights, set(all_criteria()), set(OPPORTUNITY_TYPES))
    capabilities = {}
    for code in request.regions:
        found = capabilities_of(code, data.firms()[code])
        if found is not None:
            capabilities[code] = found
    ctx = pair_context(request, dataset=options.dataset, capabilities=capabilities, handle=data.store)
    ranking = rank_opportunities(ctx, types=list(options.types) if options.types else None, weights=w, top=options.top)
    return attach_partners(ranking) if options.with_partners else ranking


def attach_partners(ranking: OpportunityRanking) -> OpportunityRanking:
    """Each opportunity with up to ``PARTNERS_PER_SIDE`` enterprises per side, in their role."""
    from tradecoop.registry.matching import partners_for_product
    from tradecoop.registry.session import open_session

    cache: dict[tuple[str, str, str], tuple[str, ...]] = {}
    with open_session() as session:

        def names(hs: str, location: str, role: str) -> tuple[str, ...]:
            key = (hs, location, role)
            if key not in cache:
                found = partners_for_product(session, hs, location, top=PARTNER_POOL)
                makes = found["makes_heading"] + found["makes_chapter"] > 0
                # a buyer needs the heading itself (a truck plant needing parts of chapter 87 is
                # no buyer of trucks); makers of the heading rank above makers of the chapter
                needs = found["needs_heading"] > 0
                keep = {"maker": makes, "buyer": needs}.get(role, makes | needs)
                found = found[keep].head(PARTNERS_PER_SIDE)
                cache[key] = tuple(f"{r.name_en} ({r.location}, {r.city})" for r in found.itertuples(index=False))
            return cache[key]

        updated = []
        for o in ranking.opportunities:
            source = names(o.product, o.source, "maker")
            target = names(o.product, o.target, "buyer" if o.type in BUYING_TYPES else "any")
            updated.append(replace(o, partners=source + target, partners_source=source, partners_target=target))
    return replace(ranking, opportunities=tuple(updated))
