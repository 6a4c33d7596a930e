"""Measure the error of the bilateral product-flow estimator where the truth is known.

A seeded synthetic BACI-shaped world (``tradecoop.data.estimation.synthetic_world``) is aggregated
to the margins the estimator sees (exporter x product totals and exporter x importer totals), the
flows are re-estimated, and the estimate is compared with the truth: cell errors, top-10 products
per pair, and the indicators computed on estimated vs true flows (trade complementarity with
estimated imports, aggregate Grubel-Lloyd, dependency shares). For comparison the 3-margin IPF is
run with importer x product totals known (data the bundled set does not have).

Usage::

    .venv/bin/python benchmarks/estimation_error.py            # full table (a minute or two)
    .venv/bin/python benchmarks/estimation_error.py --quick    # small world, seconds

Prints a Markdown table for docs/estimation.md.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from tradecoop.data import estimation as est

#: loose IPF stopping rule for the comparison row: margins within 1e-4 of their largest cell are
#: far inside the estimation error being measured, and IPF converges slowly on sparse cubes
IPF_TOL = 1e-4
IPF_MAX_ITER = 500


def _tc_matrix(x_ik: np.ndarray, m_jk: np.ndarray) -> np.ndarray:
    """TC_ij = 100 (1 - sum_k |m_jk/M_j - x_ik/X_i| / 2) for every pair (loops over exporters)."""
    xs = x_ik / x_ik.sum(axis=1, keepdims=True)
    ms = m_jk / np.where(m_jk.sum(axis=1, keepdims=True) > 0, m_jk.sum(axis=1, keepdims=True), 1)
    return np.stack([100 * (1 - np.abs(ms - xs[i]).sum(axis=1) / 2) for i in range(xs.shape[0])])


def _gl_pairs(cube: np.ndarray) -> np.ndarray:
    """Aggregate GL for every pair i < j: 1 - sum_k |x_ijk - x_jik| / sum_k (x_ijk + x_jik)."""
    n = cube.shape[0]
    iu = np.triu_indices(n, 1)
    fwd, back = cube[iu], cube.transpose(1, 0, 2)[iu]
    total = (fwd + back).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 1 - np.abs(fwd - back).sum(axis=1) / total, np.nan)


def _dependency_mae(true: np.ndarray, estc: np.ndarray) -> float:
    """Value-weighted mean |error| of i's share in j's imports of k (cells with true trade)."""
    mt, me = true.sum(axis=0), estc.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        st = np.where(mt > 0, true / np.where(mt > 0, mt, 1), 0)
        se = np.where(me > 0, estc / np.where(me > 0, me, 1), 0)
    w = true
    return float((np.abs(st - se) * w).sum() / w.sum())


def evaluate(n: int, n_products: int, seed: int, demand_sigma: float, noise_sigma: float,
             ipf: bool) -> dict[str, float]:
    world = est.synthetic_world(n, n, n_products, seed=seed, demand_sigma=demand_sigma,
                                noise_sigma=noise_sigma)
    x_ik, b_ij = world.sum(axis=1), world.sum(axis=2)
    t0 = time.perf_counter()
    cube = est.proportional_flows(x_ik, b_ij)
    seconds = time.perf_counter() - t0
    err = est.flow_error(world, cube)
    tc_true, tc_est = _tc_matrix(x_ik, world.sum(axis=0)), _tc_matrix(x_ik, cube.sum(axis=0))
    off = ~np.eye(n, dtype=bool)
    gl_true, gl_est = _gl_pairs(world), _gl_pairs(cube)
    ok = np.isfinite(gl_true) & np.isfinite(gl_est)
    row = {
        "density": float((world > 0).mean()), "wmape": err.wmape, "corr": err.correlation,
        "log_corr": err.log_correlation, "top10": err.top10_value_share,
        "tc_mae": float(np.abs(tc_est - tc_true)[off].mean()),
        "gl_mae": float(np.abs(gl_est - gl_true)[ok].mean()),
        "gl_corr": float(np.corrcoef(gl_true[ok], gl_est[ok])[0, 1]),
        "dep_mae": _dependency_mae(world, cube), "seconds": seconds,
    }
    if ipf:
        fit = est.ipf3(cube, b_ij, x_ik, world.sum(axis=0), tol=IPF_TOL, max_iter=IPF_MAX_ITER)
        row["ipf3_wmape"] = est.flow_error(world, fit).wmape
        row["ipf3_top10"] = est.flow_error(world, fit).top10_value_share
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small world only")
    args = parser.parse_args()
    n, k = (30, 120) if args.quick else (100, 600)
    configs = [(1.0, 1.0)] if args.quick else [(0.5, 0.5), (1.0, 1.0), (1.5, 1.0)]
    seeds = (0, 1) if args.quick else (0, 1, 2)
    print(f"world: {n} exporters x {n} importers x {k} products, seeds {seeds}\n")
    print("| demand sigma | noise sigma | cell density | WMAPE | corr | log corr | top-10 share "
          "| TC MAE (points) | GL MAE | GL corr | dependency MAE | 3-margin IPF WMAPE | IPF top-10 |")
    print("|" + "---|" * 13)
    for demand, noise in configs:
        rows = [evaluate(n, k, s, demand, noise, ipf=True) for s in seeds]
        m = {key: float(np.mean([r[key] for r in rows])) for key in rows[0]}
        print(f"| {demand} | {noise} | {m['density']:.2f} | {m['wmape']:.3f} | {m['corr']:.3f} | "
              f"{m['log_corr']:.3f} | {m['top10']:.3f} | {m['tc_mae']:.2f} | {m['gl_mae']:.3f} | "
              f"{m['gl_corr']:.3f} | {m['dep_mae']:.3f} | {m['ipf3_wmape']:.3f} | {m['ipf3_top10']:.3f} |")
    # speed at bundled-world scale: margins only (the cube is never built)
    rng = np.random.default_rng(0)
    x_ik = rng.lognormal(10, 3, (224, 1222)) * (rng.random((224, 1222)) < 0.6)
    b_ij = rng.lognormal(10, 3, (224, 220))
    t0 = time.perf_counter()
    est.estimated_imports(x_ik, b_ij)
    print(f"\nimports of every importer at bundled scale (224 x 220 x 1,222): "
          f"{time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
