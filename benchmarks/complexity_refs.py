"""Whole-process runs of the reference packages on the CLI's job: same Parquet in, long table out.

``python benchmarks/complexity_refs.py ecomplexity|economic-complexity IN.parquet OUT.parquet``

- ``ecomplexity`` (Growth Lab, 0.5.3): ``ecomplexity(frame, cols, check_logsupermodularity=False,
  verbose=False)`` (the check is work tradecoop does not do, so this favours it); its output is
  already the long table (one row per year x location x product) and is written as it is.
- ``economic-complexity`` (OEC, 0.3.0): per year, pivot to the wide matrix, then ``rca``,
  ``complexity``, ``proximity``, ``relatedness`` (density) and ``opportunity_gain`` (COG) as its
  docs show; the long table (value, rca, M, density, distance, cog, eci, pci, diversity,
  ubiquity; the package has no COI) is assembled with numpy ``ravel``/``repeat``, the cheapest
  way, so the harness adds as little as it can to the package's own time.

Each process reads the file with ``pandas.read_parquet`` and writes with ``DataFrame.to_parquet``.
BLAS gets one thread (the setting tradecoop's CLI uses; two were slower for every
implementation on this 2-core machine).
"""

from __future__ import annotations

import os
import sys
import warnings

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def run_ecomplexity(src: str, dst: str) -> None:
    import pandas as pd
    from ecomplexity import ecomplexity

    frame = pd.read_parquet(src)
    out = ecomplexity(frame, {"time": "year", "loc": "location", "prod": "product", "val": "value"},
                      check_logsupermodularity=False, verbose=False)
    out.to_parquet(dst, index=False)


def run_economic_complexity(src: str, dst: str) -> None:
    import economic_complexity as ec
    import numpy as np
    import pandas as pd

    frame = pd.read_parquet(src)
    parts = []
    for year, sub in frame.groupby("year", sort=True):
        wide = sub.pivot(index="location", columns="product", values="value").fillna(0.0)
        rca = ec.rca(wide)
        eci, pci = ec.complexity(rca)
        prox = ec.proximity(rca)
        dens = ec.relatedness(rca, proximities=prox)
        cog = ec.opportunity_gain(rca, pci=pci, proximities=prox)
        locs, prods = rca.index.to_numpy(), rca.columns.to_numpy()
        nc, np_ = rca.shape
        m = (rca.to_numpy() >= 1).astype(np.int8)
        d = dens.reindex(index=locs, columns=prods).to_numpy().ravel()
        parts.append(pd.DataFrame({
            "year": np.full(nc * np_, year),
            "location": np.repeat(locs, np_), "product": np.tile(prods, nc),
            "value": wide.reindex(index=locs, columns=prods).to_numpy().ravel(),
            "rca": rca.to_numpy().ravel(), "M": m.ravel(), "density": d, "distance": 1.0 - d,
            "cog": cog.reindex(index=locs, columns=prods).to_numpy().ravel(),
            "eci": np.repeat(eci.reindex(locs).to_numpy(), np_),
            "pci": np.tile(pci.reindex(prods).to_numpy(), nc),
            "diversity": np.repeat(m.sum(axis=1), np_), "ubiquity": np.tile(m.sum(axis=0), nc),
        }))
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    out.to_parquet(dst, index=False)


RUNNERS = {"ecomplexity": run_ecomplexity, "economic-complexity": run_economic_complexity}

if __name__ == "__main__":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        RUNNERS[sys.argv[1]](sys.argv[2], sys.argv[3])
