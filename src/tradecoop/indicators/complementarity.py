"""Complementarity and similarity of two trade structures; intra-industry trade.

Inputs are pandas Series indexed by product code (values in USD); products missing on one side
count as 0. All shares are of the side's **total** over the products given, so pass every product
line at one stated level (tradecoop uses HS4 for the bundled data).

References
----------
- Trade intensity: Brown (1949); Kojima (1964), doi:10.1111/j.1467-8489.1964.tb00186.x; WITS.
- Trade complementarity: Michaely (1996), doi:10.1007/BF02707386; WITS.
- Export similarity: Finger & Kreinin (1979), doi:10.2307/2231875.
- Grubel-Lloyd: Grubel & Lloyd (1975), *Intra-Industry Trade*, Macmillan, ISBN 9780333180099;
  imbalance adjustment after Aquino (1978), doi:10.1007/BF02696418 (here in the Grubel-Lloyd
  form: the aggregate divided by ``1 - |sum X - sum M| / sum (X + M)``).
- Horizontal vs vertical IIT: Greenaway, Hine & Milner (1995), doi:10.2307/2235172 (+/-15%).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: unit-value band for horizontal intra-industry trade (Greenaway, Hine & Milner 1995)
IIT_UNIT_VALUE_BAND = 0.15


def _align(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    a, b = a.astype(float).align(b.astype(float), fill_value=0.0)
    return a.fillna(0.0).to_numpy(), b.fillna(0.0).to_numpy()


def _shares(v: np.ndarray) -> np.ndarray:
    total = v.sum()
    return v / total if total > 0 else np.full_like(v, np.nan)


def trade_intensity(x_ij: float, x_i: float, x_wj: float, x_w: float) -> float:
    """Trade intensity ``TII_ij = (x_ij / X_i) / (x_wj / X_w)``.

    ``x_ij`` i's exports to j, ``X_i`` i's exports to the world, ``x_wj`` world exports to j,
    ``X_w`` world exports; all four from one matrix. Above 1: i exports more to j than j's share of
    world imports. NaN if a denominator is 0.

    >>> trade_intensity(10.0, 100.0, 50.0, 1000.0)   # (10/100) / (50/1000) = 0.1 / 0.05
    2.0
    """
    if x_i <= 0 or x_w <= 0 or x_wj <= 0:
        return float("nan")
    return float((x_ij / x_i) / (x_wj / x_w))


def trade_complementarity(exports_i: pd.Series, imports_j: pd.Series) -> float:
    """Trade complementarity ``TC_ij = 100 * (1 - sum_k |m_jk - x_ik| / 2)``.

    ``x_ik`` is k's share in i's total exports, ``m_jk`` its share in j's total imports. 100 when
    the structures are identical, 0 when disjoint. NaN if either side is empty.

    >>> trade_complementarity(pd.Series({"a": 1.0}), pd.Series({"b": 5.0}))
    0.0
    """
    x, m = _align(exports_i, imports_j)
    diff = np.abs(_shares(m) - _shares(x)).sum()
    return float(100.0 * (1.0 - diff / 2.0))


def export_similarity(exports_i: pd.Series, exports_j: pd.Series) -> float:
    """Finger-Kreinin export similarity ``ESI_ij = 100 * sum_k min(x_ik / X_i, x_jk / X_j)``.

    Computed on exports to the world (or to a named common market: label which). High means
    competitors, not partners.

    >>> export_similarity(pd.Series({"a": 3.0, "b": 1.0}), pd.Series({"a": 1.0, "b": 1.0}))
    75.0
    """
    x, y = _align(exports_i, exports_j)
    return float(100.0 * np.minimum(_shares(x), _shares(y)).sum())


def grubel_lloyd(exports: pd.Series, imports: pd.Series) -> pd.Series:
    """Grubel-Lloyd per product ``GL_k = 1 - |X_k - M_k| / (X_k + M_k)``.

    Lines with ``X + M = 0`` are excluded (dropped from the result).

    >>> grubel_lloyd(pd.Series({"a": 3.0}), pd.Series({"a": 1.0})).tolist()   # 1 - 2/4
    [0.5]
    """
    x, m = exports.astype(float).align(imports.astype(float), fill_value=0.0)
    x, m = x.fillna(0.0), m.fillna(0.0)
    total = x + m
    keep = total > 0
    return (1.0 - (x - m).abs()[keep] / total[keep]).rename("gl")


def grubel_lloyd_aggregate(exports: pd.Series, imports: pd.Series) -> float:
    """Aggregate Grubel-Lloyd ``GL = 1 - sum_k |X_k - M_k| / sum_k (X_k + M_k)`` (NaN if no trade).

    >>> grubel_lloyd_aggregate(pd.Series({"a": 3.0, "b": 1.0}), pd.Series({"a": 1.0, "b": 0.0}))
    0.4
    """
    x, m = _align(exports, imports)
    total = (x + m).sum()
    return float(1.0 - np.abs(x - m).sum() / total) if total > 0 else float("nan")


def grubel_lloyd_adjusted(exports: pd.Series, imports: pd.Series) -> float:
    """Imbalance-adjusted aggregate Grubel-Lloyd.

    ``GL_adj = [sum_k (X_k + M_k) - sum_k |X_k - M_k|] / [sum_k (X_k + M_k) - |sum X - sum M|]``:
    the share of two-way trade in the trade that could be two-way given the overall imbalance.
    NaN when trade is one-way in aggregate (denominator 0).

    >>> grubel_lloyd_adjusted(pd.Series({"a": 3.0, "b": 1.0}), pd.Series({"a": 1.0, "b": 0.0}))
    1.0
    """
    x, m = _align(exports, imports)
    total = (x + m).sum()
    denom = total - abs(x.sum() - m.sum())
    return float((total - np.abs(x - m).sum()) / denom) if denom > 0 else float("nan")


def iit_type(unit_value_x, unit_value_m, band: float = IIT_UNIT_VALUE_BAND) -> np.ndarray:
    """Classify two-way trade as ``"horizontal"`` or ``"vertical"`` by relative unit values.

    Horizontal if ``1/(1+band) <= UV_X / UV_M <= 1 + band`` (docs/indicators.md: [1/1.15, 1.15]),
    vertical otherwise, ``None`` where a unit value is missing or non-positive (no quantities).

    >>> iit_type([10.0, 20.0], [9.5, 10.0]).tolist()
    ['horizontal', 'vertical']
    """
    ux, um = np.broadcast_arrays(np.asarray(unit_value_x, float), np.asarray(unit_value_m, float))
    ok = np.isfinite(ux) & np.isfinite(um) & (ux > 0) & (um > 0)
    ratio = np.where(ok, ux / np.where(ok, um, 1.0), np.nan)
    horizontal = (ratio >= 1.0 / (1.0 + band)) & (ratio <= 1.0 + band)
    return np.where(ok, np.where(horizontal, "horizontal", "vertical"), None).astype(object)
