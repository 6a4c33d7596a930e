"""The five opportunity types for a pair (A, B) (METHODS.md section 4).

Each type says which products are candidates, which criteria score them and what is at stake:

==================== ============================================= =======================================
type (direction)      candidates                                    value at stake (USD)
==================== ============================================= =======================================
supply (ab, ba)       src has RCA >= 1; dst imports the product      untapped export potential (ITC)
localisation (ab)     A has RCA >= 1, B has RCA < 1, B imports it   B's imports from third countries
                      (joint venture in B with A's know-how)        (a ceiling, labelled)
value_chain (ab, ba)  src has RCA >= 1 in an input used by dst's     dst's input-output demand for it
                      industries (input-output, intermediate/capital)
joint_entry (pair)    neither has RCA >= 1; PCI above the median    world exports of the product
co_production (pair)  two-way trade in intermediate goods; both     the pair's two-way flow
                      sides export the product to the world
==================== ============================================= =======================================

Two-way trade alone is not evidence of co-production (METHODS.md section 1): only intermediate
goods qualify, and without unit values the horizontal/vertical split is not made (said so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tradecoop.opportunities.context import PairView
from tradecoop.opportunities.export_potential import export_potential


@dataclass(frozen=True)
class Stake:
    value: np.ndarray
    method: str
    estimated: bool


@dataclass(frozen=True)
class OpportunityType:
    """One opportunity type: candidates, criteria and value at stake (functions of a view)."""

    name: str
    directions: tuple[str, ...]
    criteria: tuple[str, ...]
    candidates: Callable[[PairView], np.ndarray]
    stake: Callable[[PairView, np.ndarray], Stake]
    uses: tuple[str, ...]  # fields read, to propagate `estimated`
    title_en: str
    title_ru: str


def _finite_pos(a: np.ndarray) -> np.ndarray:
    return np.isfinite(a) & (a > 0)


# --- supply ---------------------------------------------------------------------------------
def _supply_candidates(v: PairView) -> np.ndarray:
    return (v.src.M == 1) & _finite_pos(v.dst.imports)


def _supply_stake(v: PairView, idx: np.ndarray) -> Stake:
    ep = export_potential(v.src.exports, v.pair.world_exports, v.src.imports, v.dst.imports, v.total, v.flow)
    est = bool({"imports", "exports"} & (v.src.estimated | v.dst.estimated)) or "flow_ab" in v.pair.estimated
    method = ep.method
    if not np.isfinite(v.src.exports[idx]).all():
        method += f"; unknown where {v.src.code}'s exports are not in the data (capabilities from the registry)"
    return Stake(ep.untapped[idx], method, est)


# --- localisation ---------------------------------------------------------------------------
def _localisation_candidates(v: PairView) -> np.ndarray:
    return (v.src.M == 1) & (v.dst.M == 0) & _finite_pos(v.dst.imports)


def _localisation_stake(v: PairView, idx: np.ndarray) -> Stake:
    third = np.maximum(v.dst.imports[idx] - np.nan_to_num(v.flow[idx]), 0.0)
    return Stake(
        third,
        "ceiling: host's imports of the product from third countries (host imports minus imports from the partner)",
        "imports" in v.dst.estimated or "flow_ab" in v.pair.estimated,
    )


# --- value chain ----------------------------------------------------------------------------
def _value_chain_candidates(v: PairView) -> np.ndarray:
    return (v.src.M == 1) & _finite_pos(v.dst.io_demand) & (v.pair.intermediate == 1)


def _value_chain_stake(v: PairView, idx: np.ndarray) -> Stake:
    return Stake(
        v.dst.io_demand[idx],
        "input-output weighted input flow: intermediate demand of the buyer's industries for the "
        "product's sector (technical coefficients x gross output), allocated to the product by its "
        "share of world exports of that sector",
        True,
    )


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
            ("exporter_rca", "exporter_market_share", "importer_demand", "importer_third_country_share"),
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
            _value_chain_candidates, _value_chain_stake, ("exports", "io_demand"),
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
            "Co-production", "Кооперация в производстве",
        ),
    )
}
