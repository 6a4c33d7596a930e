"""Measure the error of the bilateral product-flow estimator where the truth is known.

A seeded synthetic BACI-shaped world (``tradecoop.data.estimation.synthetic_world``) is aggregated
to the margins the estimator sees (exporter x product totals and exporter x importer totals), the
flows are re-estimated, and the estimate is compared with the truth: cell errors, top-10 products
per pair, and the indicators computed on estimated vs true flows (trade complementarity with
estimated imports, aggregate Grubel-Lloyd, dependency shares). For comparison the 3-margin IPF is
run with importer x product totals known (data the bundled set does not have).

Real data (``--wiod FILE``): the WIOD 2013 release's world input-output table for 2011 (41
economies x 35 sectors, ``wiot_2011.RData``) gives the true exports of every exporter's sector to
every importer (intermediate + final use); the estimator sees only the exporter x sector and
exporter x importer totals, as it does for HS products, and its cube is compared with the truth:
cell WMAPE, top-5 sector recall per pair, and each importer's import structure (dissimilarity
index 50 x sum_k |share_true - share_est|, in points), Russia named (Belarus is inside WIOD's
rest of the world). The bundled OECD ICIO 2022 extract is measured alongside, restricted to the
two importers it covers (Belarus and Russia): see :func:`real_icio`.

Usage::

    .venv/bin/python benchmarks/estimation_error.py            # full table (a minute or two)
    .venv/bin/python benchmarks/estimation_error.py --quick    # small world, seconds
    .venv/bin/python benchmarks/estimation_error.py --wiod ../shared/data/raw/wiod2013-r/wiot_2011.RData

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


#: sectors compared per pair in the top-k recall on real data (35 WIOD sectors)
REAL_TOP_K = 5


def wiod_cube(path: str) -> tuple[np.ndarray, list[str]]:
    """True exports cube (exporter, importer, sector) in USD mn from a WIOD 2013 ``wiot_YYYY.RData``."""
    import warnings

    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        obj = rdata.conversion.convert(rdata.parser.parse_file(path))["wiot_2011"]
    countries = [str(c) for c in obj["countries"]]
    n, k = len(countries), len(obj["industries"])
    inter = np.asarray(obj["inter"].values, dtype=float).reshape(n, k, n, k).sum(axis=3)  # (i, k, j)
    final = np.asarray(obj["final"].values, dtype=float)
    final = final.reshape(n, k, n, final.shape[1] // n).sum(axis=3)
    cube = (inter + final).transpose(0, 2, 1).copy()  # (i, j, k)
    cube[np.arange(n), np.arange(n), :] = 0.0  # domestic use is not trade
    return np.clip(cube, 0.0, None), countries


def import_structure_error(true: np.ndarray, estc: np.ndarray) -> np.ndarray:
    """Per importer: 50 x sum_k |m_jk/M_j (true) - (estimated)|, in points (0 = same structure)."""
    mt, me = true.sum(axis=0), estc.sum(axis=0)
    st = mt / np.where(mt.sum(axis=1, keepdims=True) > 0, mt.sum(axis=1, keepdims=True), 1)
    se = me / np.where(me.sum(axis=1, keepdims=True) > 0, me.sum(axis=1, keepdims=True), 1)
    return 50.0 * np.abs(st - se).sum(axis=1)


def top_k_recall(true: np.ndarray, estc: np.ndarray, k: int) -> float:
    """Mean over pairs with trade of |true top-k sectors & estimated top-k| / k."""
    n_i, n_j, n_k = true.shape
    t, e = true.reshape(-1, n_k), estc.reshape(-1, n_k)
    keep = t.sum(axis=1) > 0
    it = np.argsort(-t[keep], axis=1, kind="stable")[:, :k]
    ie = np.argsort(-e[keep], axis=1, kind="stable")[:, :k]
    return float((it[:, :, None] == ie[:, None, :]).any(axis=2).mean())


def real_wiod(path: str) -> None:
    cube, countries = wiod_cube(path)
    x_ik, b_ij = cube.sum(axis=1), cube.sum(axis=2)
    estc = est.proportional_flows(x_ik, b_ij)
    err = est.flow_error(cube, estc)
    structure = import_structure_error(cube, estc)
    named = {c: structure[countries.index(c)] for c in ("RUS", "RoW", "CHN", "DEU", "USA") if c in countries}
    print(f"WIOD 2011 ({len(countries)} economies x {cube.shape[2]} sectors, USD {cube.sum() / 1e6:,.1f} trn of trade)\n")
    print("| measure | value |\n|---|---:|")
    print(f"| cell WMAPE | {err.wmape:.3f} |")
    print(f"| correlation / log correlation | {err.correlation:.3f} / {err.log_correlation:.3f} |")
    print(f"| top-10 value share | {err.top10_value_share:.3f} |")
    print(f"| top-{REAL_TOP_K} sector recall per pair | {top_k_recall(cube, estc, REAL_TOP_K):.3f} |")
    print(f"| import-structure error, mean over importers (points) | {structure.mean():.1f} |")
    print(f"| import-structure error, median / max (points) | {np.median(structure):.1f} / {structure.max():.1f} "
          f"({countries[int(structure.argmax())]}) |")
    for c, v in named.items():
        print(f"| import-structure error, {c} (points) | {v:.1f} |")
    print(f"| GL on estimated vs true flows, MAE over pairs | {np.nanmean(np.abs(_gl_pairs(estc) - _gl_pairs(cube))):.3f} |")


def real_icio() -> None:
    """OECD ICIO 2022 (bundled extract): every origin's sector sales to Belarus and Russia.

    The extract holds only the inputs *into* Belarus and Russia, so the world is restricted to
    these two importers: each origin's sector sales to {BLR, RUS} are split by its bilateral
    totals to the two, and the split is compared with the table. This tests the proportionality
    assumption (the same sector mix to every destination) where it matters for the pair.
    """
    import pandas as pd

    from tradecoop.data.bundled import bundled_path

    inputs = pd.read_parquet(bundled_path("icio2022_inputs"))
    inputs = inputs[inputs["input_country"] != inputs["location"]]  # imports only
    importers = ["BLR", "RUS"]
    table = inputs.pivot_table(index=["input_country", "input_sector"], columns="location",
                               values="value_usd_mn", aggfunc="sum", fill_value=0.0)[importers]
    origins = sorted(table.index.get_level_values(0).unique())
    sectors = sorted(table.index.get_level_values(1).unique())
    full = table.reindex(pd.MultiIndex.from_product([origins, sectors])).fillna(0.0)
    cube = full.to_numpy().reshape(len(origins), len(sectors), 2).transpose(0, 2, 1)  # (o, j, k)
    estc = est.proportional_flows(cube.sum(axis=1), cube.sum(axis=2))
    err = est.flow_error(cube, estc)
    structure = import_structure_error(cube, estc)
    print(f"\nOECD ICIO 2022 extract: {len(origins)} origins x {len(sectors)} sectors -> Belarus and Russia "
          f"(intermediates, USD {cube.sum() / 1e3:,.1f} bn)\n")
    print("| measure | value |\n|---|---:|")
    print(f"| cell WMAPE | {err.wmape:.3f} |")
    print(f"| top-{REAL_TOP_K} sector recall per origin-importer pair | {top_k_recall(cube, estc, REAL_TOP_K):.3f} |")
    for j, name in enumerate(importers):
        print(f"| import-structure error, {name} (points) | {structure[j]:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small world only")
    parser.add_argument("--wiod", help="WIOD 2013 wiot_2011.RData: measure on real data instead")
    args = parser.parse_args()
    if args.wiod:
        real_wiod(args.wiod)
        real_icio()
        return
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
