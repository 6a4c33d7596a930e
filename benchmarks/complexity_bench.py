"""Benchmark: tradecoop.complexity vs Growth Lab `ecomplexity` vs OEC `economic-complexity`.

Same generated world-scale data for all (230 locations x 5,000 HS6-like products, BACI-like
sparsity and heavy tails, seeded), one year and ten years. Each implementation runs the full
pipeline (tidy frame -> RCA -> M -> ECI/PCI -> proximity -> density -> COG; COI where offered)
in its **own subprocess**, so its peak RSS is its own; the parent collects wall time, peak RSS
and ECI, and compares ECI across implementations.

Run::

    .venv/bin/python benchmarks/complexity_bench.py            # 1 and 10 years
    .venv/bin/python benchmarks/complexity_bench.py --quick    # 60 x 800, for a smoke test

Notes: the reference packages are run as their docs show; ``ecomplexity`` with
``check_logsupermodularity=False`` and ``verbose=False`` (the check is extra work we do not do,
so this favours it). On ten years the slow reference may be skipped (``--ref-10``), which the
output says.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SEED = 20260101


def generate(n_locations: int, n_products: int, n_years: int, seed: int = SEED):
    """Tidy (year, location, product, value) exports with BACI-like structure.

    - location size lognormal (sigma 2: a few giants, many small economies), product market
      size lognormal (sigma 1.5);
    - nestedness: location capability a_c ~ N(0, 1), product sophistication b_p ~ N(0, 1);
      P(flow > 0) = logistic(1.2 a_c - 1.2 b_p - 0.4) (about 40% of cells non-zero, diversified
      locations export most products, sophisticated products have few exporters);
    - value = size_c * market_p * exp(a_c b_p) * lognormal(0, 2) noise (heavy tails);
    - years: the same structure with 5% growth, fresh noise and 5% of flows switching on/off.
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 2.0, n_locations)
    market = rng.lognormal(0.0, 1.5, n_products)
    a = rng.normal(size=n_locations)
    b = rng.normal(size=n_products)
    logit = 1.2 * a[:, None] - 1.2 * b[None, :] - 0.4
    base_p = 1.0 / (1.0 + np.exp(-logit))
    present = rng.random((n_locations, n_products)) < base_p
    locations = np.array([f"L{i:03d}" for i in range(n_locations)])
    products = np.array([f"{i:06d}" for i in range(100000, 100000 + n_products)])
    frames = []
    for t in range(n_years):
        flip = rng.random(present.shape) < 0.05
        present_t = np.where(flip, rng.random(present.shape) < base_p, present)
        value = (size[:, None] * market[None, :] * np.exp(0.5 * a[:, None] * b[None, :])
                 * rng.lognormal(0.0, 2.0, present.shape) * 1e6 * 1.05**t)
        c, p = np.nonzero(present_t)
        frames.append(pd.DataFrame({"year": 2015 + t, "location": locations[c],
                                    "product": products[p], "value": value[c, p]}))
    return pd.concat(frames, ignore_index=True)


# --- runners (each executed in a fresh subprocess) -------------------------------------------
def run_tradecoop(frame):
    from tradecoop.complexity import compute_complexity

    result = compute_complexity(frame)
    long = result.to_frame()
    eci = result.eci_frame()[["year", "location", "eci"]]
    return eci, len(long)


def run_ecomplexity(frame):
    from ecomplexity import ecomplexity

    out = ecomplexity(
        frame, {"time": "year", "loc": "location", "prod": "product", "val": "value"},
        check_logsupermodularity=False, verbose=False,
    )
    eci = out[["year", "location", "eci"]].drop_duplicates(["year", "location"])
    return eci, len(out)


def run_economic_complexity(frame):
    import economic_complexity as ec
    import pandas as pd

    ecis, rows = [], 0
    for year, sub in frame.groupby("year"):
        wide = sub.pivot(index="location", columns="product", values="value").fillna(0)
        rca = ec.rca(wide)
        eci, pci = ec.complexity(rca)
        prox = ec.proximity(rca)
        dens = ec.relatedness(rca, proximities=prox)
        cog = ec.opportunity_gain(rca, pci=pci, proximities=prox)
        assert dens.shape == cog.shape
        rows += cog.size  # one density and COG per (location, product), like the others
        ecis.append(pd.DataFrame({"year": year, "location": eci.index, "eci": eci.to_numpy()}))
    return pd.concat(ecis, ignore_index=True), rows


