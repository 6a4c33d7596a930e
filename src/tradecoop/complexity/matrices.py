"""Location x product matrices: tidy frame -> dense matrix, RCA, RPOP, presence M, diversity, ubiquity.

pandas is touched only at the boundary (:func:`validate_frame`, :func:`year_matrices`, and
:mod:`tradecoop.complexity.tidy`, which also takes Arrow tables); every other function works on
numpy arrays. Conventions are pinned in ``docs/complexity.md`` and docs/methods.md section 2.

References
----------
Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage. *The Manchester
School* 33(2), 99-123. https://doi.org/10.1111/j.1467-9957.1965.tb00050.x

Hausmann, R., Hidalgo, C. A. et al. (2014). *The Atlas of Economic Complexity*. MIT Press.
https://doi.org/10.7551/mitpress/9647.001.0001 (RPOP, reliable-country filter).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tradecoop.errors import DataQualityWarning, DataValidationError

if TYPE_CHECKING:
    import pandas as pd

    from tradecoop.complexity.tidy import TidyColumns

#: HS headings excluded from complexity by default (docs/complexity.md, "The sample matters"):
#: 7108 non-monetary gold (a store of value, not a capability), chapter 99 (9999 "commodities not
#: specified", national special codes) and the XXXX / XXXXXX placeholders of Comtrade and BACI.
SPECIAL_PREFIXES = ("7108", "99")
#: Atlas of Economic Complexity reliable-country filter (Hausmann et al. 2014, technical notes).
RELIABLE_MIN_POPULATION = 1.2e6
RELIABLE_MIN_EXPORTS_USD = 1e9


@dataclass(frozen=True)
class YearMatrix:
    """One year's rectangular location x product export matrix (missing cells are 0).

    Attributes
    ----------
    year : the year label (``None`` for a cross-section without a year column)
    locations, products : row and column labels (sorted)
    values : float64 array (Nc, Np) of export values
    """

    year: object
    locations: np.ndarray
    products: np.ndarray
    values: np.ndarray


def is_special_product(code: object) -> bool:
    """True for HS codes excluded from complexity by default (gold 7108, chapter 99, XXXX).

    Only HS-like codes are judged: 4- or 6-character strings of digits or of ``X``.

    >>> [is_special_product(c) for c in ("7108", "710812", "9999", "XXXX", "8701", 7108, "ab")]
    [True, True, True, True, False, True, False]
    """
    text = str(code).strip().upper()
    if len(text) not in (4, 6):
        return False
    if set(text) == {"X"}:
        return True
    return text.isdigit() and text.startswith(SPECIAL_PREFIXES)


def validate_frame(
    frame: pd.DataFrame, year_col: str | None, location_col: str, product_col: str, value_col: str,
    extra_cols: tuple[str, ...] = (),
) -> None:
    """Check the tidy input once: columns present, values numeric, finite, >= 0, keys unique.

    Raises
    ------
    DataValidationError
        With what was expected, what was found and where (first offending row, 1-based line
        number of the frame counting the header as line 1, as in a CSV file).
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise DataValidationError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    keys = [c for c in (year_col, location_col, product_col) if c is not None]
    needed = [*keys, value_col, *extra_cols]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"missing column(s) {missing}; expected {needed}, found {list(frame.columns)}"
        )
    if len(frame) == 0:
        raise DataValidationError("the input has no rows")
    values = frame[value_col]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise DataValidationError(
            f"`{value_col}` must be numeric; found dtype {values.dtype} (first value {values.iloc[0]!r})"
        )
    arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    for bad, what in ((~np.isfinite(arr), "NaN or infinite"), (arr < 0, "negative")):
        if bad.any():
            raise DataValidationError(
                f"`{value_col}` must be finite and non-negative; {int(bad.sum())} rows are {what} "
                f"(first: {_where(frame, keys, int(np.flatnonzero(bad)[0]))})"
            )
    # missing keys and duplicate keys are checked on the factorised codes in year_matrices


