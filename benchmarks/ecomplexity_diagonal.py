"""How far tradecoop's density and COG are from the Python package ``ecomplexity`` 0.5.3, and why.

tradecoop pins the Stata recipe (validated against Stata's own output to ~1e-14): the discrete
proximity has a **zero diagonal**. ``ecomplexity`` 0.5.3 (Python) builds
phi = min(M'M / u_p', (M'M / u_p)') and keeps its diagonal, C_pp / u_p = 1. That one cell
enters density (numerator M_cp * 1, denominator + 1) and COG (the p' = p term and the row sums
of phi). Its standardisation also differs (numpy's sd over locations, ddof 0, for ECI/PCI/COG
and COI, against Stata's sd over the long table), which scales PCI and COG by a constant.

For each dataset this script prints the largest absolute difference of density, COG, COI and
ECI between the two, then the same after the two documented conventions are applied to
tradecoop's arrays (diagonal 1, ecomplexity's sd): what remains is rounding, which shows that
these two conventions are the whole difference.

Run::

    .venv/bin/python benchmarks/ecomplexity_diagonal.py
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "ecomplexity" / "trade_data_sample.csv"


def _datasets() -> dict[str, pd.DataFrame]:
    from tradecoop.data.store import open_store

    fixture = pd.read_csv(FIXTURE, dtype={"hs92": str}).rename(
        columns={"origin": "location", "hs92": "product", "export_val": "value"})
    world = open_store(None).location_product_values("world_hs4_2017").to_pandas()
    return {"Stata fixture (HS92, 1995-1996)": fixture, "bundled world_hs4_2017": world}


def _ours(cy, *, diagonal_one: bool, numpy_sd: bool) -> dict[str, np.ndarray]:
    """Density, COG, COI and ECI recomputed from tradecoop's arrays, optionally with either of
    ecomplexity's conventions (phi_pp = 1; numpy's sd over locations)."""
    from tradecoop.complexity.product_space import proximity

    m = cy.m
    phi = proximity(m, cy.ubiquity)
    if diagonal_one:
        np.fill_diagonal(phi, 1.0)
    sums = phi.sum(axis=1)
    dens = (m @ phi.T) / sums
    kc = cy.eci * cy.sigma + cy.mu  # raw kc, kp (tradecoop stores the standardised values)
    kp = cy.pci * cy.sigma + cy.mu
    # both compute COG from the raw kp (un-centred: tradecoop's q = kp / sigma); ecomplexity
    # divides by numpy's sd of kc over locations (ddof 0), tradecoop by Stata's long-table sd,
    # and ecomplexity z-scores COI (from raw kp) over locations with ddof 0
    sd = kc.std() if numpy_sd else cy.sigma
    cog = (1 - m) * ((1 - m) @ (phi * ((kp / sd) / sums)[:, None]))
    coi = ((dens * (1 - m)) * kp).sum(axis=1)
    if numpy_sd:
        coi = (coi - coi.mean()) / coi.std()
    else:
        n = m.size
        coi = (coi - coi.mean()) / np.sqrt(m.shape[1] * np.sum((coi - coi.mean()) ** 2) / (n - 1))
    return {"density": dens, "cog": cog, "coi": coi, "eci": (kc - kc.mean()) / sd}


def _theirs(frame: pd.DataFrame, year: int, cy) -> dict[str, np.ndarray]:
    from ecomplexity import ecomplexity

    out = ecomplexity(frame[frame["year"] == year],
                      {"time": "year", "loc": "location", "prod": "product", "val": "value"},
                      check_logsupermodularity=False, verbose=False)
    out = out.set_index(["location", "product"])
    idx = pd.MultiIndex.from_product([cy.locations, cy.products])
    out = out.reindex(idx)
    shape = cy.m.shape
    return {"density": out["density"].to_numpy().reshape(shape),
            "cog": out["cog"].to_numpy().reshape(shape),
            "coi": out["coi"].to_numpy().reshape(shape)[:, 0],
            "eci": out["eci"].to_numpy().reshape(shape)[:, 0]}


def main() -> None:
    from tradecoop.complexity import compute_complexity

    print("| data | year | quantity | range (ecomplexity) | tradecoop - ecomplexity, max abs "
          "| with phi_pp = 1 | with numpy's sd | with both |")
    print("|---|---|---|---|---:|---:|---:|---:|")
    for name, frame in _datasets().items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = compute_complexity(frame, exclude_special=False)  # ecomplexity keeps them
            for year in result.years:
                cy = result[year]
                theirs = _theirs(frame, year, cy)
                ours = {"density": cy.density, "cog": cy.cog, "coi": cy.coi, "eci": cy.eci}
                variants = [_ours(cy, diagonal_one=d, numpy_sd=s)
                            for d, s in ((True, False), (False, True), (True, True))]
                for q in ("density", "cog", "coi", "eci"):
                    b = theirs[q]
                    cells = []
                    for a in (ours[q], *(v[q] for v in variants)):
                        ok = np.isfinite(a) & np.isfinite(b)
                        cells.append(f"{np.max(np.abs(a[ok] - b[ok])):.2g}")
                    print(f"| {name} | {year} | {q} | {np.nanmin(b):.3g} .. {np.nanmax(b):.3g} | "
                          + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
