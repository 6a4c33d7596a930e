"""The local data store: Parquet files + JSON provenance records, queried with Ibis on DuckDB.

Layout of a store directory (``--store DIR`` > ``$TRADECOOP_STORE`` > per-user data dir)::

    DIR/datasets/<name>/data.parquet   the canonical table (columns from tradecoop.columns)
    DIR/datasets/<name>/info.json      DatasetInfo (provenance) + how it was imported
    DIR/.staging/<uuid>/               one import in progress (removed when it finishes or fails;
                                       left by a killed process: removed by the next import)

Bundled datasets (``tradecoop.data.bundled``) are listed and readable without any import.
Relational work goes through Ibis expressions on an in-process DuckDB connection, so the same
expressions can run on another Ibis backend (e.g. Spark) later.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradecoop import columns as C
from tradecoop.data.bundled import list_bundled
from tradecoop.data.paths import resolve_store_dir
from tradecoop.data.provenance import DatasetInfo
from tradecoop.errors import (
    ConflictError,
    DataValidationError,
    Interrupted,
    NotFoundError,
    StoreError,
)

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
LOCK_FILE = ".lock"
_NEW_PREFIX = "new-"  # a staging directory being created (its lock not yet taken)
_NEW_GRACE_S = 60.0
_OLD_DIR = "old"  # inside a staging directory: the dataset version a commit replaces
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,63}$")
#: DuckDB settings: bounded memory (spills to disk beyond it) and a few threads.
#: dataset reads and results derived from datasets kept per process (see :meth:`Store.derived`);
#: bundled tables are a few MB each
READ_CACHE_ENTRIES = 32
_READS: dict[tuple, Any] = {}
_READS_LOCK = threading.Lock()



def duckdb_settings() -> dict[str, Any]:
    """DuckDB's ``memory_limit`` and ``threads``, read from the environment when a connection is
    made (``TRADECOOP_DUCKDB_MEMORY``, default 4GB; ``TRADECOOP_DUCKDB_THREADS``, default min(4, CPUs))."""
    return {"memory_limit": os.environ.get("TRADECOOP_DUCKDB_MEMORY", "4GB"),
            "threads": int(os.environ.get("TRADECOOP_DUCKDB_THREADS", str(min(4, os.cpu_count() or 1))))}


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

            self._con = ibis.duckdb.connect(**duckdb_settings())
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

    def read(self, name: str) -> pd.DataFrame:
        """The whole dataset ``name`` as pandas: ``table(name).execute()``, read once per process.

        A dataset file never changes in place (an import writes a new file and renames it), so
        the frame is kept while the file's path, size and modification time are unchanged; every
        call gets its own copy, which the caller may change.
        """
        return self.derived(("table",), (name,), lambda: _read_parquet(self.path(name))).copy()

    def read_location_product_values(self, name: str) -> pd.DataFrame:
        """``location_product_values(name).execute()`` for every year, read once per process.

        A ``world_exports`` table (one row per year, exporter and product: the bundled ones) is
        read whole and renamed; other tables are aggregated by DuckDB.
        """
        def compute() -> pd.DataFrame:
            if self.info(name).table != C.WORLD_EXPORTS:
                return self.location_product_values(name).execute()
            frame = _read_parquet(self.path(name))  # not kept: only the aggregated form is
            keys = [C.YEAR, C.EXPORTER, C.PRODUCT]
            if frame.duplicated(keys).any():  # not the canonical shape: let DuckDB sum them
                return self.location_product_values(name).execute()
            out = frame[keys + [C.VALUE_USD]].rename(columns={C.EXPORTER: C.LOCATION, C.VALUE_USD: C.VALUE})
            return out.sort_values([C.YEAR, C.LOCATION, C.PRODUCT], kind="stable").reset_index(drop=True)

        return self.derived(("lpv",), (name,), compute).copy()

    def derived(self, key: tuple, names: tuple[str, ...], compute: Any) -> Any:
        """``compute()``, a result that depends only on datasets ``names`` and ``key``, computed
        once per process while those files are unchanged (at most :data:`READ_CACHE_ENTRIES`
        results are kept, the oldest dropped first).

        The result is shared: treat it as read-only (:meth:`read` hands out copies).
        """
        files = []
        for name in names:
            path = self.path(name)
            stat = path.stat()
            files.append((str(path.resolve()), stat.st_size, stat.st_mtime_ns))
        full = (*key, *files)
        with _READS_LOCK:
            if full in _READS:
                return _READS[full]
        result = compute()
        with _READS_LOCK:
            _READS[full] = result
            while len(_READS) > READ_CACHE_ENTRIES:
                _READS.pop(next(iter(_READS)))  # the oldest first
        return result

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
    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A private staging directory inside the store, removed on every exit path.

        It lives in ``.staging/<uuid>`` (same file system as the datasets, so the swap is a
        rename) and holds an exclusive ``flock`` on ``.staging/<uuid>/.lock`` for its lifetime:
        a directory whose lock can be taken belongs to a process that died (SIGKILL, power
        loss) and is removed by :meth:`clean_stale_staging`, which runs first. Only what this
        import creates is ever deleted: the store and ``.staging`` directories are removed
        afterwards only if this call created them and they are empty.
        """
        created = self._make_dirs()
        path: Path | None = None
        lock = None
        try:
            self.clean_stale_staging()
            path, lock = self._new_staging()
            yield path
        finally:
            if path is not None:
                shutil.rmtree(path, ignore_errors=True)
            if lock is not None:
                lock.close()
            for directory in reversed(created):  # innermost first; never a non-empty one
                with contextlib.suppress(OSError):
                    directory.rmdir()

    def _make_dirs(self) -> list[Path]:
        """Create the store root and ``.staging`` as needed; returns the ones created here."""
        missing = [p for p in (*reversed(self.root.parents), self.root, self.staging_dir)
                   if not p.exists()]
        created = []
        with store_errors(self.root, "create"):
            for directory in missing:
                try:
                    directory.mkdir()
                except FileExistsError:
                    continue
                created.append(directory)
        return created

    @property
    def staging_dir(self) -> Path:
        return self.root / STAGING_SUBDIR

    def _new_staging(self) -> tuple[Path, Any]:
        """Create ``.staging/<uuid>`` with its lock held (made under a temporary name, then
        renamed, so no other process ever sees it unlocked)."""
        key = uuid.uuid4().hex
        tmp = self.staging_dir / f"{_NEW_PREFIX}{key}"
        with store_errors(self.root, "write to"):
            try:
                tmp.mkdir()
            except FileNotFoundError:  # another import just removed the empty .staging
                self.staging_dir.mkdir(parents=True, exist_ok=True)
                tmp.mkdir()
            lock = (tmp / LOCK_FILE).open("w")
        try:
            if not _try_lock(lock):  # pragma: no cover - a fresh file cannot be locked by others
                raise ConflictError(f"cannot lock the staging directory {tmp}")
            final = self.staging_dir / key
            os.replace(tmp, final)
        except BaseException:
            lock.close()
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return final, lock

    def clean_stale_staging(self) -> list[str]:
        """Remove staging directories left by killed imports; returns their names.

        A directory is stale when its lock can be taken (its process is gone). If a killed
        import had already moved the previous version of a dataset aside (``old/``) but not yet
        moved the new one in, the previous version is put back first.
        """
        removed: list[str] = []
        if not self.staging_dir.is_dir():
            return removed
        for entry in sorted(self.staging_dir.iterdir()):
            if entry.name.startswith(_NEW_PREFIX):
                # being created (the lock is taken within microseconds) or left by a kill then
                try:
                    young = time.time() - entry.stat().st_mtime < _NEW_GRACE_S
                except FileNotFoundError:
                    continue
                if young:
                    continue
            lock_path = entry / LOCK_FILE
            lock = None
            if entry.is_dir() and lock_path.exists():
                try:
                    lock = lock_path.open("a")
                except OSError:
                    continue
                if not _try_lock(lock):
                    lock.close()
                    continue  # a live import
            try:
                self._recover_old(entry)
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
                removed.append(entry.name)
            finally:
                if lock is not None:
                    lock.close()
        return removed

    def _recover_old(self, staging: Path) -> None:
        """Put back a dataset that a killed commit had moved aside but not yet replaced
        (``<uuid>/old``; earlier versions moved it to ``.staging/old-<uuid>``)."""
        old = staging if staging.name.startswith("old-") else staging / _OLD_DIR
        info_file = old / INFO_FILE
        if not info_file.is_file():
            return
        try:
            name = json.loads(info_file.read_text(encoding="utf-8"))["name"]
            check_name(name)
        except (ValueError, KeyError, TypeError, DataValidationError):
            return
        final = self.dataset_dir(name)
        if not final.exists():
            self.datasets_dir.mkdir(parents=True, exist_ok=True)
            os.replace(old, final)

    def commit(self, name: str, staged: Path) -> None:
        """Move a staged dataset directory (data.parquet + info.json) into place atomically.

        ``staged`` is a directory inside a :meth:`staging` directory. A dataset of the same
        name is replaced: the old directory is renamed into the staging directory (removed
        with it), then the new one renamed in. SIGINT/SIGTERM are held back during the two
        renames, and a failure of the second puts the old directory back.
        """
        if self.is_bundled(name):
            raise ConflictError(f"{name!r} is a bundled dataset; import under another `name`")
        with store_errors(self.root, "write to"):
            self.datasets_dir.mkdir(parents=True, exist_ok=True)
        final = self.dataset_dir(name)
        old = staged.parent / _OLD_DIR
        try:
            with deferred_signals(), store_errors(self.root, "write to"):
                moved = False
                if final.exists():
                    os.replace(final, old)
                    moved = True
                try:
                    os.replace(staged, final)
                except BaseException:
                    if moved:
                        os.replace(old, final)
                    raise
        except KeyboardInterrupt:  # delivered after the renames: the dataset is in place
            raise Interrupted(f"dataset {name!r} was saved before the signal took effect") from None
        finally:
            self._tables.clear()

    def remove(self, name: str) -> DatasetInfo:
        """Delete an imported dataset (bundled ones cannot be removed)."""
        info = self.info(name)
        if name not in self._imported():
            raise ConflictError(f"{name!r} is a bundled dataset and cannot be removed")
        with self.staging() as trash, deferred_signals(), store_errors(self.root, "write to"):
            os.replace(self.dataset_dir(name), trash / "removed")
        self._tables.clear()
        return info


