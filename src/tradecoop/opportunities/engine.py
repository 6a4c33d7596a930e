"""Rank the cooperation opportunities of a pair: the engine's public entry point.

``rank_opportunities(ctx, types, weights, top)`` scores every candidate of every requested type
(:mod:`tradecoop.opportunities.types`) with its criteria (:mod:`.criteria`), weights
(:mod:`.weights`) and the ranker (:mod:`.ranking`), and returns :class:`Opportunity` records
whose per-criterion contributions add up to the score. Ranks are per type (and direction).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from tradecoop.errors import DataValidationError
from tradecoop.opportunities.context import PairContext
from tradecoop.opportunities.criteria import all_criteria, get_criterion
from tradecoop.opportunities.ranking import score_candidates
from tradecoop.opportunities.types import OPPORTUNITY_TYPES
from tradecoop.opportunities.weights import preset_weights

TIE_BREAK = "score descending, then value at stake descending, then HS code ascending"


@dataclass(frozen=True)
class Opportunity:
    """One ranked, explained opportunity.

    ``contributions`` (criterion -> weight x direction x z-score) add up to ``score``;
    ``evidence`` holds each criterion's raw value (None where unknown); ``missing`` the criteria without data.
    """

    type: str
    direction: str  # "ab", "ba" (or "ab" for pair-level types)
    source: str  # location that supplies / holds the capability
    target: str  # location that buys / hosts
    product: str
    name_en: str
    name_ru: str
    score: float
    rank: int
    contributions: dict[str, float]
    evidence: dict[str, float | None]
    missing: tuple[str, ...]
    value_usd: float
    value_method: str
    estimated: bool
    partners: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["missing"] = list(self.missing)
        out["partners"] = list(self.partners)
        return out


@dataclass(frozen=True)
class OpportunityRanking:
    """Every ranked opportunity with the settings that produced it."""

    a: str
    b: str
    year: int
    hs_level: int
    hs_vintage: str
    weights: Mapping[str, Mapping[str, float]]
    opportunities: tuple[Opportunity, ...]
    standardisation: Mapping[str, Mapping[str, Mapping[str, float]]]
    tie_break: str = TIE_BREAK
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    eci: Mapping[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Everything, JSON-ready: settings, standardisation constants, opportunities, provenance."""
        return {
            "pair": {"a": self.a, "b": self.b},
            "year": self.year,
            "hs_level": self.hs_level,
            "hs_vintage": self.hs_vintage,
            "tie_break": self.tie_break,
            "weights": {k: dict(v) for k, v in self.weights.items()},
            "standardisation": {k: {c: dict(x) for c, x in v.items()} for k, v in self.standardisation.items()},
            "eci": dict(self.eci),
            "opportunities": [o.to_dict() for o in self.opportunities],
            "sources": list(self.sources),
            "notes": list(self.notes),
        }

    def to_frame(self):
        """One row per opportunity; contributions as ``contrib_<criterion>`` columns."""
        import pandas as pd

        rows = []
        for o in self.opportunities:
            row = {k: v for k, v in o.to_dict().items() if k not in ("contributions", "evidence", "missing", "partners")}
            row["partners"] = "; ".join(o.partners)
            row.update({f"contrib_{k}": v for k, v in o.contributions.items()})
            rows.append(row)
        return pd.DataFrame(rows)

    def top(self, type_name: str, direction: str | None = None, n: int = 10) -> list[Opportunity]:
        items = [o for o in self.opportunities if o.type == type_name and (direction is None or o.direction == direction)]
        return sorted(items, key=lambda o: o.rank)[:n]


