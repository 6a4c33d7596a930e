"""BACI in one typed pass: the common case (a clean CEPII file) at ``pandas.read_csv`` speed.

The text path of :mod:`.baci` loads every column as text and runs one SQL check after another,
each a full scan of strings, so that the first bad row can be named with its line. A clean file
does not need that. Here the columns are typed while DuckDB parses them (``t``, ``i``, ``j`` as
INTEGER, ``v`` as DOUBLE), every check of the text path runs as one aggregate over the typed
table, codes are mapped from their distinct values, and the duplicate-key check groups one
BIGINT per row. Nothing is reported from here: on the first sign of trouble (a value that does
not convert, a failed check, an unknown code, a duplicate key, a ragged row) :func:`build_fast`
returns False, leaves the stage as it found it, and the text path runs on the same files and
reports the problem with its file, line and column. It accepts only files the text path accepts
and writes the same table (tested against it).
"""

from __future__ import annotations

from pathlib import Path

from tradecoop import columns as C
from tradecoop.data.sources._read import is_parquet
from tradecoop.data.sources._stage import Stage, q

_TABLES = ("fast",)
#: largest numeric country code handled here (BACI's have three digits)
_MAX_CODE = 1_000_000
#: rows per Arrow batch written (bounds the writer's memory)
_BATCH_ROWS = 1 << 17
_COLUMNS = {"t": ("t",), "i": ("i",), "j": ("j",), "k": ("k",), "v": ("v",)}
#: BACI ``v`` is in thousand USD (as in :mod:`.baci`)
_VALUE_UNIT_USD = 1000.0


def build_fast(stage: Stage, data: list[Path], country: dict[str, str | None], codes: set[str],
               vintage: str, source: str) -> bool:
    """Write the ``bilateral_flows`` table of clean BACI CSV files; False if anything is off."""
    import duckdb

    if any(is_parquet(p) for p in data):
        return False
    try:
        messages = _build(stage, data, country, codes, vintage, source)
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except duckdb.Error:  # a value that does not convert, a ragged row: the text path says which
        messages = None
    if messages is None:
        for table in _TABLES:
            stage.con.execute(f"DROP TABLE IF EXISTS {table}")
        (stage.out_dir / "data.parquet").unlink(missing_ok=True)
        return False
    for message in messages:
        stage.warn(message)
    return True


def _load(stage: Stage, data: list[Path]) -> None:
    for n, path in enumerate(data):
        csv = stage.csv_file(path)
        cols = stage.match_columns(path, list(csv.columns), _COLUMNS, {"q": ("q",)})
        types = {cols["t"]: "INTEGER", cols["i"]: "INTEGER", cols["j"]: "INTEGER",
                 cols["v"]: "DOUBLE"}
        qv = q(cols["q"]) if "q" in cols else "CAST(NULL AS VARCHAR)"
        k = f"trim({q(cols['k'])})"
        # k as a number (-1: not 1-6 digits, which lpad(k, 6, '0') makes an HS6 code);
        # q as a number (NULL: empty or NA; -1: text that is not a number)
        select = (f"SELECT {q(cols['t'])} AS t, {q(cols['i'])} AS i, {q(cols['j'])} AS j, "
                  f"CASE WHEN regexp_full_match({k}, '[0-9]{{1,6}}') THEN CAST({k} AS INTEGER) "
                  f"ELSE -1 END AS k, {q(cols['v'])} AS v, "
                  f"coalesce(TRY_CAST({qv} AS DOUBLE), CASE WHEN {qv} IS NULL "
                  f"OR trim({qv}) IN ('', 'NA') THEN NULL ELSE -1.0 END) AS q "
                  f"FROM {csv.reader_sql(types)}")
        stage.con.execute(f"INSERT INTO fast {select}" if n else f"CREATE TABLE fast AS {select}")
        stage.advance(1)


def _build(stage: Stage, data: list[Path], country: dict[str, str | None], codes: set[str],
           vintage: str, source: str) -> list[str] | None:
    """The warnings to give, or None when the text path must run."""
    _load(stage, data)
    con = stage.con
    bad = con.execute(
        "SELECT count_if(t IS NULL OR t < 0 OR t > 9999) + count_if(i IS NULL OR i < 0) "
        "+ count_if(j IS NULL OR j < 0) + count_if(v IS NULL OR v < 0 OR NOT isfinite(v)) "
        "+ count_if(q < 0 OR NOT isfinite(q)) + count_if(k IS NULL OR k < 0) FROM fast"
    ).fetchone()[0]
    if bad:
        return None
    products = sorted(r[0] for r in con.execute("SELECT DISTINCT k FROM fast").fetchall())
    if any(f"{k:06d}" not in codes for k in products):
        return None
    luts = {"k": _lookup(products, range(len(products)))}
    # one index per ISO code, in the order of its smallest numeric code (so that a file sorted
    # by code, as CEPII's are, gives sorted keys below)
    first: dict[str, int] = {}
    for code, iso in sorted(((int(c), iso) for c, iso in country.items()
                             if iso and c.isdigit()), reverse=True):
        first[iso] = code
    isos = sorted(first, key=first.__getitem__) + sorted(
        {iso for iso in country.values() if iso} - set(first))
    index = {iso: n for n, iso in enumerate(isos)}
    messages = []
    for side, what in (("i", "exporter code"), ("j", "importer code")):
        values = [r[0] for r in con.execute(f"SELECT DISTINCT {side} FROM fast").fetchall()]
        if any(str(v) not in country for v in values) or max(values) > _MAX_CODE:
            return None  # unknown code
        keep = [v for v in values if country[str(v)]]
        luts[side] = _lookup(keep, [index[country[str(v)]] for v in keep], max(values))
        dropped = sorted(str(v) for v in values if not country[str(v)])
        if dropped:
            n = con.execute(f"SELECT count(*) FROM fast WHERE {side} IN "
                            f"({', '.join(dropped)})").fetchone()[0]
            messages.append(f"dropped {n} rows whose {what} is an aggregate or special code "
                            f"({len(dropped)} codes: {', '.join(dropped[:10])})")
    if len(isos) >= 1000:
        return None  # the duplicate-key check packs exporter and importer in three digits each
    if not _write(stage, luts, isos, [f"{k:06d}" for k in products], vintage, source):
        return None  # a duplicate key
    return messages


