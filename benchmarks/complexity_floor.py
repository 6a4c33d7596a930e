"""The numpy floor of a whole-process complexity run: the least a process can do for the job.

``python benchmarks/complexity_floor.py IN.parquet OUT.parquet`` reads the tidy table with
Arrow, scatters each year into a dense matrix with numpy, runs tradecoop's array kernels
(``tradecoop.complexity.pipeline.complexity_year``: numpy only, no pandas) and writes the same
long table as ``tradecoop complexity --format parquet`` (same columns, types, row order and
Parquet options, the write of year t overlapping the computation of year t+1 on a second
thread). It checks nothing (no validation, no special HS codes, no duplicate keys), imports no
pandas (Arrow arrays are wrapped from numpy buffers with ``tradecoop.complexity.arrow``: a plain
``pa.array`` call would make pyarrow import pandas), no Typer and no DuckDB: what the CLI costs
above it is the price of being a tool.
BLAS gets one thread, as in the CLI (docs/complexity.md, "Threads").
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402 - after the BLAS thread setting
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from tradecoop.complexity import arrow  # noqa: E402
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
    return rank[arrow.to_numpy(arr.indices)], labels[order]


def _long_table(cy) -> pa.Table:
    nc, np_ = cy.m.shape
    loc = np.repeat(np.arange(nc, dtype=np.int32), np_)
    prod = np.tile(np.arange(np_, dtype=np.int32), nc)
    num = arrow.from_numpy
    return pa.table({
        "year": num(np.full(nc * np_, cy.year)),
        "location": arrow.dictionary(loc, cy.locations),
        "product": arrow.dictionary(prod, cy.products),
        "value": num(cy.values.reshape(-1)),
        "rca": num(cy.rca.reshape(-1)),
        "M": num(cy.m.reshape(-1).astype(np.int8)),
        "density": num(cy.density.reshape(-1)),
        "distance": num(1.0 - cy.density.reshape(-1)),
        "cog": num(cy.cog.reshape(-1)),
        "eci": num(np.repeat(cy.eci, np_)),
        "pci": num(np.tile(cy.pci, nc)),
        "diversity": num(np.repeat(cy.diversity.astype(np.int64), np_)),
        "ubiquity": num(np.tile(cy.ubiquity.astype(np.int64), nc)),
        "coi": num(np.repeat(cy.coi, np_)),
    })


def main(src: str, dst: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    table = pq.ParquetFile(src, read_dictionary=["location", "product"]).read()  # no pandas import
    loc, locations = _codes(table["location"])
    prod, products = _codes(table["product"])
    years = arrow.to_numpy(table["year"])
    values = arrow.to_numpy(table["value"])
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