def rank_opportunities(
    ctx: PairContext,
    types: Sequence[str] | None = None,
    weights: Mapping[str, float] | Mapping[str, Mapping[str, float]] | None = None,
    top: int | None = None,
) -> OpportunityRanking:
    """Score, explain and rank the opportunities of the pair in ``ctx``.

    Parameters
    ----------
    ctx : the pair's data (see :func:`tradecoop.opportunities.assemble.pair_context`)
    types : opportunity types (default: all five: supply, localisation, value_chain, joint_entry,
        co_production)
    weights : ``{criterion: weight}`` for every type or ``{type: {criterion: weight}}``
        (default: the ``balanced`` preset)
    top : keep the best ``top`` per type and direction (default: all)
    """
    names = list(types) if types else list(OPPORTUNITY_TYPES)
    unknown = [t for t in names if t not in OPPORTUNITY_TYPES]
    if unknown:
        raise DataValidationError(f"unknown opportunity type(s) {unknown}; known: {', '.join(OPPORTUNITY_TYPES)}")
    if top is not None and top < 1:
        raise DataValidationError(f"--top must be at least 1, got {top}")
    weights = weights or preset_weights()
    per_type = all(isinstance(v, Mapping) for v in weights.values())
    known = set(all_criteria())
    opportunities: list[Opportunity] = []
    used_weights: dict[str, dict[str, float]] = {}
    standardisation: dict[str, dict[str, dict[str, float]]] = {}
    for type_name in names:
        otype = OPPORTUNITY_TYPES[type_name]
        w = dict(weights.get(type_name, preset_weights()) if per_type else weights)  # type: ignore[arg-type]
        for name in w:
            if name not in known:
                raise DataValidationError(f"unknown criterion {name!r} in weights; known: {', '.join(sorted(known))}")
        criteria = [get_criterion(c) for c in otype.criteria]
        used_weights[type_name] = {c.name: float(w.get(c.name, 0.0)) for c in criteria}
        for direction in otype.directions:
            view = ctx.view(direction)
            idx = np.flatnonzero(otype.candidates(view))
            if idx.size == 0:
                continue
            raw = {c.name: c.raw(view, idx) for c in criteria}
            stake = otype.stake(view, idx)
            products = ctx.products[idx]
            scored = score_candidates(criteria, used_weights[type_name], raw, value_at_stake=stake.value, products=products)
            key = f"{type_name}:{direction}"
            standardisation[key] = {
                c.name: {"mean": scored.standardiser.mean[c.name], "sd": scored.standardiser.sd[c.name]} for c in criteria
            }
            keep = scored.order if top is None else scored.order[:top]
            estimated = stake.estimated or _rests_on_estimates(ctx, view, otype.uses)
            for pos in keep:
                p = int(idx[pos])
                opportunities.append(
                    Opportunity(
                        type=type_name,
                        direction=direction,
                        source=view.src.code,
                        target=view.dst.code,
                        product=str(ctx.products[p]),
                        name_en=str(ctx.names_en[p]),
                        name_ru=str(ctx.names_ru[p]),
                        score=float(scored.score[pos]),
                        rank=int(scored.rank[pos]),
                        contributions={c: float(scored.contributions[c][pos]) for c in scored.contributions},
                        evidence={c: (float(raw[c][pos]) if np.isfinite(raw[c][pos]) else None) for c in raw},
                        missing=tuple(c for c in raw if not np.isfinite(raw[c][pos])),
                        value_usd=float(stake.value[pos]),
                        value_method=stake.method,
                        estimated=bool(estimated),
                    )
                )
    return OpportunityRanking(
        a=ctx.a.code, b=ctx.b.code, year=ctx.year, hs_level=ctx.hs_level, hs_vintage=ctx.hs_vintage,
        weights=used_weights, opportunities=tuple(opportunities), standardisation=standardisation,
        sources=ctx.sources, notes=ctx.notes, eci={ctx.a.code: ctx.a.eci, ctx.b.code: ctx.b.eci},
    )


def _rests_on_estimates(ctx: PairContext, view, uses: Sequence[str]) -> bool:
    fields = set(uses)
    side_est = view.src.estimated | view.dst.estimated
    if fields & side_est:
        return True
    return "flow" in fields and bool({"flow_ab", "flow_ba"} & ctx.estimated)
