"""Benchmark: ``fit_gravity`` (pyfixest PPML with absorbed fixed effects) vs a dummy-variable GLM.

The reference is what USITC's ``gme`` package does: a statsmodels Poisson GLM with explicit
exporter-year and importer-year dummy columns (dense design). Both estimate the same model on
the same data, so the coefficients must agree; we report the largest absolute difference.

Cases:
  yotov      Yotov et al. (2016) panel, international flows 1986-2006 every 4 years
             (28,152 rows; 69 x 6 exporter-years + 69 x 6 importer-years)
  synth20    simulated 20 x 19 x 10 panel (3,800 rows; 399 dummy columns): small enough for
             the dense GLM to finish on a loaded machine, for the coefficient comparison
  synth60    simulated 60 x 59 x 10 panel (35,400 rows; 1,199 dummy columns)
  synth150   simulated 150 x 149 x 10 panel (223,500 rows; 2,999 dummy columns); the dense GLM
             design alone needs ~5.4 GB, so the GLM runs only with --allow-big

Each (case, method) runs in its own subprocess: wall time of the estimation (after imports and
data loading; the GLM's time includes building the dummies, which is part of its approach),
and peak resident memory of the process (ru_maxrss). pyfixest is timed twice in one process:
the first call includes numba/JIT compilation ("cold"), the second is "warm".

``--potential`` times something else: the whole process of ``tradecoop gravity potential BLR
RUS`` (start-up included), with an empty cache folder (a fresh store per run: the models are
fitted) and with the cache the first run left (read back), runs alternating, medians of each.

Usage:
    .venv/bin/python benchmarks/gravity_bench.py [--cases yotov,synth60,synth150] [--allow-big]
    .venv/bin/python benchmarks/gravity_bench.py --potential [--runs 5] [--pair BLR,RUS]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
YOTOV = ROOT / "tests" / "fixtures" / "gravity" / "agtpa_applications.rda"
COVARIATES = ["ln_dist", "cntg", "lang", "clny"]
FORMULA = "trade ~ ln_dist + cntg + lang + clny | exp_year + imp_year"
BIG_DESIGN_BYTES = 2 * 2**30  # refuse a dense GLM design above 2 GiB unless --allow-big


def simulate(n: int, years: int = 10, seed: int = 2024) -> pd.DataFrame:
    """Seeded panel: X_ijt ~ Poisson(exp(10 + pi_it + chi_jt - 0.9 ln d + 0.4 c + 0.3 l - 0.2 k))."""
    rng = np.random.default_rng(seed)
    pos = rng.uniform(0, 100, size=(n, 2))
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    off = i != j
    i, j = i[off], j[off]
    dist = 50 + np.hypot(*(pos[i] - pos[j]).T) * 100
    cntg = (rng.random(len(i)) < 0.05).astype(float)
    lang = (rng.random(len(i)) < 0.15).astype(float)
    clny = (rng.random(len(i)) < 0.03).astype(float)
    frames = []
    for t in range(years):
        pi, chi = rng.normal(0, 1, n), rng.normal(0, 1, n)
        eta = 10 + pi[i] + chi[j] - 0.9 * np.log(dist / 1000) + 0.4 * cntg + 0.3 * lang - 0.2 * clny
        frames.append(pd.DataFrame({
            "exporter": i, "importer": j, "year": 2000 + t, "dist": dist, "cntg": cntg,
            "lang": lang, "clny": clny, "trade": rng.poisson(np.exp(eta)).astype(float),
        }))
    return pd.concat(frames, ignore_index=True)


def load(case: str) -> pd.DataFrame:
    if case == "yotov":
        from tradecoop.gravity import read_panel

        d = read_panel(YOTOV)
        d = d[d["year"].isin(range(1986, 2007, 4)) & (d["exporter"] != d["importer"])].copy()
    else:
        d = simulate({"synth20": 20, "synth60": 60, "synth150": 150}[case])
    d["ln_dist"] = np.log(d["dist"])
    d["exp_year"] = d["exporter"].astype(str) + "_" + d["year"].astype(int).astype(str)
    d["imp_year"] = d["importer"].astype(str) + "_" + d["year"].astype(int).astype(str)
    d["pair_id"] = d["exporter"].astype(str) + "_" + d["importer"].astype(str)
    return d.reset_index(drop=True)


def run_pyfixest(d: pd.DataFrame) -> dict:
    from tradecoop.gravity import GravitySpec, fit_gravity

    spec = GravitySpec(covariates=tuple(COVARIATES), fixed_effects=("exp_year", "imp_year"))
    t0 = time.perf_counter()
    fit_gravity(d, spec, cluster="pair_id")
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = fit_gravity(d, spec, cluster="pair_id")
    warm = time.perf_counter() - t0
    return {"seconds": warm, "seconds_cold": cold, "coef": res.coef(), "n_obs": res.n_obs}


def run_glm(d: pd.DataFrame) -> dict:
    import statsmodels.api as sm

    t0 = time.perf_counter()
    dummies = pd.get_dummies(d[["exp_year", "imp_year"]], drop_first=True, dtype=float)
    x = pd.concat([d[COVARIATES], dummies], axis=1)
    x.insert(0, "const", 1.0)
    # default IRLS (as gme); non-robust covariance: only the coefficients are compared, and
    # statsmodels' cluster covariance on a dense 800+ column design grew past 6 GB here
    fit = sm.GLM(d["trade"], x, family=sm.families.Poisson()).fit()
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds, "coef": {c: float(fit.params[c]) for c in COVARIATES},
        "n_obs": int(fit.nobs), "columns": x.shape[1],
    }


def worker(case: str, method: str) -> None:
    d = load(case)
    out = run_pyfixest(d) if method == "pyfixest" else run_glm(d)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def potential_processes(runs: int, pair: list[str]) -> None:
    """Whole-process time of ``tradecoop gravity potential A B``: cold cache, then warm, alternating."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _measure import run_process

    cmd = [str(Path(sys.executable).with_name("tradecoop")), "gravity", "potential", *pair]
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    with tempfile.TemporaryDirectory(prefix="gravity-bench-") as tmp:
        warm_env = {**os.environ, "TRADECOOP_STORE": str(Path(tmp) / "warm")}
        run_process(cmd, env=warm_env, cwd=str(ROOT))  # fills the warm store's cache (not counted)
        rows: dict[str, list[dict]] = {"cold cache (fits)": [], "warm cache (reads back)": []}
        for k in range(runs):
            cold_env = {**os.environ, "TRADECOOP_STORE": str(Path(tmp) / f"cold{k}")}
            rows["cold cache (fits)"].append(run_process(cmd, env=cold_env, cwd=str(ROOT)))
            rows["warm cache (reads back)"].append(run_process(cmd, env=warm_env, cwd=str(ROOT)))
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    print(f"| `tradecoop gravity potential {' '.join(pair)}` | runs | wall s median (min-max) | CPU s median | peak MiB |")
    print("|---|---:|---:|---:|---:|")
    for name, got in rows.items():
        wall = [r["wall_s"] for r in got]
        print(f"| {name} | {len(got)} | {statistics.median(wall):.2f} ({min(wall):.2f}-{max(wall):.2f}) | "
              f"{statistics.median(r['cpu_s'] for r in got):.2f} | "
              f"{statistics.median(r['peak_mib'] for r in got):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="yotov,synth60,synth150")
    parser.add_argument("--allow-big", action="store_true")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per (case, method) run")
    parser.add_argument("--worker", nargs=2, metavar=("CASE", "METHOD"), help=argparse.SUPPRESS)
    parser.add_argument("--potential", action="store_true",
                        help="time whole `tradecoop gravity potential` processes, cold and warm cache")
    parser.add_argument("--runs", type=int, default=5, help="--potential: runs of each")
    parser.add_argument("--pair", default="BLR,RUS", help="--potential: the pair")
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    if args.potential:
        potential_processes(args.runs, args.pair.split(","))
        return
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    print("| case | rows | method | wall s (warm) | wall s (cold, incl. JIT) | peak RSS MB | max abs coef diff |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for case in args.cases.split(","):
        results = {}
        for method in ("pyfixest", "glm"):
            if method == "glm" and case == "synth150" and not args.allow_big:
                rows = 150 * 149 * 10
                need = rows * (2 * 150 * 10 + 4) * 8
                if need > BIG_DESIGN_BYTES:
                    results[method] = {"skipped": f"dense design ~{need / 2**30:.1f} GiB; use --allow-big"}
                    continue
            try:
                proc = subprocess.run(
                    [sys.executable, __file__, "--worker", case, method],
                    capture_output=True, text=True, cwd=ROOT, timeout=args.timeout,
                )
            except subprocess.TimeoutExpired:
                results[method] = {"skipped": f"did not finish within {args.timeout} s"}
                continue
            if proc.returncode != 0:
                results[method] = {"skipped": f"failed: {proc.stderr.strip().splitlines()[-1:]}"}
                continue
            results[method] = json.loads(proc.stdout.strip().splitlines()[-1])
        ref = results.get("pyfixest", {}).get("coef")
        for method, r in results.items():
            if "skipped" in r:
                print(f"| {case} | - | {method} | {r['skipped']} | | | |")
                continue
            diff = max(abs(r["coef"][k] - ref[k]) for k in COVARIATES) if ref else float("nan")
            cold = f"{r['seconds_cold']:.2f}" if "seconds_cold" in r else "-"
            print(
                f"| {case} | {r['n_obs']:,} | {method} | {r['seconds']:.2f} | {cold} | "
                f"{r['peak_rss_mb']:.0f} | {diff:.2e} |", flush=True
            )
        if "seconds" in results.get("glm", {}) and "seconds" in results.get("pyfixest", {}):
            ratio = results["glm"]["seconds"] / results["pyfixest"]["seconds"]
            print(f"| {case} | | GLM / pyfixest (warm) time ratio | {ratio:.1f}x | | | |")


if __name__ == "__main__":
    main()
