"""The local data store: Parquet files + JSON provenance records, queried with Ibis on DuckDB.

Layout of a store directory (``--store DIR`` > ``$TRADECOOP_STORE`` > per-user data dir)::

    DIR/datasets/<name>/data.parquet   the canonical table (columns from tradecoop.columns)
    DIR/datasets/<name>/info.json      DatasetInfo (provenance) + how it was imported
    DIR/.staging/                      imports in progress (removed when they finish or fail)

Bundled datasets (``tradecoop.data.bundled``) are listed and readable without any import.
Relational work goes through Ibis expressions on an in-process DuckDB connection, so the same
expressions can run on another Ibis backend (e.g. Spark) later.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradecoop import columns as C
from tradecoop.data.bundled import list_bundled
from tradecoop.data.paths import resolve_store_dir
from tradecoop.data.provenance import DatasetInfo
from tradecoop.errors import ConflictError, DataValidationError, NotFoundError

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir
    import pandas as pd

#: table kind of reporter-side flows (Comtrade, FCS regional): bilateral_flows + flow + reporter.
#: Local constant until it is added to tradecoop.columns (requested in the store report).
REPORTED_FLOWS = "reported_flows"
REPORTED_FLOWS_COLUMNS = (*C.BILATERAL_FLOWS_COLUMNS, C.FLOW, C.REPORTER)

DATASETS_SUBDIR = "datasets"
STAGING_SUBDIR = ".staging"
DATA_FILE = "data.parquet"
INFO_FILE = "info.json"
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,63}$")
#: DuckDB settings: bounded memory (spills to disk beyond it) and a few threads.
DUCKDB_MEMORY_LIMIT = os.environ.get("TRADECOOP_DUCKDB_MEMORY", "4GB")
DUCKDB_THREADS = int(os.environ.get("TRADECOOP_DUCKDB_THREADS", str(min(4, os.cpu_count() or 1))))


def check_name(name: str) -> str:
    """Validate a dataset name (lower-case letters, digits, ``_ . -``; at most 64 characters)."""
    if not _NAME_RE.match(name or ""):
        raise DataValidationError(
            f"invalid dataset name {name!r}: expected lower-case letters, digits, '_', '.' or '-' "
            "(starting with a letter or digit, at most 64 characters)"
        )
    return name


class Store:
    """A data store directory. Create with :func:`open_store`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._con: Any = None
        self._tables: dict[str, Any] = {}

    # --- paths ---------------------------------------------------------------------------
    @property
    def datasets_dir(self) -> Path:
        return self.root / DATASETS_SUBDIR

    def dataset_dir(self, name: str) -> Path:
        return self.datasets_dir / name

    def _imported(self) -> dict[str, tuple[DatasetInfo, Path, dict]]:
        out: dict[str, tuple[DatasetInfo, Path, dict]] = {}
        if not self.datasets_dir.is_dir():
            return out
        for sub in sorted(self.datasets_dir.iterdir()):
            info_file = sub / INFO_FILE
            if not info_file.is_file():
                continue
            raw = json.loads(info_file.read_text(encoding="utf-8"))
            meta = raw.pop("import", {})
            out[sub.name] = (DatasetInfo.from_dict(raw), sub / DATA_FILE, meta)
        return out

    def _bundled(self) -> dict[str, tuple[DatasetInfo, Path]]:
        return {info.name: (info, path) for info, path in list_bundled()}

    # --- catalogue -----------------------------------------------------------------------
    def datasets(self) -> list[DatasetInfo]:
        """Every dataset, bundled and imported, sorted by name."""
        infos = {name: info for name, (info, _p) in self._bundled().items()}
        infos.update({name: info for name, (info, _p, _m) in self._imported().items()})
        return [infos[k] for k in sorted(infos)]

    def info(self, name: str) -> DatasetInfo:
        """Provenance of dataset ``name``; :class:`NotFoundError` lists the known names."""
        return self._locate(name)[0]

    def import_meta(self, name: str) -> dict:
        """How an imported dataset was imported (format, options); empty for bundled ones."""
        imported = self._imported()
        return imported[name][2] if name in imported else {}

    def path(self, name: str) -> Path:
        """Parquet file of dataset ``name``."""
        return self._locate(name)[1]

    def is_bundled(self, name: str) -> bool:
        return name in self._bundled()

    def _locate(self, name: str) -> tuple[DatasetInfo, Path]:
        imported = self._imported()
        if name in imported:
            return imported[name][:2]
        bundled = self._bundled()
        if name in bundled:
            return bundled[name]
        known = sorted(set(imported) | set(bundled))
        from rapidfuzz import process

        close = [m for m, _s, _i in process.extract(name, known, limit=3, score_cutoff=60)]
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise NotFoundError(
            f"no dataset named {name!r} in store {self.root}{hint} "
            f"(known: {', '.join(known) or 'none'}; see `tradecoop data list`)"
        )

    # --- queries -------------------------------------------------------------------------
    @property
    def con(self) -> Any:
        """The Ibis DuckDB connection (created on first use)."""
        if self._con is None:
            import ibis

            self._con = ibis.duckdb.connect(
                memory_limit=DUCKDB_MEMORY_LIMIT, threads=DUCKDB_THREADS
            )
        return self._con

    def table(self, name: str) -> ir.Table:
        """The dataset's canonical table as an Ibis table expression (lazy)."""
        path = self.path(name)
        key = f"{name}:{path}:{path.stat().st_mtime_ns}"
        if key not in self._tables:
            view = "ds_" + re.sub(r"\W", "_", name)
            self._tables[key] = self.con.read_parquet(path, table_name=view)
        return self._tables[key]

    def frame(self, name: str, **filters: Any) -> pd.DataFrame:
        """``table(name)`` filtered by ``column=value`` (or ``column=[values]``), as pandas.

        Example: ``store.frame("baci_hs17", exporter="BLR", year=[2021, 2022])``.
        """
        table = self.table(name)
        for column, wanted in filters.items():
            if column not in table.columns:
                raise DataValidationError(
                    f"dataset {name!r} has no column {column!r}; columns: {', '.join(table.columns)}"
                )
            if isinstance(wanted, list | tuple | set | frozenset):
                table = table.filter(table[column].isin(list(wanted)))
            else:
                table = table.filter(table[column] == wanted)
        return table.execute()

    def location_product_values(self, name: str, years: Any = None) -> ir.Table:
        """Analysis input: ``year, location, product, value`` (USD) by exporter x product.

        ``world_exports`` -> exporter renamed to location; ``bilateral_flows`` and reporter-side
        ``reported_flows`` (exports only) -> summed over importers.
        """
        info = self.info(name)
        table = self.table(name)
        if info.table == REPORTED_FLOWS:
            table = table.filter(table[C.FLOW] == "X")
        elif info.table not in (C.WORLD_EXPORTS, C.BILATERAL_FLOWS):
            raise DataValidationError(
                f"dataset {name!r} is a {info.table} table; location x product values need "
                f"{C.WORLD_EXPORTS}, {C.BILATERAL_FLOWS} or {REPORTED_FLOWS}"
            )
        if years is not None:
            wanted = [int(years)] if isinstance(years, int) else [int(y) for y in years]
            table = table.filter(table[C.YEAR].isin(wanted))
        out = table.group_by(
            [table[C.YEAR], table[C.EXPORTER].name(C.LOCATION), table[C.PRODUCT]]
        ).aggregate(**{C.VALUE: table[C.VALUE_USD].sum()})
        return out.order_by([C.YEAR, C.LOCATION, C.PRODUCT])

    # --- writes --------------------------------------------------------------------------
    def new_staging_dir(self) -> Path:
        """A fresh staging directory inside the store (same file system, so the swap is a rename)."""
        path = self.root / STAGING_SUBDIR / uuid.uuid4().hex
        path.mkdir(parents=True)
        return path

    def cleanup_staging(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)
        parent = self.root / STAGING_SUBDIR
        if parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()

    def commit(self, name: str, staged: Path) -> None:
        """Move a staged dataset directory (data.parquet + info.json) into place atomically.

        A dataset of the same name is replaced: the old directory is renamed aside, the new one
        renamed in, then the old one deleted.
        """
        if self.is_bundled(name):
            raise ConflictError(f"{name!r} is a bundled dataset; import under another --name")
        self.datasets_dir.mkdir(parents=True, exist_ok=True)
        final = self.dataset_dir(name)
        old = None
        if final.exists():
            old = self.root / STAGING_SUBDIR / f"old-{uuid.uuid4().hex}"
            os.replace(final, old)
        os.replace(staged, final)
        self._tables.clear()
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def remove(self, name: str) -> DatasetInfo:
        """Delete an imported dataset (bundled ones cannot be removed)."""
        info = self.info(name)
        if info.bundled or self.is_bundled(name) and name not in self._imported():
            raise ConflictError(f"{name!r} is a bundled dataset and cannot be removed")
        trash = self.root / STAGING_SUBDIR / f"rm-{uuid.uuid4().hex}"
        trash.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.dataset_dir(name), trash)
        self.cleanup_staging(trash)
        self._tables.clear()
        return info


def open_store(path: Path | str | None = None) -> Store:
    """Open the store at ``path`` (None -> ``$TRADECOOP_STORE`` -> per-user data directory).

    Nothing is created until something is imported.
    """
    return Store(resolve_store_dir(path))
