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
from tradecoop.data.sources._stage import Stage, lit, q

_TABLES = ("fast", "fast_map_i", "fast_map_j")
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
        k = f"lpad(trim({q(cols['k'])}), 6, '0')"
        # k as a number (-1: not six digits), q as a number (-1: text that is not one)
        select = (f"SELECT {q(cols['t'])} AS t, {q(cols['i'])} AS i, {q(cols['j'])} AS j, "
                  f"CASE WHEN regexp_full_match({k}, '[0-9]{{6}}') THEN CAST({k} AS INTEGER) "
                  f"ELSE -1 END AS k, {q(cols['v'])} AS v, "
                  f"CASE WHEN {qv} IS NOT NULL AND trim({qv}) NOT IN ('', 'NA') "
                  f"AND TRY_CAST(trim({qv}) AS DOUBLE) IS NULL THEN -1.0 "
                  f"ELSE TRY_CAST({qv} AS DOUBLE) END AS q "
                  f"FROM {csv.reader_sql(types)}")
        stage.con.execute(f"INSERT INTO fast {select}" if n else f"CREATE TABLE fast AS {select}")
        stage.advance(1)


def _build(stage: Stage, data: list[Path], country: dict[str, str | None], codes: set[str],
           vintage: str, source: str) -> list[str] | None:
    """The warnings to give, or None when the text path must run."""
    import pyarrow as pa

    _load(stage, data)
    con = stage.con
    bad = con.execute(
        "SELECT count_if(t IS NULL OR t < 0 OR t > 9999) + count_if(i IS NULL OR i < 0) "
        "+ count_if(j IS NULL OR j < 0) + count_if(v IS NULL OR v < 0 OR NOT isfinite(v)) "
        "+ count_if(q < 0 OR NOT isfinite(q)) + count_if(k IS NULL OR k < 0) FROM fast"
    ).fetchone()[0]
    if bad:
        return None
    if any(f"{r[0]:06d}" not in codes
           for r in con.execute("SELECT DISTINCT k FROM fast").fetchall()):
        return None
    isos = sorted({iso for iso in country.values() if iso})
    index = {iso: n for n, iso in enumerate(isos)}
    messages = []
    for side, what in (("i", "exporter code"), ("j", "importer code")):
        values = [r[0] for r in con.execute(f"SELECT DISTINCT {side} FROM fast").fetchall()]
        if any(str(v) not in country for v in values):
            return None  # unknown code
        keep = [v for v in values if country[str(v)]]
        mapped = [country[str(v)] for v in keep]
        con.register("_fast_map", pa.table({"code": pa.array(keep, pa.int32()),
                                            "mapped": mapped,
                                            "idx": [index[m] for m in mapped]}))
        con.execute(f"CREATE TABLE fast_map_{side} AS SELECT * FROM _fast_map")
        con.unregister("_fast_map")
        dropped = sorted(str(v) for v in values if not country[str(v)])
        if dropped:
            n = con.execute(f"SELECT count(*) FROM fast WHERE {side} IN "
                            f"({', '.join(dropped)})").fetchone()[0]
            messages.append(f"dropped {n} rows whose {what} is an aggregate or special code "
                            f"({len(dropped)} codes: {', '.join(dropped[:10])})")
    if len(isos) >= 1000:
        return None  # the key below packs the exporter and importer in three digits each
    if _has_duplicate_key(con):
        return None
    stage.write(
        f"""SELECT r.t AS {C.YEAR}, mi.mapped AS {C.EXPORTER}, mj.mapped AS {C.IMPORTER},
                  lpad(CAST(r.k AS VARCHAR), 6, '0') AS {C.PRODUCT},
                  {lit(vintage)} AS {C.HS_VINTAGE},
                  r.v * {_VALUE_UNIT_USD} AS {C.VALUE_USD}, r.q AS {C.QUANTITY},
                  {lit(source)} AS {C.SOURCE}, false AS {C.ESTIMATED}
           FROM fast r JOIN fast_map_i mi ON r.i = mi.code JOIN fast_map_j mj ON r.j = mj.code""",
    )
    return messages


def _has_duplicate_key(con) -> bool:
    """Two rows with one (year, exporter, importer, product) after mapping (synonym codes such
    as two numeric codes of one ISO3 count as one).

    Each key packed in one int64, sorted with numpy: a fraction of the memory of a hash
    aggregate over 5 million rows.
    """
    import numpy as np

    keys = con.execute(
        "SELECT ((CAST(r.t AS BIGINT) * 1000 + mi.idx) * 1000 + mj.idx) * 1000000 + r.k AS key "
        "FROM fast r JOIN fast_map_i mi ON r.i = mi.code JOIN fast_map_j mj ON r.j = mj.code"
    ).fetchnumpy()["key"]
    keys = np.asarray(keys, dtype=np.int64)
    keys.sort()
    return bool(keys.size > 1 and np.any(keys[1:] == keys[:-1]))
