"""Export potential and untapped potential of a supplier i in a market j (after ITC).

Decreux & Spies (2016), *Export Potential Assessments: A methodology to identify export
opportunities for developing countries*, ITC; docs/opportunities.md, "Export potential (supply)"::

    PV_ijk = S_ik * D_jk * f_ijk * E_ij
    S_ik   = (x_ik / x_wk) * min(1, x_ik / m_ik)          supply: world market share, re-export penalty
    D_jk   = m_jk                                          demand: j's imports of k
    f_ijk  = exp(-|ln d_ij - mean ln d|) (1 when unknown)  distance factor
    E_ij   = x_ij / sum_k (x_ik / x_wk) * m_jk             ease of trade (j's *imports*)
    untapped_ijk = max(PV_ijk - X_ijk, 0)

No projections and no tariff terms here (tariffs inside the EAEU are zero); the live ITC map uses a
later supply term, so these values will not match it. Invariant (tested): without the min term
and the distance factor, sum_k PV_ijk = x_ij exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ExportPotential:
    """Per-product potential value, actual flow and untapped potential of i in j (USD)."""

    potential: np.ndarray
    actual: np.ndarray
    untapped: np.ndarray
    ease_of_trade: float
    method: str


def export_potential(
    x_i: np.ndarray,
    x_w: np.ndarray,
    m_i: np.ndarray,
    m_j: np.ndarray,
    x_ij_total: float,
    x_ij: np.ndarray,
    *,
    distance_factor: np.ndarray | None = None,
    reexport_penalty: bool = True,
) -> ExportPotential:
    """Export potential of supplier i in market j by product.

    Parameters
    ----------
    x_i : i's exports to the world by product (USD)
    x_w : world exports by product (USD)
    m_i : i's imports by product (USD; NaN = unknown, then no re-export penalty for that product)
    m_j : j's imports by product (USD)
    x_ij_total : i's total exports to j (USD)
    x_ij : i's exports to j by product (USD; the "actual", ideally a multi-year average)
    distance_factor : f_ijk per product (default 1)
    reexport_penalty : apply min(1, x_ik / m_ik)

    Examples
    --------
    Two products; i has 10% of world k1 and 50% of world k2; j imports 100 and 20:
    sum_k (x_ik / x_wk) m_jk = 0.1 * 100 + 0.5 * 20 = 20, so with x_ij = 30, E_ij = 1.5 and
    PV = (0.1 * 100 * 1.5, 0.5 * 20 * 1.5) = (15, 15), which sums to x_ij = 30.

    >>> r = export_potential(np.array([10., 50.]), np.array([100., 100.]), np.array([np.nan, np.nan]),
    ...                      np.array([100., 20.]), 30.0, np.array([5., 20.]))
    >>> r.potential.tolist(), r.untapped.tolist()
    ([15.0, 15.0], [10.0, 0.0])
    """
    x_i = np.asarray(x_i, dtype=np.float64)
    x_w = np.asarray(x_w, dtype=np.float64)
    m_j = np.nan_to_num(np.asarray(m_j, dtype=np.float64), nan=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(x_w > 0, x_i / x_w, 0.0)
        share = np.nan_to_num(share, nan=0.0)
        denom = float(np.sum(share * m_j))
        ease = x_ij_total / denom if denom > 0 else 0.0
        supply = share
        if reexport_penalty:
            m_i = np.asarray(m_i, dtype=np.float64)
            ratio = np.where((m_i > 0) & np.isfinite(m_i), np.minimum(1.0, x_i / m_i), 1.0)
            supply = share * ratio
    factor = np.ones_like(x_i) if distance_factor is None else np.asarray(distance_factor, dtype=np.float64)
    potential = supply * m_j * factor * ease
    actual = np.nan_to_num(np.asarray(x_ij, dtype=np.float64), nan=0.0)
    untapped = np.maximum(potential - actual, 0.0)
    method = (
        "ITC export potential (Decreux & Spies 2016): world market share"
        + (" x min(1, exports/imports)" if reexport_penalty else "")
        + " x buyer's imports x ease of trade"
        + ("" if distance_factor is None else " x distance factor")
        + "; untapped = max(potential - actual, 0); no projections or tariffs"
    )
    return ExportPotential(potential, actual, untapped, float(ease), method)