def validate_presence_column(
    frame: pd.DataFrame, col: str, keys: list[str]
) -> None:
    """Check a user-given presence column holds only 0 and 1 (the explicit-M option)."""
    vals = frame[col]
    bad = ~vals.isin([0, 1]).to_numpy()
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise DataValidationError(
            f"given presence column `{col}` must be 0 or 1; {int(bad.sum())} rows are not "
            f"(first: {vals.iloc[first]!r} at {_where(frame, keys, first)})"
        )


def _where(frame: pd.DataFrame, keys: list[str], pos: int) -> str:
    from tradecoop.complexity.tidy import frame_where

    return frame_where(frame, keys, pos)


def year_matrices(
    frame: pd.DataFrame, year_col: str | None, location_col: str, product_col: str, value_col: str,
    *, exclude_special: bool = True, float32: bool = False,
) -> list[YearMatrix]:
    """Split a validated tidy frame into one dense matrix per year (the pandas boundary).

    The list of :func:`iter_year_matrices` (see there).
    """
    from tradecoop.complexity.tidy import frame_columns

    columns = frame_columns(frame, year_col, location_col, product_col, value_col)
    return list(iter_year_matrices(columns, exclude_special=exclude_special, float32=float32))


def iter_year_matrices(
    columns: TidyColumns, *, exclude_special: bool = True, float32: bool = False,
) -> Iterator[YearMatrix]:
    """One dense matrix per year of a tidy table, built when asked for (one year at a time).

    ``columns`` come from :func:`tradecoop.complexity.tidy.frame_columns` or
    :func:`~tradecoop.complexity.tidy.arrow_columns`: locations and products are factorised once
    over the whole table (sorted labels), so the per-year work is integer indexing. Every year's
    keys are checked (duplicates, an all-zero year) before the first matrix is yielded, so an
    error never comes after some years were used. Per year, locations and products whose total
    is <= 0 are dropped (docs/complexity.md, the lead-in of the recipe). With ``exclude_special`` the special HS codes
    (:func:`is_special_product`) are dropped first, with a :class:`DataQualityWarning` giving
    counts. ``float32`` casts values to float32 (as Stata stores them) before they are widened
    to float64.
    """
    loc_codes, prod_codes = columns.loc_codes, columns.prod_codes
    loc_labels, prod_labels = columns.loc_labels, columns.prod_labels
    kept = None
    if exclude_special:
        special = np.array([is_special_product(p) for p in prod_labels], dtype=bool)
        if special.any():
            drop = special[prod_codes]
            names = sorted(map(str, prod_labels[special]))
            warnings.warn(
                f"excluded {int(drop.sum())} rows of {len(names)} special HS codes from complexity "
                f"(gold 7108, chapter 99, XXXX: {names[:8]}); pass exclude_special=False to keep them",
                DataQualityWarning,
                stacklevel=3,
            )
            kept = ~drop
    values = columns.values
    if float32:
        values = values.astype(np.float32).astype(np.float64)
    if columns.years is None:
        groups = [(None, np.arange(len(values)) if kept is None else np.flatnonzero(kept))]
    else:
        years = columns.years
        order = np.arange(len(years)) if kept is None else np.flatnonzero(kept)
        if len(order) > 1 and not (years[order[1:]] >= years[order[:-1]]).all():  # sorted: as read
            order = order[np.argsort(years[order], kind="stable")]
        sorted_years = years[order]
        starts = np.flatnonzero(np.r_[True, sorted_years[1:] != sorted_years[:-1]]) if len(order) else order
        uniq_years = sorted_years[starts]
        del sorted_years
        bounds = [*starts[1:], len(order)] if len(starts) else []
        groups = [(y.item() if hasattr(y, "item") else y, order[s:e])
                  for y, s, e in zip(uniq_years, starts, bounds, strict=True)]
    n_loc, n_prod = len(loc_labels), len(prod_labels)

    def cells(rows: np.ndarray) -> np.ndarray:
        return loc_codes[rows].astype(np.int64) * n_prod + prod_codes[rows]

    for year, rows in groups:  # every year's keys checked before the first matrix is built
        cell = cells(rows)
        if np.bincount(cell, minlength=n_loc * n_prod).max() > 1:
            _, first_seen = np.unique(cell, return_index=True)
            dup = np.ones(len(cell), dtype=bool)
            dup[first_seen] = False
            raise DataValidationError(
                f"each ({', '.join(columns.keys)}) must appear once; {int(dup.sum())} duplicate rows "
                f"(first: {columns.where(int(rows[np.flatnonzero(dup)[0]]))}); aggregate them first"
            )
        if not (values[rows] > 0).any():
            raise DataValidationError(f"year {year}: every value is 0; nothing to compute")
    del columns  # checked: the input table (held for its error messages) can go
    for year, rows in groups:
        dense = np.zeros((n_loc, n_prod))
        dense.ravel()[cells(rows)] = values[rows]
        keep_l = dense.sum(axis=1) > 0
        keep_p = dense.sum(axis=0) > 0
        dense = dense[keep_l][:, keep_p] if not (keep_l.all() and keep_p.all()) else dense
        yield YearMatrix(year, loc_labels[keep_l], prod_labels[keep_p], np.ascontiguousarray(dense))