def _try_lock(fh: Any) -> bool:
    """Take an exclusive non-blocking ``flock`` on an open file; False if another holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no liveness check, nothing is stale
        return False
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def store_errors(root: Path, verb: str) -> Iterator[None]:
    """Turn a permission or read-only file system error into one clear :class:`StoreError`."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT):
            raise
        reason = {errno.EROFS: "read-only file system", errno.ENOSPC: "no space left on device",
                  errno.EDQUOT: "disk quota exceeded"}.get(exc.errno, "permission denied")
        raise StoreError(
            f"cannot {verb} the data store {root}: {reason}"
            f"{f' ({exc.filename})' if exc.filename and str(exc.filename) != str(root) else ''}; "
            "choose a writable store with --store DIR or TRADECOOP_STORE"
        ) from None


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back until the block ends (main thread only), then deliver them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[sig] = signal.signal(sig, lambda signum, _frame: received.append(signum))
        except (ValueError, OSError):  # pragma: no cover
            continue
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in received[:1]:
            signal.raise_signal(signum)


def _read_parquet(path: Path) -> pd.DataFrame:
    """A whole Parquet file as pandas with the column types a DuckDB query gives: nullable
    integer columns holding nulls become float64 with NaN (no Ibis or DuckDB start-up for a read
    of a whole small table)."""
    import pandas as pd

    frame = pd.read_parquet(path)
    for column, dtype in frame.dtypes.items():
        if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iu":
            holds_na = bool(frame[column].isna().any())
            frame[column] = frame[column].astype("float64" if holds_na else dtype.numpy_dtype)
    return frame


def open_store(path: Path | str | None = None) -> Store:
    """Open the store at ``path`` (None -> ``$TRADECOOP_STORE`` -> per-user data directory).

    Nothing is created until something is imported.
    """
    return Store(resolve_store_dir(path))
