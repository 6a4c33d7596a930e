"""Explanation parts: each criterion's raw value in natural units, next to its contribution.

A score is ``sum_c weight_c x direction_c x z_c`` (:mod:`tradecoop.opportunities.ranking`); a
reader needs the raw numbers behind each ``z_c`` to judge it. :func:`explanation_parts` returns,
per candidate, one dict per criterion::

    {"criterion": "exporter_rca", "raw_value": 0.20, "raw_unit": "share",
     "raw_label": "Belarus's share of world exports of the product",
     "rca": 4.6, "criterion_value": 1.53, "weight": 0.3, "z": 1.2, "contribution": 0.36,
     "estimated": False, "proxy_of": None}

``raw_value`` is in the unit ``raw_unit`` (``share`` 0-1, ``usd``, ``index``, ``ratio``,
``probability``, ``flag``); ``criterion_value`` is the number that was z-scored (e.g. log RCA);
``estimated`` says the raw value rests on estimated flows or imports; ``proxy_of`` names the
country whose data stand in for a region without its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tradecoop.opportunities.context import PairView, Side

#: how scores read (returned with every ranking)
SCORE_SCALE = (
    "score = sum over criteria of weight x direction x z-score, the z-scores taken within the "
    "candidates of one type and direction: 0 is an average candidate, and a criterion of weight w "
    "moves the score by w per standard deviation; scores compare only within one type and direction"
)


def side_label(side: Side) -> str:
    """The side's name as the explanation prints it (``Russia, country level`` for a proxy)."""
    if side.label:
        return side.label
    try:
        from tradecoop.data.nomenclature.locations import location_name

        return location_name(side.code)
    except Exception:  # noqa: BLE001 - a hand-made code in tests has no name; the code will do
        return side.code


def _natural(name: str, v: PairView, idx: np.ndarray, crit_raw: np.ndarray) -> tuple[np.ndarray, str, str, bool, str | None]:
    """(values, unit, label, estimated, proxy_of) of criterion ``name`` in natural units."""
    src, dst = side_label(v.src), side_label(v.dst)
    flows_est = bool({"flow_ab", "flow_ba"} & v.pair.estimated)
    imp_est = "imports" in v.dst.estimated
    proxy = v.dst.proxy_of or v.src.proxy_of
    world = v.pair.world_exports[idx]
    if name in ("exporter_rca", "exporter_market_share"):
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(world > 0, v.src.exports[idx] / world, np.nan)
        return share, "share", f"{src}'s share of world exports of the product", "exports" in v.src.estimated, v.src.proxy_of
    if name == "importer_demand":
        return v.dst.imports[idx], "usd", f"{dst}'s imports of the product from the world", imp_est, v.dst.proxy_of
    if name == "importer_third_country_share":
        return crit_raw, "share", f"share of {dst}'s imports of the product from countries other than {src}", imp_est or flows_est, proxy
    if name == "distance":
        return crit_raw, "index", f"distance of {dst}'s capabilities from the product (1 - density; 0 = every related product exported)", False, None
    if name == "pair_distance":
        return crit_raw, "index", "distance of the pair's pooled capabilities from the product (1 - density)", False, None
    if name == "pci":
        return crit_raw, "index", "product complexity index (PCI; mean 0, standard deviation 1 across products)", False, None
    if name == "cog":
        return crit_raw, "index", f"complexity outlook gain for {dst} (new related products opened by entering this one)", False, None
    if name == "pair_cog":
        return crit_raw, "index", "complexity outlook gain for the pair's pooled capabilities", False, None
    if name == "feasibility":
        return crit_raw, "probability", f"probability that {dst} becomes competitive (RCA >= 1) in the product (feasibility model)", False, None
    if name == "pair_feasibility":
        return crit_raw, "probability", "feasibility for the better-placed side of the pair (probability of reaching RCA >= 1)", False, None
    if name == "io_linkage":
        return v.dst.io_demand[idx], "usd", f"{dst}'s industries' imported-input demand for the product (input-output estimate)", True, v.dst.proxy_of
    if name == "intermediate_good":
        return crit_raw, "flag", "intermediate good (BEC parts, components, processed supplies) = 1", False, None
    if name == "intra_industry_trade":
        return crit_raw, "index", "Grubel-Lloyd index of the pair's two-way trade in the product (0-1)", flows_est, proxy
    if name == "two_way_value":
        return v.flow[idx] + v.reverse_flow[idx], "usd", f"two-way trade in the product between {src} and {dst}", flows_est, proxy
    if name == "world_demand":
        return world, "usd", "world exports of the product", False, None
    return crit_raw, "criterion", name, False, None


def _estimated_source(view: PairView, name: str) -> bool:
    """True when the criterion's raw value rests on estimated imports or flows."""
    flows = bool({"flow_ab", "flow_ba"} & view.pair.estimated)
    imports = "imports" in view.dst.estimated
    uses = {"importer_demand": imports, "importer_third_country_share": imports or flows,
            "intra_industry_trade": flows, "two_way_value": flows}
    return uses.get(name, False)


def explanation_parts(
    view: PairView,
    idx: np.ndarray,
    raw: Mapping[str, np.ndarray],
    contributions: Mapping[str, np.ndarray],
    weights: Mapping[str, float],
    standardiser,
    descriptions: Mapping[str, str],
    positions: Sequence[int],
) -> list[list[dict]]:
    """For each candidate position in ``positions``, its explanation parts (one per criterion)."""
    natural = {name: _natural(name, view, idx, raw[name]) for name in raw}
    rca = view.src.rca[idx]
    out: list[list[dict]] = []
    for pos in positions:
        parts = []
        for name in raw:
            values, unit, label, est, proxy = natural[name]
            if est and _estimated_source(view, name):
                label = f"{label} (estimated: proportional allocation)"
            value = values[pos]
            crit = raw[name][pos]
            sd = standardiser.sd[name]
            z = (crit - standardiser.mean[name]) / sd if sd > 0 and np.isfinite(crit) else 0.0
            part = {
                "criterion": name,
                "description": descriptions.get(name, name),
                "raw_value": float(value) if np.isfinite(value) else None,
                "raw_unit": unit,
                "raw_label": label,
                "criterion_value": float(crit) if np.isfinite(crit) else None,
                "weight": float(weights.get(name, 0.0)),
                "z": float(z),
                "contribution": float(contributions[name][pos]),
                "estimated": bool(est),
                "proxy_of": proxy,
            }
            if name == "exporter_rca":
                part["rca"] = float(rca[pos]) if np.isfinite(rca[pos]) else None
                part["rca_label"] = "times its average share of world exports (Balassa RCA)"
            parts.append(part)
        out.append(parts)
    return out
