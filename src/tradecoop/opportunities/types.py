"""The five opportunity types for a pair (A, B) (docs/methods.md section 4).

Each type says which products are candidates, which criteria score them and what is at stake:

==================== ================================================ ===================================
type (direction)     candidates                                       value at stake (USD)
==================== ================================================ ===================================
supply (ab, ba)      src has RCA >= 1; dst imports the product and is untapped export potential (ITC),
                     not a net exporter with RCA >= 1                 capped at dst's third-country imports
localisation (ab)    A has RCA >= 1, B has RCA < 1, B imports it      B's imports from third countries
                     (joint venture in B with A's know-how)           (a ceiling, labelled)
value_chain (ab, ba) src has RCA >= 1 in an intermediate input that   dst's imported-input demand, capped
                     dst's industries import; dst not a net exporter  at dst's third-country imports
                     with RCA >= 1
joint_entry (pair)   neither has RCA >= 1; PCI above the median       world exports of the product
co_production (pair) observed two-way trade in intermediate goods;    the pair's two-way flow
                     both export it (switched off on estimated flows)
==================== ================================================ ===================================

Two-way trade alone is not evidence of co-production (docs/methods.md section 1): only intermediate
goods qualify, and without unit values the horizontal/vertical split is not made (said so).

A value at stake is NaN (``None`` in the output, with a ``value_note``) where no reliable figure
exists: a region without its own trade data (its country stands in for ranking only), a supplier
known only from the registry, or a supply potential whose actual flow and buyer's imports come
from the same proportional allocation. Such candidates are ranked on their criteria alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tradecoop.opportunities.context import PairView
from tradecoop.opportunities.export_potential import export_potential


@dataclass(frozen=True)
class Stake:
    """Value at stake per candidate (USD; NaN = no reliable value, see ``note``)."""

    value: np.ndarray
    method: str
    estimated: bool
    note: str | None = None  # why the value is missing where it is NaN ("no reliable value: ...")


def _always(_v: PairView) -> str | None:
    return None


@dataclass(frozen=True)
class OpportunityType:
    """One opportunity type: candidates, criteria and value at stake (functions of a view).

    ``unavailable(view)`` returns a reason when the type cannot be assessed for this view (e.g.
    co-production on estimated flows); the engine then skips it and adds the reason to the notes.
    """

    name: str
    directions: tuple[str, ...]
    criteria: tuple[str, ...]
    candidates: Callable[[PairView], np.ndarray]
    stake: Callable[[PairView, np.ndarray], Stake]
    uses: tuple[str, ...]  # fields read, to propagate `estimated`
    title_en: str
    title_ru: str
    unavailable: Callable[[PairView], str | None] = _always


def _finite_pos(a: np.ndarray) -> np.ndarray:
    return np.isfinite(a) & (a > 0)


def _no_value(n: int) -> np.ndarray:
    return np.full(n, np.nan)


def _proxy_reason(v: PairView, src_fields: tuple[str, ...], dst_fields: tuple[str, ...]) -> str | None:
    """Why a location-dependent value cannot be given: a side's numbers are its country's."""
    for side, fields in ((v.src, src_fields), (v.dst, dst_fields)):
        used = sorted(set(fields) & side.proxy_fields)
        if side.proxy_of and used:
            return (f"no reliable value: {side.code} has no {' or '.join(used)} data of its own; "
                    f"its country ({side.proxy_of}) stands in for ranking only, and a region's value "
                    "is never its country's")
    return None


def third_country_imports(v: PairView, idx: np.ndarray) -> np.ndarray:
    """The buyer's imports of each candidate from countries other than the supplier (USD, >= 0)."""
    return np.maximum(np.nan_to_num(v.dst.imports[idx]) - np.nan_to_num(v.flow[idx]), 0.0)


# --- supply ---------------------------------------------------------------------------------
def _supply_candidates(v: PairView) -> np.ndarray:
    """Supplier competitive, buyer imports it, and the buyer is not itself a net exporter with RCA >= 1."""
    return (v.src.M == 1) & _finite_pos(v.dst.imports) & ~v.dst.is_net_exporter()


def _supply_stake(v: PairView, idx: np.ndarray) -> Stake:
    """ITC untapped potential, capped at the buyer's imports from third countries.

    No money figure (NaN with a reason) when it cannot be reliable: a side is a proxy (region
    without its own data), the supplier's exports are unknown (registry capabilities), or both
    the actual flow x_ij and the buyer's imports m_jk come from the same proportional allocation
    (then PV / actual = market share x E_ij / the supplier's import share: circular).
    """
    years = v.pair.flow_years or str(v.pair.year)
    method = (
        "ITC export potential (Decreux & Spies 2016): world market share x min(1, exports/imports) "
        "x buyer's imports x ease of trade; untapped = max(potential - actual, 0), capped at the "
        f"buyer's imports from third countries; actual = the flow of {years} (one year, not ITC's "
        "multi-year average); distance factor left out (f = 1: one pair, no product-level distance "
        "elasticities); no projections or tariffs"
    )
    est = bool({"imports", "exports"} & (v.src.estimated | v.dst.estimated)) or "flow_ab" in v.pair.estimated
    reason = _proxy_reason(v, ("exports", "flows"), ("imports", "flows"))
    if reason is None and not np.isfinite(v.src.exports[idx]).all():
        reason = f"no reliable value: {v.src.code}'s exports are not in the data (capabilities from the registry)"
    circular = ("flow_ab" in v.pair.estimated or "flow_ba" in v.pair.estimated) and "imports" in v.dst.estimated
    if reason is None and circular:
        reason = ("no reliable value: the actual flow and the buyer's imports both come from the same "
                  "proportional allocation, so the potential would only restate the supplier's market "
                  "share; ranked on the criteria")
    if reason is not None:
        return Stake(_no_value(len(idx)), method, est, reason)
    ep = export_potential(v.src.exports, v.pair.world_exports, v.src.imports, v.dst.imports, v.total, v.flow)
    value = np.minimum(ep.untapped[idx], third_country_imports(v, idx))
    return Stake(value, method, est)


