"""Complexity outlook (COI, COG), PRODY/EXPY, and locations outside the matrix (regions).

Plain functions on numpy arrays. Pinned (docs/complexity.md, the recipe: COI, COG): q_p = kp_p / sigma (the
un-centred PCI), COI z-scored with n - 1 over the long table, COG normalised by the row sum of the
product summed over, exactly 0 where M = 1, not re-centred.

References
----------
Hausmann, R., Hidalgo, C. A. et al. (2014). *The Atlas of Economic Complexity*. MIT Press.
https://doi.org/10.7551/mitpress/9647.001.0001 (COI, COG).

Hausmann, R., Hwang, J. & Rodrik, D. (2007). What you export matters. *Journal of Economic Growth*
12(1), 1-25. https://doi.org/10.1007/s10887-006-9009-4 (PRODY, EXPY).
"""

from __future__ import annotations

import numpy as np

from tradecoop.complexity.product_space import ProximityOperator, apply_proximity, row_sums


def long_table_sd(x: np.ndarray, n_products: int) -> tuple[float, float]:
    """Mean and Stata sd of a per-location value repeated over the long Nc*Np table (n - 1).

    sd = sqrt(Np * sum_c (x_c - mean)^2 / (Nc * Np - 1)).
    """
    mu = float(np.mean(x))
    sd = float(np.sqrt(n_products * np.sum((x - mu) ** 2) / (x.shape[0] * n_products - 1)))
    return mu, sd


def coi_raw(dens: np.ndarray, m: np.ndarray, q: np.ndarray) -> np.ndarray:
    """COI_raw_c = sum_p w_cp (1 - M_cp) q_p (products with undefined density count 0)."""
    return np.nansum(dens * (1.0 - m) * q, axis=-1)


def cog_weights(q: np.ndarray, row_sums: np.ndarray) -> np.ndarray:
    """v_p' = q_p' / sum_p'' phi_p'p'' (0 where the row sum is 0: such a p' has no neighbours)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(row_sums > 0, q / row_sums, 0.0)


def cog(m: np.ndarray, v: np.ndarray, phi: np.ndarray | ProximityOperator) -> np.ndarray:
    """Complexity outlook gain (docs/complexity.md, the recipe: COG).

    COG_cp = (1 - M_cp) sum_p' (1 - M_cp') phi_p'p v_p',  v_p' = q_p' / sum_p'' phi_p'p''.

    Evaluated as (1 - M) * (v phi - (M * v) phi) with an explicit ``phi`` or a
    :class:`~tradecoop.complexity.product_space.ProximityOperator`. ``m`` is the rows to
    evaluate: the whole matrix or one external location. A hand-checked 3 x 3 case is in
    ``tests/unit/complexity/test_eci_by_hand.py``.
    """
    m2 = np.atleast_2d(m)
    prod = apply_proximity(np.vstack([v[None, :], m2 * v]), phi)
    out = (1.0 - m2) * (prod[0] - prod[1:])
    return out.reshape(np.shape(m))


def density_and_cog(
    levels: np.ndarray, m: np.ndarray, q: np.ndarray | None, phi: np.ndarray | ProximityOperator
) -> tuple[np.ndarray, np.ndarray | None]:
    """Density (see :func:`~tradecoop.complexity.product_space.density`) and COG in one pass.

    Stacks [levels; v; M * v] into one product with phi (one pass over the proximity
    operator instead of two). ``q`` None skips COG (returns None for it).
    """
    sums = row_sums(phi)
    n = levels.shape[0]
    if q is None:
        prod = apply_proximity(levels, phi)
    else:
        v = cog_weights(q, sums)
        prod = apply_proximity(np.vstack([levels, v[None, :], m * v]), phi)
    with np.errstate(invalid="ignore", divide="ignore"):
        dens = np.where(sums > 0, prod[:n] / sums, np.nan)
    if q is None:
        return dens, None
    return dens, (1.0 - m) * (prod[n] - prod[n + 1:])


def prody(values: np.ndarray, gdp_per_capita: np.ndarray) -> np.ndarray:
    """PRODY_p = sum_c [(x_cp / X_c) / sum_c' (x_c'p / X_c')] Y_c (Hausmann, Hwang & Rodrik 2007).

    ``gdp_per_capita`` Y_c per row of ``values``. The authors use PPP GDP per capita, a fixed
    country sample and 3-year averages; PRODY depends on that sample, so state it.

    >>> # shares: c0 (.5, .5), c1 (0, 1); p0 weights (1, 0) -> 10; p1 (.5/1.5, 1/1.5) -> 50/3
    >>> prody(np.array([[1.0, 1.0], [0.0, 2.0]]), np.array([10.0, 20.0]))
    array([10.        , 16.66666667])
    """
    shares = values / values.sum(axis=1, keepdims=True)
    weights = shares / shares.sum(axis=0, keepdims=True)
    return weights.T @ gdp_per_capita


def expy(values: np.ndarray, prody_p: np.ndarray) -> np.ndarray:
    """EXPY_c = sum_p (x_cp / X_c) PRODY_p (Hausmann, Hwang & Rodrik 2007)."""
    return (values / values.sum(axis=1, keepdims=True)) @ prody_p
