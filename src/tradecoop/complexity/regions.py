"""Locations outside the matrix (regions inside a country), evaluated against the countries' space.

docs/complexity.md, "Regions inside a country": a region (RU-CHE inside RUS) is never added to
the matrix as another country (its exports are already in its country's row: double counting,
and density could exceed 1). Instead:

- RCA_rp = (x_rp / sum_p x_rp) / (W_p / W) with W the countries' (world) totals;
- M_rp = 1[RCA_rp >= threshold]; density with the countries' zero-diagonal proximity;
- ECI_r = mean PCI over the region's products (undefined, NaN, if it has none);
- COI_r = (sum_p w_rp (1 - M_rp) q_p - mu_COI) / sd_COI with the **countries'** constants;
- COG_rp as for countries, with the countries' q and proximity; never re-standardised.

Treating a country of the matrix as external reproduces its own ECI, density, COI and COG (a test
holds it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tradecoop.complexity import outlook as _out
from tradecoop.complexity import product_space as _ps
from tradecoop.complexity.result import ComplexityYear
from tradecoop.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, eq=False)
class ExternalOutlook:
    """One external location's indicators on the countries' product space (arrays over products)."""

    location: str
    year: object
    products: np.ndarray
    values: np.ndarray
    rca: np.ndarray
    m: np.ndarray
    density: np.ndarray
    cog: np.ndarray
    eci: float
    coi: float
    diversity: int

    def to_frame(self) -> pd.DataFrame:
        """Rows per product with the columns of the countries' ``to_frame`` (pci/ubiquity omitted)."""
        import pandas as pd

        return pd.DataFrame({
            "year": self.year, "location": self.location, "product": self.products,
            "value": self.values, "rca": self.rca, "M": self.m.astype(np.int8),
            "density": self.density, "distance": 1.0 - self.density, "cog": self.cog,
            "eci": self.eci, "diversity": self.diversity, "coi": self.coi,
        })


def external_outlook(
    values: np.ndarray, countries: ComplexityYear, *, location: str = "external",
    threshold: float | None = None,
) -> ExternalOutlook:
    """Evaluate an external location's exports ``values`` (aligned to ``countries.products``).

    Parameters
    ----------
    values : array (Np,) of the location's exports per product of the countries' matrix (USD,
        zeros for products it does not export; products outside the matrix must be dropped
        beforehand, see :func:`tradecoop.complexity.external_outlook_frame`).
    countries : the year result the location is evaluated against (eigenvector or reflections).
    threshold : RCA threshold (default: the countries').
    """
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (len(countries.products),):
        raise DataValidationError(
            f"external values must have one entry per product of the matrix ({len(countries.products)}), "
            f"got shape {values.shape}"
        )
    if not np.isfinite(values).all() or (values < 0).any() or values.sum() <= 0:
        raise DataValidationError(
            f"external values for {location} must be finite, non-negative and not all 0"
        )
    if countries.method == "fitness":
        raise DataValidationError("external outlook needs the eigenvector or reflections method")
    t = countries.threshold if threshold is None else threshold
    world = countries.values.sum(axis=0)
    rca = (values / values.sum()) / (world / world.sum())
    m = (rca >= t).astype(np.float64)
    if countries.phi is not None:
        phi = countries.phi
    else:
        phi = _ps.ProximityOperator(countries.m, countries.ubiquity)
    level = rca if countries.proximity_kind == "continuous" else m  # continuous: RCA levels
    dens, cog = _out.density_and_cog(level[None, :], m[None, :], countries.q, phi)
    dens, cog = dens[0], cog[0]
    n = int(m.sum())
    eci = float(countries.pci[m == 1].mean()) if n else float("nan")
    coi = float((_out.coi_raw(dens, m, countries.q) - countries.coi_mu) / countries.coi_sd)
    return ExternalOutlook(location, countries.year, countries.products, values, rca, m, dens,
                           cog, eci, coi, n)
