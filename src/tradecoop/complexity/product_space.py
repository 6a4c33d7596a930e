"""Product space: proximity (discrete and continuous), density and distance.

Plain functions on numpy arrays. Pinned (METHODS.md steps 9-10): the discrete proximity has a
**zero diagonal**, and density is normalised by the proximity row sum of the target product.

References
----------
Hidalgo, C. A., Klinger, B., Barabasi, A.-L. & Hausmann, R. (2007). The product space conditions
the development of nations. *Science* 317(5837), 482-487. https://doi.org/10.1126/science.1144581
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.linalg import blas

from tradecoop.errors import DataQualityWarning

#: rows of the proximity matrix built per block (bounds the temporary memory of the max())
_BLOCK = 1024


def cooccurrence(m: np.ndarray) -> np.ndarray:
    """C = M'M, the number of locations exporting both p and p' (float32, exact below 2**24).

    Uses the symmetric rank-k BLAS update (``ssyrk``, half the work of a general product).
    """
    m32 = np.asfortranarray(m, dtype=np.float32)
    upper = blas.ssyrk(1.0, m32, trans=1)
    return np.triu(upper) + np.triu(upper, 1).T


def proximity(m: np.ndarray, kp0: np.ndarray) -> np.ndarray:
    """Discrete proximity with a zero diagonal (Hidalgo et al. 2007; METHODS.md step 9).

    phi_pp' = (M'M)_pp' / max(kp0_p, kp0_p')  for p != p',  phi_pp = 0.

    >>> m = np.array([[1., 1., 0.], [1., 0., 1.], [1., 1., 1.]])   # ubiquities 3, 2, 2
    >>> proximity(m, m.sum(axis=0))     # C_01 = 2 -> 2/max(3,2); C_12 = 1 -> 1/2
    array([[0.        , 0.66666667, 0.66666667],
           [0.66666667, 0.        , 0.5       ],
           [0.66666667, 0.5       , 0.        ]])
    """
    counts = cooccurrence(m)
    n = counts.shape[0]
    phi = np.empty((n, n))
    for s in range(0, n, _BLOCK):
        e = min(s + _BLOCK, n)
        phi[s:e] = counts[s:e] / np.maximum(kp0[s:e, None], kp0[None, :])
    np.fill_diagonal(phi, 0.0)
    return phi


def proximity_matmul(y: np.ndarray, m: np.ndarray, kp0: np.ndarray) -> np.ndarray:
    """Y @ phi for the discrete zero-diagonal proximity, without forming the Np x Np matrix.

    With products sorted by ubiquity u and C = M'M,
    (Y phi)_rp = sum_k M_kp [ G_l(p) + H_l(p) / u_p ]_rk - Y_rp, where for the ubiquity level
    l(p) of p, G_l = sum_{p': u_p' >= u_p} Y_:p' M_:p'^T / u_p' and
    H_l = sum_{p': u_p' < u_p} Y_:p' M_:p'^T (the max in phi's denominator is u_p' in G and u_p
    in H; "- Y_rp" removes the diagonal, C_pp / u_p = 1). Cost 3 R Nc Np instead of R Np^2:
    about 20x fewer operations at 230 x 5,000 and no 200 MB proximity matrix. Equal to
    ``y @ proximity(m, kp0)`` to rounding (a unit test holds it).
    """
    y = np.atleast_2d(np.asarray(y, dtype=np.float64))
    order = np.argsort(kp0, kind="stable")
    ms = np.ascontiguousarray(m[:, order])
    ys = np.ascontiguousarray(y[:, order])
    us = kp0[order]
    levels, starts = np.unique(us, return_index=True)
    ends = [*starts[1:], len(us)]
    g_total = (ys / us) @ ms.T
    below_g = np.zeros_like(g_total)  # sum over lower levels of Y M' / u
    below_h = np.zeros_like(g_total)  # sum over lower levels of Y M'
    out = np.empty_like(ys)
    for v, s, e in zip(levels, starts, ends, strict=True):
        block = ms[:, s:e]
        out[:, s:e] = (g_total - below_g + below_h / v) @ block
        part = ys[:, s:e] @ block.T
        below_g += part / v
        below_h += part
    out -= ys
    result = np.empty_like(out)
    result[:, order] = out
    return result


def proximity_row_sums(m: np.ndarray, kp0: np.ndarray) -> np.ndarray:
    """s_p = sum_p' phi_pp' (discrete, zero diagonal), without forming phi."""
    return proximity_matmul(np.ones((1, m.shape[1])), m, kp0)[0]


def continuous_proximity(rca: np.ndarray) -> np.ndarray:
    """Continuous proximity (1 + corr(RCA_p, RCA_p')) / 2 over locations, zero diagonal.

    Pairs with an undefined correlation (a product whose RCA is the same everywhere) get 0,
    with a :class:`DataQualityWarning` giving the count.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = (1.0 + np.corrcoef(rca, rowvar=False)) / 2.0
    bad = ~np.isfinite(phi)
    if bad.any():
        warnings.warn(
            f"{int(bad.sum())} proximity cells have an undefined correlation (constant RCA); set to 0",
            DataQualityWarning,
            stacklevel=2,
        )
        phi[bad] = 0.0
    np.fill_diagonal(phi, 0.0)
    return phi


def density(levels: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Density w_cp = sum_p' L_cp' phi_pp' / sum_p' phi_pp' with an explicit proximity matrix.

    ``levels`` is M (discrete, then w in [0, 1]) or RCA (continuous proximity; then w is not
    bounded by 1). NaN where the product's proximity row sums to 0 (it co-occurs with nothing).

    >>> m = np.array([[1., 1., 0.], [1., 0., 1.], [1., 1., 1.]])
    >>> density(m, proximity(m, m.sum(axis=0)))[0]   # product 2: (2/3 + 1/2) / (2/3 + 1/2) = 1
    array([0.5       , 0.57142857, 1.        ])
    """
    sums = phi.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sums > 0, (levels @ phi) / sums, np.nan)


def density_discrete(m: np.ndarray, kp0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Density with the discrete proximity, computed by :func:`proximity_matmul`.

    Returns
    -------
    density, row_sums
        ``row_sums`` s_p = sum_p' phi_pp' (needed by COG).
    """
    stacked = proximity_matmul(np.vstack([np.ones((1, m.shape[1])), m]), m, kp0)
    sums = stacked[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sums > 0, stacked[1:] / sums, np.nan), sums


def distance(dens: np.ndarray) -> np.ndarray:
    """Distance d_cp = 1 - w_cp (Hausmann et al. 2014)."""
    return 1.0 - dens