# --- localisation ---------------------------------------------------------------------------
def _localisation_candidates(v: PairView) -> np.ndarray:
    return (v.src.M == 1) & (v.dst.M == 0) & _finite_pos(v.dst.imports)


def _localisation_stake(v: PairView, idx: np.ndarray) -> Stake:
    method = "ceiling: host's imports of the product from third countries (host imports minus imports from the partner)"
    est = "imports" in v.dst.estimated or "flow_ab" in v.pair.estimated
    reason = _proxy_reason(v, ("flows",), ("imports", "flows"))
    if reason is not None:
        return Stake(_no_value(len(idx)), method, est, reason)
    return Stake(third_country_imports(v, idx), method, est)


# --- value chain ----------------------------------------------------------------------------
def _value_chain_candidates(v: PairView) -> np.ndarray:
    """Supplier competitive in an intermediate input the buyer's industries import; not where the
    buyer is itself a net exporter with RCA >= 1 (its industries are served at home)."""
    return (v.src.M == 1) & _finite_pos(v.dst.io_demand) & (v.pair.intermediate == 1) & ~v.dst.is_net_exporter()


#: how the value-chain demand is built (assemble.py fills ``io_demand`` accordingly)
VALUE_CHAIN_METHOD = (
    "imported-input demand of the buyer's industries: imported input coefficients of each using "
    "sector x its gross output (OECD ICIO 2022 where it covers the buyer), allocated to the "
    "product by its share of world exports of its ISIC sector, capped at the buyer's imports of the "
    "product from third countries"
)


def _value_chain_stake(v: PairView, idx: np.ndarray) -> Stake:
    method = v.pair.extra.get("value_chain_method", VALUE_CHAIN_METHOD)  # type: ignore[arg-type]
    reason = _proxy_reason(v, ("flows",), ("imports", "flows", "io_demand"))
    if reason is not None:
        return Stake(_no_value(len(idx)), str(method), True, reason)
    value = np.minimum(v.dst.io_demand[idx], third_country_imports(v, idx))
    return Stake(value, str(method), True)


# --- joint entry ----------------------------------------------------------------------------
def _joint_entry_candidates(v: PairView) -> np.ndarray:
    pci = v.pair.pci
    known = np.isfinite(pci)
    median = np.median(pci[known]) if known.any() else np.inf
    return (v.src.M == 0) & (v.dst.M == 0) & known & (pci > median) & _finite_pos(v.pair.world_exports)


def _joint_entry_stake(v: PairView, idx: np.ndarray) -> Stake:
    return Stake(v.pair.world_exports[idx], "world demand: world exports of the product", False)


# --- co-production --------------------------------------------------------------------------
def _co_production_candidates(v: PairView) -> np.ndarray:
    return (
        _finite_pos(v.flow) & _finite_pos(v.reverse_flow) & (v.pair.intermediate == 1)
        & _finite_pos(v.src.exports) & _finite_pos(v.dst.exports)
    )


def _co_production_unavailable(v: PairView) -> str | None:
    if v.pair.flows_observed:
        return None
    return ("co_production switched off: the pair's product flows are estimated (s_ij x x_ik), on which "
            "a product's Grubel-Lloyd index depends only on x_A,k / x_B,k; two-way trade is evidence "
            "only when observed (import a product-level bilateral or reporter file for the pair)")


def _co_production_stake(v: PairView, idx: np.ndarray) -> Stake:
    return Stake(
        v.flow[idx] + v.reverse_flow[idx],
        "the pair's two-way trade in the product (exports both ways); vertical/horizontal split by "
        "unit values not made: no quantities in the data",
        bool({"flow_ab", "flow_ba"} & v.pair.estimated),
    )


OPPORTUNITY_TYPES: dict[str, OpportunityType] = {
    t.name: t
    for t in (
        OpportunityType(
            "supply", ("ab", "ba"),
            ("exporter_rca", "importer_demand", "importer_third_country_share"),
            _supply_candidates, _supply_stake, ("exports", "imports", "flow"),
            "Supply", "Поставки",
        ),
        OpportunityType(
            "localisation", ("ab",),
            ("importer_demand", "exporter_rca", "distance", "pci", "cog", "feasibility"),
            _localisation_candidates, _localisation_stake, ("exports", "imports", "flow"),
            "Localisation joint venture", "Локализация (совместное предприятие)",
        ),
        OpportunityType(
            "value_chain", ("ab", "ba"),
            ("exporter_rca", "io_linkage", "importer_demand"),
            _value_chain_candidates, _value_chain_stake, ("exports", "io_demand", "imports", "flow"),
            "Value-chain link", "Звено цепочки создания стоимости",
        ),
        OpportunityType(
            "joint_entry", ("ab",),
            ("pair_distance", "pci", "pair_cog", "world_demand", "pair_feasibility"),
            _joint_entry_candidates, _joint_entry_stake, ("exports",),
            "Joint entry into complex products", "Совместный выход на сложные товары",
        ),
        OpportunityType(
            "co_production", ("ab",),
            ("intra_industry_trade", "two_way_value", "exporter_rca"),
            _co_production_candidates, _co_production_stake, ("flow",),
            "Co-production", "Кооперация в производстве", _co_production_unavailable,
        ),
    )
}
