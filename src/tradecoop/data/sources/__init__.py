"""Importers of trade data files into the store: ``baci``, ``comtrade``, ``fcs-region``, ``csv``.

All formats share one mechanism (:mod:`tradecoop.data.sources._stage`): stage with DuckDB,
validate with SQL, then swap atomically into the store. Use :func:`import_files`. Zip archives
(CEPII ships BACI as one) are read as the data files they contain (:mod:`._read`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tradecoop.errors import DataValidationError

FORMATS = ("baci", "comtrade", "fcs-region", "csv")


def _module(fmt: str) -> Any:
    import importlib

    modules = {"baci": "baci", "comtrade": "comtrade", "fcs-region": "fcs_region",
               "csv": "csv_mapped"}
    if fmt not in modules:
        raise DataValidationError(f"unknown import format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return importlib.import_module(f"tradecoop.data.sources.{modules[fmt]}")


def default_name(fmt: str, files: list[Path]) -> str:
    """A dataset name derived from the files (``baci_hs17_v202401``, or the first file's stem)."""
    module = _module(fmt)
    if hasattr(module, "default_name"):
        return module.default_name(files)
    stem = re.sub(r"[^a-z0-9_.\-]+", "_", files[0].stem.lower()).strip("_.-") or fmt
    return stem[:64]


def import_files(fmt: str, files: list[Path | str], *, store: Any = None, name: str | None = None,
                 progress: bool = False, encoding: str | None = None, **options: Any) -> Any:
    """Import ``files`` of format ``fmt`` into ``store`` as dataset ``name``.

    Parameters
    ----------
    fmt : ``'baci'``, ``'comtrade'``, ``'fcs-region'`` or ``'csv'``
    files : input files (for BACI also its ``country_codes``/``product_codes`` files)
    store : a :class:`~tradecoop.data.store.Store` or a directory (None: the default store)
    name : dataset name (default: derived from the file names)
    progress : show a Rich progress bar on stderr
    encoding : text encoding of CSV files (default UTF-8; e.g. ``cp1251``); other encodings
        are transcoded to UTF-8 in the staging directory
    **options : format options (csv: ``mapping``, ``unit``, ``hs_vintage``, ``source``;
        baci/comtrade/fcs-region: ``hs_vintage``)

    Returns
    -------
    ImportOutcome
        ``info`` (the stored DatasetInfo) and ``status`` (``imported``, ``replaced`` or
        ``unchanged`` when the same files were already imported with the same options).
    """
    from tradecoop.data.sources._stage import run_import
    from tradecoop.data.store import Store, open_store

    module = _module(fmt)
    paths = [Path(f) for f in files]
    if hasattr(module, "expand_files"):
        paths = module.expand_files(paths)
    store = store if isinstance(store, Store) else open_store(store)
    name = name or default_name(fmt, paths)
    options = {k: v for k, v in options.items() if v is not None}
    return run_import(fmt, paths, lambda stage: module.build(stage, stage.expand(paths), **options),
                      store=store, name=name, options=options, progress=progress,
                      encoding=encoding)