def rca(values: np.ndarray, world: np.ndarray | None = None) -> np.ndarray:
    """Balassa's revealed comparative advantage on the whole matrix.

    RCA_cp = (x_cp / sum_p x_cp) / (W_p / sum_p W_p)   (Balassa 1965)

    with W_p = sum_c x_cp (the matrix is the world) unless ``world`` gives the world totals W_p
    (a panel that is not the whole world, e.g. the 11 BRICS+ exporters). Rows and columns must
    have positive totals (see :func:`year_matrices`); callers with empty rows mask them.

    >>> rca(np.array([[1.0, 1.0], [0.0, 2.0]]))   # world shares 1/4, 3/4
    array([[2.        , 0.66666667],
           [0.        , 1.33333333]])
    """
    row = values.sum(axis=1, keepdims=True)
    col = values.sum(axis=0, keepdims=True) if world is None else np.asarray(world, dtype=np.float64)[None, :]
    return (values / row) / (col / col.sum())


def rpop(values: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Exports per capita relative to the world: RPOP_cp = (x_cp / sum_c x_cp) / (pop_c / sum_c pop_c).

    The sums run over the locations in the matrix (Atlas of Economic Complexity, Hausmann et al.
    2014). ``population`` has one positive entry per row of ``values``.
    """
    col = values.sum(axis=0, keepdims=True)
    share = population / population.sum()
    return (values / col) / share[:, None]


def presence(index: np.ndarray, threshold: float = 1.0) -> np.ndarray:
    """Binary presence M_cp = 1[index_cp >= threshold] as float64 (pinned: >=, the Atlas rule).

    >>> presence(np.array([[0.5, 1.0, 2.0]]))
    array([[0., 1., 1.]])
    """
    return (index >= threshold).astype(np.float64)


def validate_given_presence(m: np.ndarray, where: str = "M") -> np.ndarray:
    """Check a user-given presence matrix is 0/1 and return it as float64."""
    m = np.asarray(m, dtype=np.float64)
    bad = ~((m == 0) | (m == 1))
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise DataValidationError(
            f"a given presence matrix must be 0/1; {int(bad.sum())} cells are not "
            f"(first: {where} row {r}, column {c}, value {float(m[r, c])!r})"
        )
    return m


def diversity(m: np.ndarray) -> np.ndarray:
    """kc0_c = sum_p M_cp (number of products location c exports with advantage)."""
    return m.sum(axis=1)


def ubiquity(m: np.ndarray) -> np.ndarray:
    """kp0_p = sum_c M_cp (number of locations exporting p with advantage)."""
    return m.sum(axis=0)


def reliable_locations(
    values: np.ndarray, population: np.ndarray,
    min_population: float = RELIABLE_MIN_POPULATION, min_exports: float = RELIABLE_MIN_EXPORTS_USD,
) -> np.ndarray:
    """Boolean mask of the Atlas's reliable locations: population > 1.2 M and exports >= USD 1 bn."""
    return (population > min_population) & (values.sum(axis=1) >= min_exports)
