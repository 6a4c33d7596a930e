"""Use case: the opportunities of a pair from the store, with the registry where it helps.

* A region without trade data in the world matrix (``RU-CHE``) gets its capability set from the
  products its registered enterprises make (:func:`tradecoop.registry.matching.region_capabilities`),
  labelled as registry-derived evidence.
* ``with_partners`` attaches candidate enterprises to each opportunity
  (:func:`tradecoop.registry.matching.partners_for_product`): on the supplying side only makers of
  the product (same HS heading, else chapter); on the buying side of supply and value-chain links
  only enterprises that need it as an input; hosts of a localisation joint venture and partners
  in joint entry or co-production: makers or users.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from tradecoop.opportunities.engine import OpportunityRanking, rank_opportunities

#: partner enterprises listed per side and opportunity
PARTNERS_PER_SIDE = 2
#: how many registry matches are read before keeping those with the right role
PARTNER_POOL = 50
#: types whose target side buys the product (partners there must need it)
BUYING_TYPES = frozenset({"supply", "value_chain"})


def opportunities_for_pair(
    a: str,
    b: str,
    *,
    year: int | None = None,
    types: list[str] | None = None,
    top: int | None = 10,
    weights: str | Mapping[str, float] | None = None,
    dataset: str = "world_hs4_2017",
    store: Path | None = None,
    with_partners: bool = False,
) -> OpportunityRanking:
    """Assemble the pair's data, rank the opportunities and (optionally) attach partners."""
    from tradecoop.data.nomenclature.locations import resolve_location
    from tradecoop.opportunities.assemble import pair_context
    from tradecoop.opportunities.criteria import all_criteria
    from tradecoop.opportunities.types import OPPORTUNITY_TYPES
    from tradecoop.opportunities.weights import load_weights

    a, b = resolve_location(a), resolve_location(b)
    w = weights if isinstance(weights, Mapping) else load_weights(weights, set(all_criteria()), set(OPPORTUNITY_TYPES))
    regions = [code for code in (a, b) if "-" in code]
    capabilities = registry_capabilities(regions, level=4) if regions else {}
    ctx = pair_context(a, b, year=year, dataset=dataset, store=store, capabilities=capabilities)
    ranking = rank_opportunities(ctx, types=types, weights=w, top=top)
    return attach_partners(ranking) if with_partners else ranking


def registry_capabilities(codes: list[str], *, level: int = 4) -> dict:
    """Registry-derived capability sets of ``codes`` at HS ``level`` digits (empty ones left out)."""
    from tradecoop.opportunities.assemble import Capabilities
    from tradecoop.registry.db import open_session
    from tradecoop.registry.matching import region_capabilities

    out = {}
    with open_session() as session:
        for code in codes:
            caps = region_capabilities(session, code)
            if caps.empty:
                continue
            products = tuple(sorted({str(p)[:level] for p in caps["product"]}))
            firms = sorted({n for names in caps["enterprises"] for n in str(names).split("; ")})
            out[code] = Capabilities(code, products, f"registry: {len(firms)} enterprises, {len(products)} HS{level} headings")
    return out


def attach_partners(ranking: OpportunityRanking) -> OpportunityRanking:
    """Each opportunity with up to ``PARTNERS_PER_SIDE`` enterprises per side, in their role."""
    from tradecoop.registry.db import open_session
    from tradecoop.registry.matching import partners_for_product

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
