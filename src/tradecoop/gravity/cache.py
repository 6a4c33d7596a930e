"""Keep what the gravity fits behind :func:`~tradecoop.gravity.potential.trade_potential` produce.

The fits run on the whole estimation sample and do not depend on the pair asked about (unless the
pair brings a country the sample lacks), so they are estimated once per data version and read
back for every later pair: from this process's memory, else from ``<store>/cache/gravity``.

An entry's name is a digest of everything its content follows from: the panel's content (the
bytes of the stored files it is built from, or the values of a panel handed in), the
specification (window years, countries, the module's covariates and indicators) and the code
(tradecoop, pyfixest, pandas and numpy versions and the gravity package's own source). A new
data version, spec or code gets new names; old entries are never read again (deleting the
folder is always safe).

Writes go to a temporary file in the same folder, renamed over the final name (atomic on one
file system), so concurrent writers of one entry (parallel test workers, web threads) leave
one whole file. A missing or read-only folder, or an unreadable entry, means "compute without
the cache", never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

#: bump when the layout of an entry changes
FORMAT = 1
#: entries kept in this process's memory (least recently used dropped first)
MEMORY_ENTRIES = 16
#: files kept in the folder (a fit is ~2 MB on the bundled panel); the least recently used
#: go first when a write passes this number
FOLDER_ENTRIES = 64
#: a temporary file older than this was left by a writer that died: removed
STALE_TMP_S = 3600.0
SUBDIR = "gravity"

_LOCK = threading.Lock()
_MEMORY: OrderedDict[str, Any] = OrderedDict()
_FILE_DIGESTS: dict[tuple[str, int, int], str] = {}
_CODE: list[str] = []


# --- names --------------------------------------------------------------------------------
def digest(*parts: Any) -> str:
    """A short hex name for ``parts`` (JSON-serialisable values)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def code_digest() -> str:
    """Versions of what computes the numbers, and this package's source (edits count too)."""
    if not _CODE:
        from importlib.metadata import PackageNotFoundError, version

        import pandas as pd

        import tradecoop

        try:
            pyfixest = version("pyfixest")
        except PackageNotFoundError:  # pragma: no cover - a dependency of the project
            pyfixest = "absent"
        h = hashlib.sha256()
        for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
        _CODE.append(digest(FORMAT, tradecoop.__version__, pyfixest, pd.__version__, np.__version__,
                            sys.version_info[:2], h.hexdigest()))
    return _CODE[0]


def file_digest(path: Path) -> str:
    """Digest of a file's bytes (remembered per path, size and modification time)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    found = _FILE_DIGESTS.get(key)
    if found is None:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        found = _FILE_DIGESTS[key] = h.hexdigest()
    return found


def frame_digest(frame: Any, columns: Iterable[str]) -> str:
    """Digest of the values, dtypes and row order of ``columns`` of a pandas frame."""
    import pandas as pd

    h = hashlib.sha256(str(len(frame)).encode())
    for column in columns:
        values = frame[column]
        h.update(f"|{column}:{values.dtype}|".encode())
        h.update(pd.util.hash_pandas_object(values, index=False).to_numpy().tobytes())
    return h.hexdigest()


# --- this process ------------------------------------------------------------------------
def recall(key: str) -> Any:
    with _LOCK:
        if key in _MEMORY:
            _MEMORY.move_to_end(key)
            return _MEMORY[key]
    return None


def remember(key: str, value: Any) -> None:
    with _LOCK:
        _MEMORY[key] = value
        _MEMORY.move_to_end(key)
        while len(_MEMORY) > MEMORY_ENTRIES:
            _MEMORY.popitem(last=False)


def clear_memory() -> None:
    """Forget the entries held in this process (the folder is left as it is)."""
    with _LOCK:
        _MEMORY.clear()


# --- the folder --------------------------------------------------------------------------
def folder() -> Path | None:
    """``<store>/cache/gravity``, created if need be; None when it cannot be written."""
    try:
        from tradecoop.data.paths import cache_dir

        path = cache_dir() / SUBDIR
        path.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError):
        return None
    return path if os.access(path, os.W_OK | os.X_OK) else None


def _existing(name: str) -> Path | None:
    """The entry's file, its modification time set to now (it marks use, for :func:`_prune`)."""
    try:
        from tradecoop.data.paths import cache_dir

        path = cache_dir() / SUBDIR / name
    except (OSError, ValueError):
        return None
    if not path.is_file():
        return None
    with contextlib.suppress(OSError):  # a read-only folder: still readable
        os.utime(path)
    return path


def _prune(where: Path, keep: str) -> None:
    """Drop the least recently used entries beyond :data:`FOLDER_ENTRIES` and dead writers'
    temporary files. A reader that loses an entry this way computes it again."""
    import time

    entries, now = [], time.time()
    try:
        for path in where.iterdir():
            st = path.stat()
            if path.name.startswith("."):
                if path.name.endswith(".tmp") and now - st.st_mtime > STALE_TMP_S:
                    path.unlink(missing_ok=True)
            elif path.name != keep:
                entries.append((st.st_mtime, path))
        entries.sort()
        for _mtime, path in entries[: max(0, len(entries) + 1 - FOLDER_ENTRIES)]:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def _write(name: str, write: Callable[[Any], None]) -> bool:
    """Write ``name`` atomically (temporary file in the folder, then rename); False if not written."""
    where = folder()
    if where is None:
        return False
    tmp = None
    try:
        with tempfile.NamedTemporaryFile("wb", dir=where, prefix=f".{name}.", suffix=".tmp",
                                         delete=False) as fh:
            tmp = fh.name
            write(fh)
        os.chmod(tmp, 0o644)  # as a plain write would leave it (temporary files are private)
        os.replace(tmp, where / name)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
    _prune(where, name)
    return True


def read_json(name: str) -> dict | None:
    """The JSON object stored as ``name``; None if absent or unreadable."""
    path = _existing(name)
    if path is None:
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def write_json(name: str, value: dict) -> bool:
    text = json.dumps(value, allow_nan=True).encode("utf-8")
    return _write(name, lambda fh: fh.write(text))


def read_arrays(name: str) -> dict[str, np.ndarray] | None:
    """The arrays stored as ``name`` (``.npz``, no pickled objects); None if absent or unreadable."""
    path = _existing(name)
    if path is None:
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):  # a damaged entry: a miss
        return None


def write_arrays(name: str, arrays: dict[str, np.ndarray]) -> bool:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    data = buffer.getvalue()
    return _write(name, lambda fh: fh.write(data))
