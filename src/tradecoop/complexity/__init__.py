"""Economic complexity: RCA, M, diversity, ubiquity, ECI/PCI, proximity, density, COI, COG.

Public API::

    from tradecoop.complexity import compute_complexity, external_outlook_frame, iter_complexity
    result = compute_complexity(frame)            # tidy: year, location, product, value
    for year in iter_complexity(frame): ...       # the same, one ComplexityYear at a time
    result.to_frame()                             # one row per (year, location, product)
    result.eci_frame(); result.pci_frame(); result.proximity(2017)

Input is validated once here; the numerics are plain functions on numpy arrays in
``matrices``, ``eci``, ``product_space``, ``outlook`` and ``regions``. Conventions (pinned, and
reproducing Stata ``ecomplexity``) are in ``docs/complexity.md`` and docs/methods.md section 2.

References
----------
Hidalgo, C. A. & Hausmann, R. (2009). https://doi.org/10.1073/pnas.0900943106;
Hausmann, R., Hidalgo, C. A. et al. (2014). *The Atlas of Economic Complexity*.
https://doi.org/10.7551/mitpress/9647.001.0001
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

import numpy as np

from tradecoop.columns import POPULATION
from tradecoop.complexity.pipeline import METHODS, PROXIMITY_KINDS, RCA_MODES, complexity_year
from tradecoop.complexity.regions import ExternalOutlook, external_outlook
from tradecoop.complexity.result import FRAME_COLUMNS, ComplexityResult, ComplexityYear
from tradecoop.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FRAME_COLUMNS",
    "ComplexityOptions",
    "ComplexityResult",
    "ComplexityYear",
    "ExternalOutlook",
    "compute_complexity",
    "external_outlook",
    "external_outlook_frame",
    "iter_complexity",
]

POPULATION_COL = POPULATION


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise DataValidationError(f"{name} must be one of {list(allowed)}, got {value!r}")


@dataclass(frozen=True)
class ComplexityOptions:
    """How complexity is computed: the input's column names and the method's options.

    Pass one to :func:`compute_complexity` / :func:`iter_complexity`, or pass its fields as
    keywords (``compute_complexity(frame, threshold=1.0)``), or both (keywords override it).

    Attributes
    ----------
    year_col : year column, or None for a single cross-section.
    location_col, product_col, value_col : the other columns of the tidy table.
    threshold : RCA threshold of presence (>=).
    method : 'eigenvector' (default), 'reflections' (Hidalgo & Hausmann 2009) or 'fitness'
        (Tacchella et al. 2012; eci/pci then hold fitness/complexity, coi/cog are NaN).
    rca_mode : 'balassa', 'rpop' (exports per capita; needs ``population``) or 'both' (union).
    rpop_threshold : RPOP threshold of presence (>=).
    M : name of a column of ``frame`` holding a given 0/1 presence to use instead of RCA
        (the explicit flag for a user-given M; validated 0/1).
    exclude_special : drop HS 7108 (gold), chapter 99 and XXXX codes (warns with counts).
    float32_rca : cast values to float32 before RCA, as Stata stores them (to match its rca).
    proximity : 'discrete' (default) or 'continuous' ((1 + corr(RCA_p, RCA_p')) / 2).
    reliable_only : keep only the Atlas's reliable locations (population > 1.2 M and exports
        >= USD 1 bn; needs ``population``).
    """

    year_col: str | None = "year"
    location_col: str = "location"
    product_col: str = "product"
    value_col: str = "value"
    threshold: float = 1.0
    method: str = "eigenvector"
    rca_mode: str = "balassa"
    rpop_threshold: float = 1.0
    M: str | None = None  # noqa: N815 - the literature's name
    exclude_special: bool = True
    float32_rca: bool = False
    proximity: str = "discrete"
    reliable_only: bool = False

    def check(self) -> ComplexityOptions:
        """Raise :class:`DataValidationError` for an unknown choice or a bad threshold."""
        _choice("method", self.method, METHODS)
        _choice("rca_mode", self.rca_mode, RCA_MODES)
        _choice("proximity", self.proximity, PROXIMITY_KINDS)
        if not np.isfinite(self.threshold) or self.threshold <= 0:
            raise DataValidationError(f"threshold must be a positive number, got {self.threshold!r}")
        return self

    def summary(self) -> dict[str, object]:
        """The options a result records (``ComplexityResult.options``)."""
        return {"threshold": self.threshold, "method": self.method, "rca_mode": self.rca_mode,
                "exclude_special": self.exclude_special, "float32_rca": self.float32_rca,
                "proximity": self.proximity, "reliable_only": self.reliable_only, "given_M": self.M}


def _options(options: ComplexityOptions | None, overrides: dict[str, object]) -> ComplexityOptions:
    """``options`` (default: the defaults) with ``overrides`` applied and checked."""
    known = {f.name for f in fields(ComplexityOptions)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise DataValidationError(f"unknown complexity option(s) {unknown}; known: {sorted(known)}")
    return replace(options or ComplexityOptions(), **overrides).check()


def compute_complexity(
    frame: pd.DataFrame,
    options: ComplexityOptions | None = None,
    *,
    population: pd.DataFrame | None = None,
    **overrides: object,
) -> ComplexityResult:
    """Economic complexity per year of a tidy location x product export table.

    Per year (docs/complexity.md, the recipe): RCA_cp = (x_cp / sum_p x_cp) / (sum_c x_cp / sum_cp x_cp);
    M_cp = 1[RCA_cp >= threshold]; ECI/PCI from the second eigenvector of
    M~P = Dp^-1 M' Dc^-1 M, signed by corr(diversity, ECI) and standardised with Stata's
    constants; proximity phi_pp' = (M'M)_pp' / max(kp0_p, kp0_p') with phi_pp = 0; density,
    distance, COI and COG (Hausmann et al. 2014, https://doi.org/10.7551/mitpress/9647.001.0001).

    Parameters
    ----------
    frame : tidy table with one row per (year, location, product); absent rows are zeros.
    options : :class:`ComplexityOptions` (columns, threshold, method, RCA mode, ...); its fields
        may also be given as keywords, which override it.
    population : frame with ``location_col``, ``population`` and (optionally) ``year_col``
        (for ``rca_mode`` 'rpop' or 'both' and ``reliable_only``).

    Returns
    -------
    ComplexityResult
        ``to_frame()`` with :data:`FRAME_COLUMNS`, ``eci_frame()``, ``pci_frame()``,
        ``proximity(year)``; ``result[year]`` is a :class:`ComplexityYear`.

    Raises
    ------
    DataValidationError
        Missing columns, non-numeric / NaN / negative values, duplicate keys, bad options.
    ConvergenceError
        Disconnected network (eigenvector) or reflections that do not converge.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"year": 2017, "location": list("AAABBBCCDD"),
    ...                       "product": list("pqrpqsqrrs"),
    ...                       "value": [5.0, 3, 1, 1, 4, 2, 3, 4, 2, 6]})
    >>> res = compute_complexity(frame)
    >>> res.only().m.astype(int).tolist()    # A exports the rarest product p
    [[1, 1, 0, 0], [0, 1, 0, 1], [0, 1, 1, 0], [0, 0, 1, 1]]
    >>> res.eci_frame()["location"].tolist()
    ['A', 'B', 'C', 'D']
    """
    opts = _options(options, overrides)
    by_year = {cy.year: cy for cy in iter_complexity(frame, opts, population=population)}
    return ComplexityResult(by_year, opts.summary())


def iter_complexity(
    frame: pd.DataFrame,
    options: ComplexityOptions | None = None,
    *,
    population: pd.DataFrame | None = None,
    **overrides: object,
) -> Iterator[ComplexityYear]:
    """:func:`compute_complexity` one year at a time, in year order (same options, same results).

    ``frame`` may also be a ``pyarrow.Table`` (validated with the same rules and messages,
    without importing pandas; what the CLI passes). The input is validated here, before the first year is computed (every year's keys
    included); each :class:`ComplexityYear` is built when asked for, so a caller that writes
    each year and drops it holds one year's matrices at a time (the CLI streams ten HS6 years
    this way).
    """
    from tradecoop.complexity import matrices as _mx
    from tradecoop.complexity import tidy as _tidy

    o = _options(options, overrides)
    year_col, location_col, product_col, value_col = o.year_col, o.location_col, o.product_col, o.value_col
    threshold, method, rca_mode, rpop_threshold, M = o.threshold, o.method, o.rca_mode, o.rpop_threshold, o.M  # noqa: N806
    exclude_special, float32_rca, proximity, reliable_only = o.exclude_special, o.float32_rca, o.proximity, o.reliable_only
    if M is not None and _tidy.is_arrow_table(frame):
        frame = frame.to_pandas()  # a given presence is read through pandas (pivot)
    if _tidy.is_arrow_table(frame):
        columns = _tidy.arrow_columns(frame, year_col, location_col, product_col, value_col)
    else:
        extra = (M,) if M is not None else ()
        _mx.validate_frame(frame, year_col, location_col, product_col, value_col, extra)
        if M is not None:
            keys = [c for c in (year_col, location_col, product_col) if c is not None]
            _mx.validate_presence_column(frame, M, keys)
        columns = _tidy.frame_columns(frame, year_col, location_col, product_col, value_col)
    needs_pop = rca_mode != "balassa" or reliable_only
    if needs_pop and population is None:
        raise DataValidationError(
            f"rca_mode={rca_mode!r} / reliable_only={reliable_only} need a population frame "
            f"with columns {location_col}, {POPULATION_COL}"
        )
    matrices = _mx.iter_year_matrices(columns, exclude_special=exclude_special, float32=float32_rca)
    first = next(matrices, None)  # runs every key check now, not at the caller's first next()
    if first is None:
        raise DataValidationError("no rows left to compute (every row is a special HS code)")
    given = _given_presence(frame, M, year_col, location_col, product_col) if M else None

    def years() -> Iterator[ComplexityYear]:
        for ym in itertools.chain((first,), matrices):
            pop = _population_for(population, ym, year_col, location_col) if needs_pop else None
            locations, values = ym.locations, ym.values
            given_m = given(ym) if given is not None else None
            if reliable_only:
                keep = _mx.reliable_locations(values, np.nan_to_num(pop))
                locations, values, pop = locations[keep], values[keep], pop[keep]
                given_m = given_m[keep] if given_m is not None else None
                keep_p = values.sum(axis=0) > 0
                values = values[:, keep_p]
                products = ym.products[keep_p]
                given_m = given_m[:, keep_p] if given_m is not None else None
            else:
                products = ym.products
            yield complexity_year(
                ym.year, locations, products, values, threshold=threshold, method=method,
                rca_mode=rca_mode, population=pop, rpop_threshold=rpop_threshold,
                given_m=given_m, proximity_kind=proximity,
            )

    return years()


def _population_for(population, ym, year_col, location_col) -> np.ndarray:
    """Population per location of ``ym`` (NaN where unknown)."""
    missing = [c for c in (location_col, POPULATION_COL) if c not in population.columns]
    if missing:
        raise DataValidationError(
            f"population frame lacks column(s) {missing}; found {list(population.columns)}"
        )
    pop = population
    if year_col is not None and year_col in pop.columns:
        pop = pop[pop[year_col] == ym.year]
    series = pop.set_index(location_col)[POPULATION_COL]
    if series.index.duplicated().any():
        raise DataValidationError(f"population has duplicate locations for year {ym.year}")
    return series.reindex(ym.locations).to_numpy(dtype=np.float64)


def _given_presence(frame, col, year_col, location_col, product_col):
    """A function mapping a YearMatrix to its given presence matrix (0 where no row)."""
    import pandas as pd

    def build(ym) -> np.ndarray:
        sub = frame if year_col is None else frame[frame[year_col] == ym.year]
        wide = sub.pivot(index=location_col, columns=product_col, values=col)
        wide = wide.reindex(index=pd.Index(ym.locations), columns=pd.Index(ym.products))
        return wide.fillna(0).to_numpy(dtype=np.float64)

    return build


def external_outlook_frame(
    values: pd.Series, countries: ComplexityYear, *, location: str = "external",
    threshold: float | None = None,
) -> ExternalOutlook:
    """:func:`external_outlook` for a Series of exports indexed by product code.

    Products outside the countries' matrix are ignored (they have no PCI or proximity); the
    location must export at least one product of the matrix.
    """
    import pandas as pd

    if not isinstance(values, pd.Series):
        raise DataValidationError(f"expected a pandas Series indexed by product, got {type(values).__name__}")
    aligned = values.groupby(level=0).sum().reindex(pd.Index(countries.products)).fillna(0.0)
    return external_outlook(aligned.to_numpy(dtype=np.float64), countries, location=location,
                            threshold=threshold)
