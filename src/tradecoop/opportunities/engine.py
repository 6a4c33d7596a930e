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
from tradecoop.opportunities.explain import SCORE_SCALE, explanation_parts
from tradecoop.opportunities.ranking import score_candidates
from tradecoop.opportunities.types import OPPORTUNITY_TYPES
from tradecoop.opportunities.weights import preset_weights

TIE_BREAK = "score descending, then value at stake descending, then HS code ascending"


@dataclass(frozen=True)
class Opportunity:
    """One ranked, explained opportunity.

    ``contributions`` (criterion -> weight x direction x z-score) add up to ``score``;
    ``evidence`` holds each criterion's raw value (None where unknown); ``missing`` the criteria without data.
    ``value_usd`` is None where no reliable value exists, ``value_note`` says why.
    ``explanation`` lists, per criterion, the raw value in natural units with its label next to
    its contribution (:mod:`tradecoop.opportunities.explain`); ``proxy_of`` names the country whose
    data stand in for a region without its own. ``partners_source`` are makers on the supplying
    (or capability-holding) side, ``partners_target`` buyers (or hosts) on the other side;
    ``partners`` is both, for older readers. ``context_note`` gives observed context where the
    data have it (value chains: the pair's 2022 sector flows from the OECD ICIO extract).
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
    value_usd: float | None
    value_method: str
    estimated: bool
    partners: tuple[str, ...] = field(default_factory=tuple)
    value_note: str | None = None
    proxy_of: str | None = None
    explanation: tuple[dict, ...] = field(default_factory=tuple)
    partners_source: tuple[str, ...] = field(default_factory=tuple)
    partners_target: tuple[str, ...] = field(default_factory=tuple)
    context_note: str | None = None

    def to_dict(self) -> dict:
        out = asdict(self)
        for key in ("missing", "partners", "partners_source", "partners_target"):
            out[key] = list(getattr(self, key))
        out["explanation"] = [dict(p) for p in self.explanation]
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
    score_scale: str = SCORE_SCALE

    def to_dict(self) -> dict:
        """Everything, JSON-ready: settings, standardisation constants, opportunities, provenance."""
        return {
            "pair": {"a": self.a, "b": self.b},
            "year": self.year,
            "hs_level": self.hs_level,
            "hs_vintage": self.hs_vintage,
            "tie_break": self.tie_break,
            "score_scale": self.score_scale,
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
            skip = ("contributions", "evidence", "missing", "partners", "explanation", "partners_source", "partners_target")
            row = {k: v for k, v in o.to_dict().items() if k not in skip}
            for key in ("partners", "partners_source", "partners_target"):
                row[key] = "; ".join(getattr(o, key))
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
    ctx : the pair's data (see :func:`tradecoop.services.pair_context.pair_context`)
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
        raise DataValidationError(f"`top` must be at least 1, got {top}")
    weights = weights or preset_weights()
    per_type = all(isinstance(v, Mapping) for v in weights.values())
    known = set(all_criteria())
    opportunities: list[Opportunity] = []
    used_weights: dict[str, dict[str, float]] = {}
    standardisation: dict[str, dict[str, dict[str, float]]] = {}
    notes = list(ctx.notes)
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
            off = otype.unavailable(view)
            if off is not None:
                if off not in notes:
                    notes.append(off)
                continue
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
            descriptions = {c.name: c.description_en for c in criteria}
            parts = explanation_parts(view, idx, raw, scored.contributions, used_weights[type_name],
                                      scored.standardiser, descriptions, keep)
            proxy = _proxy_of(view, otype.uses)
            for pos, explanation in zip(keep, parts, strict=True):
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
                        value_usd=float(stake.value[pos]) if np.isfinite(stake.value[pos]) else None,
                        value_method=stake.method,
                        estimated=bool(estimated),
                        value_note=None if np.isfinite(stake.value[pos]) else stake.note,
                        proxy_of=proxy,
                        explanation=tuple(explanation),
                        context_note=_observed_context(ctx, type_name, direction, p, view),
                    )
                )
    return OpportunityRanking(
        a=ctx.a.code, b=ctx.b.code, year=ctx.year, hs_level=ctx.hs_level, hs_vintage=ctx.hs_vintage,
        weights=used_weights, opportunities=tuple(opportunities), standardisation=standardisation,
        sources=ctx.sources, notes=tuple(notes), eci={ctx.a.code: ctx.a.eci, ctx.b.code: ctx.b.eci},
    )


def _observed_context(ctx: PairContext, type_name: str, direction: str, p: int, view) -> str | None:
    """Observed 2022 sector sales behind a value-chain link (OECD ICIO), if the context has them."""
    observed = ctx.extra.get(f"icio_observed_{direction}")
    if type_name != "value_chain" or observed is None:
        return None
    sector, name = ctx.extra["icio_sector"][p], ctx.extra["icio_sector_name"][p]
    users = ctx.extra[f"icio_users_{direction}"][p]
    src = view.src.proxy_of or view.src.code
    dst = view.dst.proxy_of or view.dst.code
    text = (f"Observed 2022 (OECD ICIO, intermediates, whole sector {sector} '{name}'): {src} sold {dst}'s "
            f"industries USD {observed[p] / 1e6:,.0f} mn")
    return text + (f" (largest users, USD mn: {users})" if users else "")


def _proxy_of(view, uses: Sequence[str]) -> str | None:
    """The country standing in for a side on the fields this type reads, else None."""
    needed = {"flows" if u == "flow" else u for u in uses}
    for side in (view.dst, view.src):
        if side.proxy_of and needed & side.proxy_fields:
            return side.proxy_of
    return None


def _rests_on_estimates(ctx: PairContext, view, uses: Sequence[str]) -> bool:
    fields = set(uses)
    side_est = view.src.estimated | view.dst.estimated
    if fields & side_est:
        return True
    return "flow" in fields and bool({"flow_ab", "flow_ba"} & ctx.estimated)
