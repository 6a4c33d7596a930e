"""The numpy floor of a whole-process complexity run: the least a process can do for the job.

``python benchmarks/complexity_floor.py IN.parquet OUT.parquet`` reads the tidy table with
Arrow, scatters each year into a dense matrix with numpy, runs tradecoop's array kernels
(``tradecoop.complexity.pipeline.complexity_year``: numpy only, no pandas) and writes the same
long table as ``tradecoop complexity --format parquet`` (same columns, types, row order and
Parquet options, the write of year t overlapping the computation of year t+1 on a second
thread). It checks nothing (no validation, no special HS codes, no duplicate keys), imports no
pandas, no Typer and no DuckDB: what the CLI costs above it is the price of being a tool.
BLAS gets one thread, as in the CLI (docs/complexity.md, "Threads").
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402 - after the BLAS thread setting
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from tradecoop.complexity.pipeline import complexity_year  # noqa: E402

#: the CLI's dictionary-encoded columns (tradecoop.cli.complexity.DICTIONARY_COLUMNS)
DICTIONARY_COLUMNS = ["year", "location", "product", "M", "eci", "pci", "diversity", "ubiquity", "coi"]


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Dictionary codes remapped so that the labels are sorted (as the CLI orders them)."""
    arr = column.combine_chunks()
    labels = np.asarray(arr.dictionary.to_pylist(), dtype=object)
    order = np.argsort(labels)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[arr.indices.to_numpy()], labels[order]


def _long_table(cy) -> pa.Table:
    nc, np_ = cy.m.shape
    loc = np.repeat(np.arange(nc, dtype=np.int32), np_)
    prod = np.tile(np.arange(np_, dtype=np.int32), nc)
    return pa.table({
        "year": np.full(nc * np_, cy.year),
        "location": pa.DictionaryArray.from_arrays(loc, pa.array(cy.locations, pa.string())),
        "product": pa.DictionaryArray.from_arrays(prod, pa.array(cy.products, pa.string())),
        "value": cy.values.reshape(-1),
        "rca": cy.rca.reshape(-1),
        "M": cy.m.reshape(-1).astype(np.int8),
        "density": cy.density.reshape(-1),
        "distance": 1.0 - cy.density.reshape(-1),
        "cog": cy.cog.reshape(-1),
        "eci": np.repeat(cy.eci, np_),
        "pci": np.tile(cy.pci, nc),
        "diversity": np.repeat(cy.diversity.astype(np.int64), np_),
        "ubiquity": np.tile(cy.ubiquity.astype(np.int64), nc),
        "coi": np.repeat(cy.coi, np_),
    })


def main(src: str, dst: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    table = pq.ParquetFile(src, read_dictionary=["location", "product"]).read()  # no pandas import
    loc, locations = _codes(table["location"])
    prod, products = _codes(table["product"])
    years = table["year"].to_numpy()
    values = table["value"].to_numpy()
    del table
    order = np.argsort(years, kind="stable")
    uniq, starts = np.unique(years[order], return_index=True)
    writer, pending = None, None
    with ThreadPoolExecutor(max_workers=1) as pool:
        for year, s, e in zip(uniq, starts, [*starts[1:], len(order)], strict=True):
            rows = order[s:e]
            dense = np.zeros((len(locations), len(products)))
            dense[loc[rows], prod[rows]] = values[rows]
            keep_l, keep_p = dense.sum(axis=1) > 0, dense.sum(axis=0) > 0
            dense = np.ascontiguousarray(dense[keep_l][:, keep_p])
            cy = complexity_year(int(year), locations[keep_l], products[keep_p], dense)
            out = _long_table(cy)
            if writer is None:
                writer = pq.ParquetWriter(dst, out.schema, use_dictionary=DICTIONARY_COLUMNS,
                                          compression="snappy")
            if pending is not None:
                pending.result()
            pending = pool.submit(writer.write_table, out)
        if pending is not None:
            pending.result()
    writer.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
