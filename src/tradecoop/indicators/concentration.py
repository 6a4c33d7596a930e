"""Concentration of a trade flow across product lines: HHI and UNCTAD's normalised H*.

    HHI = sum_k s_k^2,         s_k = v_k / sum v
    H*  = (sqrt(HHI) - sqrt(1/N)) / (1 - sqrt(1/N))

``N`` is the number of product lines at the stated level (HS2, HS4 or HS6). By default it is the
number of lines with positive value (UNCTAD's "number of products exported"); pass ``n_lines`` to
use the size of the classification instead. H* is NaN for ``N = 1``. Never compare H* across
product levels.

References: WITS *Trade Indicators* (HHI); UNCTAD Handbook of Statistics, "Concentration index"
(https://unctadstat.unctad.org/EN/Classifications.html); Herfindahl (1950).
"""

from __future__ import annotations

import numpy as np


def _shares(values) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    total = v.sum()
    return v / total if total > 0 else v


def hhi(values) -> float:
    """Herfindahl-Hirschman index ``sum_k s_k^2`` of positive values (NaN if there are none).

    >>> hhi([50.0, 50.0])   # 0.5^2 + 0.5^2
    0.5
    """
    s = _shares(values)
    return float((s**2).sum()) if s.size else float("nan")


def hhi_normalised(values, n_lines: int | None = None) -> float:
    """UNCTAD-normalised concentration ``H* = (sqrt(HHI) - sqrt(1/N)) / (1 - sqrt(1/N))``.

    NaN when ``N = 1`` (or no positive value).

    >>> hhi_normalised([50.0, 50.0])   # HHI = 0.5 = 1/N -> 0
    0.0
    """
    s = _shares(values)
    n = int(n_lines) if n_lines is not None else int(s.size)
    if s.size == 0 or n <= 1:
        return float("nan")
    root = np.sqrt(1.0 / n)
    return float((np.sqrt((s**2).sum()) - root) / (1.0 - root))
