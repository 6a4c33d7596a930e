"""Plain-JSON conversion shared by the CLI and the API (numpy scalars, NaN, paths, dates)."""

from __future__ import annotations

import math
from contextlib import suppress
from pathlib import Path
from typing import Any


def to_jsonable(value: Any) -> Any:
    """Convert frames, numpy / pandas scalars and NaN into plain JSON values (NaN -> null).

    >>> import numpy as np
    >>> to_jsonable({"a": np.float64("nan"), "b": [np.int64(2), Path("x")]})
    {'a': None, 'b': [2, 'x']}
    """
    if hasattr(value, "to_dict") and hasattr(value, "columns"):
        value = value.to_dict(orient="records")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        with suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
