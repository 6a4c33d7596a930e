"""The tidy input as arrays: validated keys and values from a pandas DataFrame or an Arrow table.

:func:`frame_columns` (pandas, after :func:`~tradecoop.complexity.matrices.validate_frame`) and
:func:`arrow_columns` (a ``pyarrow.Table``, validated here with the same rules and messages)
both give :class:`TidyColumns`: sorted labels, integer codes and float64 values. The Arrow path
imports no pandas (see :mod:`tradecoop.complexity.arrow`), ~0.15-0.2 s of every
``tradecoop complexity`` process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tradecoop.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class TidyColumns:
    """A tidy table's columns as arrays (one entry per input row).

    ``loc_codes`` / ``prod_codes`` index the sorted ``loc_labels`` / ``prod_labels`` (object
    arrays); ``years`` is None for a cross-section; ``where(i)`` describes input row ``i`` for
    error messages (its keys and its 1-based line counting a header, as in a CSV file).
    """

    keys: list[str]
    years: np.ndarray | None
    loc_codes: np.ndarray
    loc_labels: np.ndarray
    prod_codes: np.ndarray
    prod_labels: np.ndarray
    values: np.ndarray
    where: Callable[[int], str]


def _missing_keys(names: tuple[str, str], codes: tuple[np.ndarray, np.ndarray],
                  where: Callable[[int], str]) -> None:
    for col, code in zip(names, codes, strict=True):
        bad = code < 0
        if bad.any():
            raise DataValidationError(
                f"`{col}` must not be empty; {int(bad.sum())} rows are missing "
                f"(first: {where(int(np.flatnonzero(bad)[0]))})"
            )


def _sorted_codes(codes: np.ndarray, categories: Any) -> tuple[np.ndarray, np.ndarray]:
    """Codes into ``categories`` (-1 missing) -> codes into the used categories, sorted by label."""
    valid = codes >= 0
    used = np.flatnonzero(np.bincount(codes[valid], minlength=len(categories)))
    labels = np.asarray(categories, dtype=object)[used]
    order = np.argsort(labels, kind="stable")
    remap = np.full(len(categories), -1, dtype=np.int32)  # int32 codes: half the memory
    remap[used[order]] = np.arange(len(used))
    return np.where(valid, remap[codes], np.int32(-1)), labels[order]


def _factorize_sorted(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and sorted labels of a key column (-1 for missing), fast for categoricals.

    A categorical column (labels read as a Parquet dictionary or a CSV category) is factorised
    from its codes: only the categories that occur are kept, in sorted label order, exactly as
    ``pd.factorize(sort=True)`` orders plain labels (pandas would order categories by their
    dictionary position instead).
    """
    import pandas as pd

    if not isinstance(series.dtype, pd.CategoricalDtype):
        codes, labels = pd.factorize(series, sort=True)
        return codes, np.asarray(labels, dtype=object)
    return _sorted_codes(series.cat.codes.to_numpy().astype(np.int64), series.cat.categories)


def frame_where(frame: pd.DataFrame, keys: list[str], pos: int) -> str:
    """``year=2017, location=A, product=7108, line 3`` for row ``pos`` of a frame."""
    row = frame.iloc[pos]
    cells = ", ".join(f"{k}={row[k]}" for k in keys)
    return f"{cells}, line {pos + 2}"


def frame_columns(frame: pd.DataFrame, year_col: str | None, location_col: str, product_col: str,
                  value_col: str) -> TidyColumns:
    """Arrays of a frame already checked by :func:`~tradecoop.complexity.matrices.validate_frame`."""
    keys = [c for c in (year_col, location_col, product_col) if c is not None]

    def where(pos: int) -> str:
        return frame_where(frame, keys, pos)

    loc_codes, loc_labels = _factorize_sorted(frame[location_col])
    prod_codes, prod_labels = _factorize_sorted(frame[product_col])
    _missing_keys((location_col, product_col), (loc_codes, prod_codes), where)
    years = None
    if year_col is not None:
        missing = frame[year_col].isna().to_numpy()
        if missing.any():
            raise DataValidationError(
                f"`{year_col}` must not be empty; {int(missing.sum())} rows are missing "
                f"(first: {where(int(np.flatnonzero(missing)[0]))})"
            )
        years = frame[year_col].to_numpy()
    values = frame[value_col].to_numpy(dtype=np.float64)
    return TidyColumns(keys, years, loc_codes, loc_labels, prod_codes, prod_labels, values, where)


def is_arrow_table(obj: object) -> bool:
    """True for a ``pyarrow.Table`` (checked without importing pyarrow)."""
    return type(obj).__module__.startswith("pyarrow") and hasattr(obj, "schema")


def _arrow_codes(column: Any) -> tuple[np.ndarray, np.ndarray]:
    """Sorted-label codes of an Arrow key column (dictionary or plain); -1 for null."""
    import pyarrow as pa

    from tradecoop.complexity import arrow

    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if not pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_encode()
    indices = arrow.to_numpy(arr.indices, null=-1).astype(np.int64)
    return _sorted_codes(indices, arrow.labels(arr.dictionary))


def arrow_columns(table: Any, year_col: str | None, location_col: str, product_col: str,
                  value_col: str) -> TidyColumns:
    """Validate an Arrow table like :func:`~tradecoop.complexity.matrices.validate_frame` (same
    rules, same messages) and return its arrays; no pandas is imported."""
    import pyarrow as pa

    from tradecoop.complexity import arrow

    keys = [c for c in (year_col, location_col, product_col) if c is not None]
    needed = [*keys, value_col]
    missing = [c for c in needed if c not in table.column_names]
    if missing:
        raise DataValidationError(
            f"missing column(s) {missing}; expected {needed}, found {table.column_names}"
        )
    if table.num_rows == 0:
        raise DataValidationError("the input has no rows")

    def where(pos: int) -> str:
        row = table.slice(pos, 1).select(keys).to_pylist()[0]
        return ", ".join(f"{k}={row[k]}" for k in keys) + f", line {pos + 2}"

    vtype = table.schema.field(value_col).type
    if not (pa.types.is_integer(vtype) or pa.types.is_floating(vtype) or pa.types.is_decimal(vtype)):
        first = table.column(value_col)[0].as_py()
        raise DataValidationError(f"`{value_col}` must be numeric; found dtype {vtype} (first value {first!r})")
    column = table.column(value_col)
    if column.type != pa.float64():  # Array.cast loads pyarrow.compute (~40 ms): only if needed
        column = column.cast(pa.float64())
    values = arrow.to_numpy(column, null=np.nan)
    for bad, what in ((~np.isfinite(values), "NaN or infinite"), (values < 0, "negative")):
        if bad.any():
            raise DataValidationError(
                f"`{value_col}` must be finite and non-negative; {int(bad.sum())} rows are {what} "
                f"(first: {where(int(np.flatnonzero(bad)[0]))})"
            )
    loc_codes, loc_labels = _arrow_codes(table.column(location_col))
    prod_codes, prod_labels = _arrow_codes(table.column(product_col))
    _missing_keys((location_col, product_col), (loc_codes, prod_codes), where)
    years = None
    if year_col is not None:
        column = table.column(year_col)
        if column.null_count:
            missing = arrow.null_mask(column)
            raise DataValidationError(
                f"`{year_col}` must not be empty; {int(missing.sum())} rows are missing "
                f"(first: {where(int(np.flatnonzero(missing)[0]))})"
            )
        years = arrow.to_numpy(column)
    return TidyColumns(keys, years, loc_codes, loc_labels, prod_codes, prod_labels, values, where)