def _lookup(codes, indices, largest: int | None = None):
    """A numpy array mapping code -> index (-1: dropped or absent)."""
    import numpy as np

    codes = list(codes)
    lut = np.full((largest if largest is not None else max(codes)) + 1, -1, np.int32)
    lut[np.asarray(codes, np.int64)] = np.asarray(list(indices), np.int32)
    return lut


def _write(stage: Stage, luts: dict, isos: list[str], products: list[str], vintage: str,
           source: str) -> bool:
    """Write ``data.parquet`` with pyarrow, string columns as dictionaries built once; False
    (nothing kept) if two rows share a key (year, exporter, importer, product) after mapping.

    DuckDB's ``COPY`` hashes every string of every row into its dictionaries (four string
    columns of 5 million rows: about half the import's CPU time); here each row carries small
    integer indices into dictionaries known in advance. The file has the same columns and
    types as the text path's (``store_schema=False``: readers see plain strings).

    The key of each row is packed in one int64 on the way (ISO codes of one country count as
    one); CEPII's files are sorted, so the keys usually increase strictly and prove themselves
    unique without a sort; otherwise they are sorted with numpy (a fraction of the memory of a
    hash aggregate).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = pa.string()
    schema = pa.schema([
        (C.YEAR, pa.int32()), (C.EXPORTER, pa.dictionary(pa.int32(), text)),
        (C.IMPORTER, pa.dictionary(pa.int32(), text)), (C.PRODUCT, pa.dictionary(pa.int32(), text)),
        (C.HS_VINTAGE, pa.dictionary(pa.int8(), text)), (C.VALUE_USD, pa.float64()),
        (C.QUANTITY, pa.float64()), (C.SOURCE, pa.dictionary(pa.int8(), text)),
        (C.ESTIMATED, pa.bool_()),
    ])
    iso_dict, product_dict = pa.array(isos, text), pa.array(products, text)
    vintage_dict, source_dict = pa.array([vintage], text), pa.array([source], text)
    reader = stage.con.sql(
        f"SELECT t, i, j, k, v * {_VALUE_UNIT_USD} AS v, q FROM fast").to_arrow_reader(_BATCH_ROWS)
    target = stage.out_dir / "data.parquet"
    keys: list = []
    with pq.ParquetWriter(target, schema, compression="zstd", store_schema=False,
                          use_dictionary=[C.EXPORTER, C.IMPORTER, C.PRODUCT, C.HS_VINTAGE,
                                          C.SOURCE]) as writer:
        for batch in reader:  # codes -> dictionary indices by array lookups (no joins)
            e = luts["i"][batch["i"].to_numpy()]
            m = luts["j"][batch["j"].to_numpy()]
            p = luts["k"][batch["k"].to_numpy()]
            t, v, qty = batch["t"], batch["v"], batch["q"]
            keep = (e >= 0) & (m >= 0)  # rows of codes without an ISO code are dropped
            if not keep.all():
                e, m, p = e[keep], m[keep], p[keep]
                mask = pa.array(keep)
                t, v, qty = t.filter(mask), v.filter(mask), qty.filter(mask)
            keys.append(((t.to_numpy().astype(np.int64) * 1000 + e) * 1000 + m) * 1_000_000
                        + batch["k"].to_numpy()[keep])
            n = len(e)
            zeros = pa.array(np.zeros(n, np.int8))
            writer.write_batch(pa.record_batch([
                t, pa.DictionaryArray.from_arrays(pa.array(e), iso_dict),
                pa.DictionaryArray.from_arrays(pa.array(m), iso_dict),
                pa.DictionaryArray.from_arrays(pa.array(p), product_dict),
                pa.DictionaryArray.from_arrays(zeros, vintage_dict), v, qty,
                pa.DictionaryArray.from_arrays(zeros, source_dict),
                pa.array(np.zeros(n, np.bool_)),
            ], schema=schema))
    if _has_duplicate(keys):
        target.unlink()
        return False
    stage.advance(1)
    return True


def _has_duplicate(chunks: list) -> bool:
    """Whether two of the packed keys (a list of int64 arrays, in row order) are equal."""
    import numpy as np

    chunks = [c for c in chunks if len(c)]
    increasing = all(bool(np.all(c[1:] > c[:-1])) for c in chunks) and all(
        a[-1] < b[0] for a, b in zip(chunks, chunks[1:], strict=False))
    if increasing:
        return False
    keys = np.concatenate(chunks)
    keys.sort()
    return bool(np.any(keys[1:] == keys[:-1]))
