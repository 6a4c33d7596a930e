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
        stage.con.execute("DROP TABLE IF EXISTS fast")
        (stage.out_dir / "data.parquet").unlink(missing_ok=True)
        return False
    for message in messages:
        stage.warn(message)
    return True


def _load(stage: Stage, path: Path) -> None:
    """Table ``fast``: one file's rows, typed while DuckDB parses them."""
    csv = stage.csv_file(path)
    cols = stage.match_columns(path, list(csv.columns), _COLUMNS, {"q": ("q",)})
    types = {cols["t"]: "INTEGER", cols["i"]: "INTEGER", cols["j"]: "INTEGER",
             cols["v"]: "DOUBLE"}
    qv = q(cols["q"]) if "q" in cols else "CAST(NULL AS VARCHAR)"
    k = f"trim({q(cols['k'])})"
    # k as a number (-1: not 1-6 digits, which lpad(k, 6, '0') makes an HS6 code);
    # q as a number (NULL: empty or NA; -1: text that is not a number)
    stage.con.execute(
        f"CREATE OR REPLACE TABLE fast AS SELECT {q(cols['t'])} AS t, {q(cols['i'])} AS i, "
        f"{q(cols['j'])} AS j, CASE WHEN regexp_full_match({k}, '[0-9]{{1,6}}') "
        f"THEN CAST({k} AS INTEGER) ELSE -1 END AS k, {q(cols['v'])} AS v, "
        f"coalesce(TRY_CAST({qv} AS DOUBLE), CASE WHEN {qv} IS NULL "
        f"OR trim({qv}) IN ('', 'NA') THEN NULL ELSE -1.0 END) AS q "
        f"FROM {csv.reader_sql(types)}")
    stage.advance(1)


def _build(stage: Stage, data: list[Path], country: dict[str, str | None], codes: set[str],
           vintage: str, source: str) -> list[str] | None:
    """The warnings to give, or None when the text path must run.

    One file (one year in CEPII's releases) at a time: memory is bounded by the largest file,
    not by the whole release.
    """
    # one index per ISO code, in the order of its smallest numeric code (so that a file sorted
    # by code, as CEPII's are, gives sorted keys in the writer)
    first: dict[str, int] = {}
    for code, iso in sorted(((int(c), iso) for c, iso in country.items()
                             if iso and c.isdigit()), reverse=True):
        first[iso] = code
    isos = sorted(first, key=first.__getitem__) + sorted(
        {iso for iso in country.values() if iso} - set(first))
    if len(isos) >= 1000:
        return None  # the duplicate-key check packs exporter and importer in three digits each
    index = {iso: n for n, iso in enumerate(isos)}
    products = sorted(int(c) for c in codes if len(c) == 6 and c.isdigit())
    luts = {"k": _lookup(products, range(len(products)), 999_999)}
    dropped: dict[str, dict[int, int]] = {"i": {}, "j": {}}  # code -> rows
    years: set[int] = set()
    con = stage.con
    with _Writer(stage, isos, [f"{k:06d}" for k in products], vintage, source) as writer:
        for path in data:
            _load(stage, path)
            bad = con.execute(
                "SELECT count_if(t IS NULL OR t < 0 OR t > 9999) + count_if(i IS NULL OR i < 0) "
                "+ count_if(j IS NULL OR j < 0) + count_if(v IS NULL OR v < 0 OR NOT isfinite(v))"
                " + count_if(q < 0 OR NOT isfinite(q)) + count_if(k IS NULL OR k < 0) FROM fast"
            ).fetchone()[0]
            if bad:
                return None
            if any(luts["k"][r[0]] < 0 for r in con.execute("SELECT DISTINCT k FROM fast").fetchall()):
                return None  # not a product code of the vintage (or of the product file)
            file_years = {r[0] for r in con.execute("SELECT DISTINCT t FROM fast").fetchall()}
            if file_years & years:
                return None  # a year in two files: keys must be compared across files
            years |= file_years
            for side in ("i", "j"):
                values = [r[0] for r in con.execute(f"SELECT DISTINCT {side} FROM fast").fetchall()]
                if any(str(v) not in country for v in values) or max(values) > _MAX_CODE:
                    return None  # an unknown code
                keep = [v for v in values if country[str(v)]]
                luts[side] = _lookup(keep, [index[country[str(v)]] for v in keep], max(values))
                gone = [v for v in values if not country[str(v)]]
                if gone:
                    for code, n in con.execute(
                            f"SELECT {side}, count(*) FROM fast WHERE {side} IN "
                            f"({', '.join(map(str, gone))}) GROUP BY 1").fetchall():
                        dropped[side][code] = dropped[side].get(code, 0) + n
            if not writer.write(luts):
                return None  # a duplicate key
            con.execute("DROP TABLE fast")
        writer.done = True
    stage.advance(1)
    messages = []
    for side, what in (("i", "exporter code"), ("j", "importer code")):
        if dropped[side]:
            listed = sorted(map(str, dropped[side]))
            messages.append(f"dropped {sum(dropped[side].values())} rows whose {what} is an "
                            f"aggregate or special code ({len(listed)} codes: "
                            f"{', '.join(listed[:10])})")
    return messages


