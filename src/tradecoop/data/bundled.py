"""Datasets shipped inside the package: real public data converted to Parquet at build time.

``scripts/build_bundled.py`` converts ``../shared/data/raw`` into ``tradecoop/data/datasets/*.parquet``
and writes ``datasets/manifest.json``: one entry per dataset with its :class:`DatasetInfo` fields
and the Parquet file name. This module only reads the manifest; nothing is read at import time.
See ``tradecoop/data/datasets/DATA.md`` for sources, licences and caveats.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from tradecoop.data.provenance import DatasetInfo
from tradecoop.errors import NotFoundError

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
MANIFEST = DATASETS_DIR / "manifest.json"


@cache
def _manifest() -> dict[str, dict]:
    if not MANIFEST.exists():
        return {}
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def list_bundled() -> list[tuple[DatasetInfo, Path]]:
    """Every bundled dataset with the path of its Parquet file, in manifest order."""
    out = []
    for entry in _manifest().values():
        info = DatasetInfo.from_dict({k: v for k, v in entry.items() if k != "path"})
        out.append((info, DATASETS_DIR / entry["path"]))
    return out


def bundled_path(name: str) -> Path:
    """Path of the Parquet file of bundled dataset ``name``.

    Raises
    ------
    NotFoundError
        If no bundled dataset has that name (the message lists the ones that exist).
    """
    entry = _manifest().get(name)
    if entry is None:
        known = ", ".join(sorted(_manifest())) or "none"
        raise NotFoundError(f"no bundled dataset named {name!r}; bundled datasets: {known}")
    return DATASETS_DIR / entry["path"]


def bundled_info(name: str) -> DatasetInfo:
    """Provenance of bundled dataset ``name`` (raises :class:`NotFoundError` if unknown)."""
    bundled_path(name)
    entry = _manifest()[name]
    return DatasetInfo.from_dict({k: v for k, v in entry.items() if k != "path"})
