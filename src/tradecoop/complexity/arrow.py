"""Arrow <-> numpy for the complexity boundary, built from buffers so that pandas is not imported.

pyarrow imports pandas (~0.15-0.2 s, a fifth of a one-year HS6 ``tradecoop complexity``
process) the first time ``pa.array()``, ``pa.scalar()`` or ``Array.to_numpy()`` runs, to check
whether its argument is a pandas object. Wrapping numpy memory as Arrow buffers (and reading
Arrow buffers as numpy arrays) does the same conversions without that check, and without a copy
where the memory is contiguous. Only fixed-width numbers and UTF-8 labels are handled: what the
complexity input and output need.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _chunk(column: Any) -> Any:
    """One contiguous Array from an Array or a ChunkedArray."""
    return column.combine_chunks() if hasattr(column, "combine_chunks") else column


def _numpy_dtype(arrow_type: Any) -> np.dtype:
    import pyarrow as pa

    if pa.types.is_floating(arrow_type):
        kind = "f"
    elif pa.types.is_signed_integer(arrow_type):
        kind = "i"
    elif pa.types.is_unsigned_integer(arrow_type):
        kind = "u"
    else:
        raise TypeError(f"not a fixed-width number: {arrow_type}")
    return np.dtype(f"{kind}{arrow_type.bit_width // 8}")


def null_mask(column: Any) -> np.ndarray | None:
    """Boolean mask of the nulls of a column (None when it has none)."""
    arr = _chunk(column)
    if arr.null_count == 0:
        return None
    validity = arr.buffers()[0]
    bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
    return ~bits[arr.offset: arr.offset + len(arr)].astype(bool)


def to_numpy(column: Any, *, null: float | int | None = None) -> np.ndarray:
    """A numeric column as a numpy array (read-only view where possible).

    Nulls are replaced by ``null`` (a copy is made then); without ``null`` a column with nulls
    raises ValueError.
    """
    arr = _chunk(column)
    data = np.frombuffer(arr.buffers()[1], dtype=_numpy_dtype(arr.type))[arr.offset: arr.offset + len(arr)]
    mask = null_mask(arr)
    if mask is None:
        return data
    if null is None:
        raise ValueError("the column has nulls")
    data = data.astype(np.result_type(data.dtype, np.asarray(null).dtype), copy=True)
    data[mask] = null
    return data


def from_numpy(values: np.ndarray) -> Any:
    """A 1-d numeric numpy array as an Arrow array (no copy when contiguous)."""
    import pyarrow as pa

    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), len(values),
                                 [None, pa.py_buffer(values)])


def from_values(values: Any) -> Any:
    """Numbers through :func:`from_numpy`; anything else (text years, mixed labels) through
    ``pa.array`` (which may import pandas: a rare input, not the CLI's hot path)."""
    import pyarrow as pa

    arr = np.asarray(values)
    if arr.dtype.kind in "iuf":
        return from_numpy(arr)
    return pa.array(list(values))


def strings(labels: Sequence[str]) -> Any:
    """A UTF-8 string array from Python strings."""
    import pyarrow as pa

    encoded = [str(label).encode("utf-8") for label in labels]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(encoded),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def dictionary(codes: np.ndarray, labels: Sequence[str]) -> Any:
    """A dictionary column: int32 ``codes`` into the string ``labels``."""
    import pyarrow as pa

    return pa.DictionaryArray.from_arrays(from_numpy(codes.astype(np.int32, copy=False)), strings(labels))


def labels(column: Any) -> np.ndarray:
    """The values of a (small) column as an object array of Python values."""
    return np.asarray(_chunk(column).to_pylist(), dtype=object)