def _lookup(codes, indices, largest: int):
    """A numpy array mapping code -> index (-1: dropped or absent)."""
    import numpy as np

    lut = np.full(largest + 1, -1, np.int32)
    lut[np.asarray(list(codes), np.int64)] = np.asarray(list(indices), np.int32)
    return lut


class _Writer:
    """``data.parquet`` written with pyarrow, string columns as dictionaries built once.

    DuckDB's ``COPY`` hashes every string of every row into its dictionaries (four string
    columns of 5 million rows: about half the import's CPU time); here each row carries small
    integer indices into dictionaries known in advance (every ISO code of the country file,
    every product code). The file has the same columns and types as the text path's
    (``store_schema=False``: readers see plain strings). Unless :attr:`done` is set when the
    block ends, the file is deleted.

    The key of each row is packed in one int64 on the way (ISO codes of one country count as
    one); CEPII's files are sorted, so the keys usually increase strictly and prove themselves
    unique without a sort; otherwise they are sorted with numpy (a fraction of the memory of a
    hash aggregate).
    """

    def __init__(self, stage: Stage, isos: list[str], products: list[str], vintage: str,
                 source: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        text = pa.string()
        self.schema = pa.schema([
            (C.YEAR, pa.int32()), (C.EXPORTER, pa.dictionary(pa.int32(), text)),
            (C.IMPORTER, pa.dictionary(pa.int32(), text)),
            (C.PRODUCT, pa.dictionary(pa.int32(), text)),
            (C.HS_VINTAGE, pa.dictionary(pa.int8(), text)), (C.VALUE_USD, pa.float64()),
            (C.QUANTITY, pa.float64()), (C.SOURCE, pa.dictionary(pa.int8(), text)),
            (C.ESTIMATED, pa.bool_()),
        ])
        self.dicts = {"iso": pa.array(isos, text), "product": pa.array(products, text),
                      "vintage": pa.array([vintage], text), "source": pa.array([source], text)}
        self.stage = stage
        self.target = stage.out_dir / "data.parquet"
        self.writer = pq.ParquetWriter(
            self.target, self.schema, compression="zstd", store_schema=False,
            use_dictionary=[C.EXPORTER, C.IMPORTER, C.PRODUCT, C.HS_VINTAGE, C.SOURCE])
        self.done = False

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.writer.close()
        if not self.done:
            self.target.unlink(missing_ok=True)

    def write(self, luts: dict) -> bool:
        """Append table ``fast``; False if two of its rows share a key."""
        import numpy as np
        import pyarrow as pa

        d = self.dicts
        keys = []
        reader = self.stage.con.sql(
            f"SELECT t, i, j, k, v * {_VALUE_UNIT_USD} AS v, q FROM fast"
        ).to_arrow_reader(_BATCH_ROWS)
        for batch in reader:  # codes -> dictionary indices by array lookups (no joins)
            e = luts["i"][batch["i"].to_numpy()]
            m = luts["j"][batch["j"].to_numpy()]
            k = batch["k"].to_numpy()
            t, v, qty = batch["t"], batch["v"], batch["q"]
            keep = (e >= 0) & (m >= 0)  # rows of codes without an ISO code are dropped
            if not keep.all():
                e, m, k = e[keep], m[keep], k[keep]
                mask = pa.array(keep)
                t, v, qty = t.filter(mask), v.filter(mask), qty.filter(mask)
            keys.append(((t.to_numpy().astype(np.int64) * 1000 + e) * 1000 + m) * 1_000_000 + k)
            n = len(e)
            zeros = pa.array(np.zeros(n, np.int8))
            self.writer.write_batch(pa.record_batch([
                t, pa.DictionaryArray.from_arrays(pa.array(e), d["iso"]),
                pa.DictionaryArray.from_arrays(pa.array(m), d["iso"]),
                pa.DictionaryArray.from_arrays(pa.array(luts["k"][k]), d["product"]),
                pa.DictionaryArray.from_arrays(zeros, d["vintage"]), v, qty,
                pa.DictionaryArray.from_arrays(zeros, d["source"]),
                pa.array(np.zeros(n, np.bool_)),
            ], schema=self.schema))
        return not _has_duplicate(keys)


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
