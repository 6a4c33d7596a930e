"""One year's complexity pipeline on arrays: RCA -> M -> ECI/PCI -> proximity, density -> COI, COG.

Follows docs/complexity.md, the recipe, step by step (the recipe that reproduces Stata ``ecomplexity``).
"""

from __future__ import annotations

import warnings

import numpy as np

from tradecoop.complexity import eci as _eci
from tradecoop.complexity import matrices as _mx
from tradecoop.complexity import outlook as _out
from tradecoop.complexity import product_space as _ps
from tradecoop.complexity.result import ComplexityYear
from tradecoop.errors import DataQualityWarning, DataValidationError

METHODS = ("eigenvector", "reflections", "fitness")
RCA_MODES = ("balassa", "rpop", "both")
PROXIMITY_KINDS = ("discrete", "continuous")


def complexity_year(
    year: object,
    locations: np.ndarray,
    products: np.ndarray,
    values: np.ndarray,
    *,
    threshold: float = 1.0,
    method: str = "eigenvector",
    rca_mode: str = "balassa",
    population: np.ndarray | None = None,
    rpop_threshold: float = 1.0,
    given_m: np.ndarray | None = None,
    proximity_kind: str = "discrete",
) -> ComplexityYear:
    """Complexity of one (Nc, Np) matrix with positive row and column totals.

    ``population`` (per location, NaN where unknown) is needed for ``rca_mode`` 'rpop'/'both'
    (locations without population are dropped, with a warning). ``given_m`` replaces the
    computed presence (validated 0/1). Locations with diversity 0 or products with ubiquity 0
    (possible with a threshold above 1, RPOP or a given M) are dropped with a
    :class:`DataQualityWarning`: ECI/PCI are undefined for them.
    """
    rca_mat = _mx.rca(values)
    if rca_mode != "balassa":
        if population is None:
            raise DataValidationError(f"rca_mode={rca_mode!r} needs population per location")
        known = np.isfinite(population) & (population > 0)
        if not known.all():
            warnings.warn(
                f"year {year}: {int((~known).sum())} locations without population dropped for RPOP "
                f"(first: {locations[~known][0]})",
                DataQualityWarning,
                stacklevel=3,
            )
            locations, values, population = locations[known], values[known], population[known]
            if given_m is not None:
                given_m = given_m[known]
            rca_mat = _mx.rca(values)
        rpop_mat = _mx.rpop(values, population)
    if given_m is not None:
        m = _mx.validate_given_presence(given_m)
    elif rca_mode == "balassa":
        m = _mx.presence(rca_mat, threshold)
    elif rca_mode == "rpop":
        m = _mx.presence(rpop_mat, rpop_threshold)
    else:  # union, binary (docs/complexity.md, the recipe: RPOP)
        m = np.maximum(_mx.presence(rca_mat, threshold), _mx.presence(rpop_mat, rpop_threshold))
    kc0, kp0 = _mx.diversity(m), _mx.ubiquity(m)
    keep_l, keep_p = kc0 > 0, kp0 > 0
    if not (keep_l.all() and keep_p.all()):
        warnings.warn(
            f"year {year}: dropped {int((~keep_l).sum())} locations with diversity 0 and "
            f"{int((~keep_p).sum())} products with ubiquity 0 (ECI/PCI undefined for them)",
            DataQualityWarning,
            stacklevel=3,
        )
        locations, products = locations[keep_l], products[keep_p]
        values, rca_mat, m = (a[keep_l][:, keep_p] for a in (values, rca_mat, m))
        kc0, kp0 = _mx.diversity(m), _mx.ubiquity(m)
        if not (kc0 > 0).all() or not (kp0 > 0).all():
            raise DataValidationError(f"year {year}: presence matrix still has empty rows/columns")

    eigenvalues = iterations = None
    if method == "fitness":
        eci, pci, iterations, _ = _eci.fitness_complexity(m)
        nan_c, nan_cp = np.full(len(locations), np.nan), np.full(m.shape, np.nan)
        phi = _proximity(m, kp0, rca_mat, proximity_kind)
        levels = rca_mat if proximity_kind == "continuous" else m
        dens, _ = _out.density_and_cog(levels, m, None, phi)
        phi = phi if isinstance(phi, np.ndarray) else None
        return ComplexityYear(
            year, locations, products, values, rca_mat, m, kc0, kp0, eci, pci, dens, nan_cp,
            nan_c, np.full(len(products), np.nan), np.nan, np.nan, np.nan, np.nan, method,
            threshold, proximity_kind, phi, None, iterations,
        )
    if method == "reflections":
        kc, kp, iterations = _eci.reflections_complexity(m, kc0, kp0)
    else:
        kc, kp, vals = _eci.eigenvector_complexity(m, kc0, kp0)
        eigenvalues = tuple(float(v) for v in vals)
    kc, kp = _eci.orient(kc, kp, kc0, kp0, size=values.sum(axis=1))
    eci, pci, mu, sigma = _eci.standardise(kc, kp, m.shape[1])
    q = kp / sigma

    phi = _proximity(m, kp0, rca_mat, proximity_kind)
    levels = rca_mat if proximity_kind == "continuous" else m
    dens, cog = _out.density_and_cog(levels, m, q, phi)
    phi = phi if isinstance(phi, np.ndarray) else None  # the operator is rebuilt on demand
    coi_raw = _out.coi_raw(dens, m, q)
    coi_mu, coi_sd = _out.long_table_sd(coi_raw, m.shape[1])
    coi = (coi_raw - coi_mu) / coi_sd if coi_sd > 0 else np.zeros_like(coi_raw)
    return ComplexityYear(
        year, locations, products, values, rca_mat, m, kc0, kp0, eci, pci, dens, cog, coi, q,
        mu, sigma, coi_mu, coi_sd, method, threshold, proximity_kind, phi, eigenvalues, iterations,
    )


def _proximity(m, kp0, rca_mat, kind):
    """Explicit continuous proximity, or the discrete one as a (matrix-free) operator."""
    if kind == "continuous":
        return _ps.continuous_proximity(rca_mat)
    return _ps.ProximityOperator(m, kp0)