RUNNERS = {"tradecoop": run_tradecoop, "ecomplexity": run_ecomplexity,
           "economic-complexity": run_economic_complexity}


#: modules each runner imports, loaded before the clock starts (import time is not pipeline time)
IMPORTS = {"tradecoop": ["tradecoop.complexity"], "ecomplexity": ["ecomplexity"],
           "economic-complexity": ["economic_complexity"]}


def _child(name: str, data: Path, out: Path) -> None:
    import importlib
    import warnings

    import pandas as pd

    for module in IMPORTS[name]:
        importlib.import_module(module)
    frame = pd.read_parquet(data)
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cpu0 = time.process_time()
        start = time.perf_counter()
        eci, rows = RUNNERS[name](frame)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu0
    eci.to_parquet(out.with_suffix(".eci.parquet"), index=False)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write_text(json.dumps({"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": peak, "rss_after_load_mb": rss_loaded,
                               "rows": rows}))


def _run(name: str, data: Path, tmp: Path, timeout: float, threads: int) -> dict:
    out = tmp / f"{name}-{data.stem}.json"
    cmd = [sys.executable, __file__, "--child", name, str(data), str(out)]
    env = dict(os.environ)
    if threads > 0:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(threads)
    try:
        subprocess.run(cmd, check=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"name": name, "timeout": timeout}
    res = json.loads(out.read_text())
    res["name"] = name
    res["eci_path"] = str(out.with_suffix(".eci.parquet"))
    return res


def _agreement(ours: str, theirs: str) -> dict:
    import pandas as pd

    a = pd.read_parquet(ours)
    b = pd.read_parquet(theirs)
    m = a.merge(b, on=["year", "location"], suffixes=("", "_ref"))
    corr = float(np.corrcoef(m["eci"], m["eci_ref"])[0, 1])
    return {"n": len(m), "corr": corr, "max_abs_diff": float((m["eci"] - m["eci_ref"]).abs().max())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", nargs=3, metavar=("NAME", "DATA", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="also print all results as JSON")
    parser.add_argument("--quick", action="store_true", help="60 x 800 products (smoke test)")
    parser.add_argument("--ref-10", default="economic-complexity",
                        help="reference packages also run on ten years (comma list; '' for none)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS threads for every implementation (0 = library default); 1 by "
                             "default because OpenBLAS threads thrash on a shared, loaded machine")
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    nc, np_ = (60, 800) if args.quick else (230, 5000)
    ref10 = {s for s in args.ref_10.split(",") if s}
    load = os.getloadavg()
    print(f"# {nc} locations x {np_} products; BLAS threads {args.threads or 'default'}; "
          f"{os.cpu_count()} CPUs; load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    results = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for years in (1, 10):
            frame = generate(nc, np_, years)
            data = tmp / f"data_{years}y.parquet"
            frame.to_parquet(data, index=False)
            print(f"## {years} year(s): {len(frame):,} non-zero rows "
                  f"({len(frame) / (nc * np_ * years):.0%} of cells)", flush=True)
            names = ["tradecoop", "economic-complexity", "ecomplexity"]
            if years == 10:
                names = ["tradecoop", *[n for n in names[1:] if n in ref10]]
            row = {"years": years, "runs": {}}
            for name in names:
                res = _run(name, data, tmp, args.timeout, args.threads)
                row["runs"][name] = res
                print(f"  {name:20s} " + (f"timeout after {res['timeout']:.0f}s" if "timeout" in res else
                      f"{res['wall_s']:8.2f} s wall {res['cpu_s']:8.2f} s CPU  peak RSS {res['peak_rss_mb']:7.0f} MB "
                      f"(after load {res['rss_after_load_mb']:.0f} MB)"), flush=True)
            ours = row["runs"]["tradecoop"]
            for name, res in row["runs"].items():
                if name == "tradecoop" or "timeout" in res:
                    continue
                res["speedup"] = res["wall_s"] / ours["wall_s"]
                res["cpu_speedup"] = res["cpu_s"] / ours["cpu_s"]
                res["eci_agreement"] = _agreement(ours["eci_path"], res["eci_path"])
                print(f"  tradecoop vs {name}: {res['speedup']:.1f}x faster (wall), "
                      f"{res['cpu_speedup']:.1f}x (CPU); ECI "
                      f"corr {res['eci_agreement']['corr']:.6f}, max |diff| "
                      f"{res['eci_agreement']['max_abs_diff']:.2e}", flush=True)
            results.append(row)
    load = os.getloadavg()
    print(f"# load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.json:
        print(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
