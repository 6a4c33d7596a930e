"""Synthetic, world-shaped trade data in CEPII BACI format, for tests and benchmarks.

Nothing here is an observation: the generator is seeded and deterministic, and every number is
made up. Shape (chosen to resemble BACI, Gaulier & Zignago 2010, CEPII WP 2010-23):

- countries: real ISO 3166-1 numeric/alpha-3 codes (the first ``n_countries`` of pycountry);
  products: real HS6 codes of the chosen vintage (an evenly spaced subset of ``n_products``);
- sizes: exporter supply ``s_i``, importer demand ``m_j`` ~ lognormal(0, 1.5); product popularity
  ``p_k`` ~ Pareto(a=1.2) (a few products carry most trade);
- sparsity: cell (i, j, k) is a flow with probability ``1 - exp(-c s_i m_j p_k)``, ``c`` set
  to hit the row target, so big exporters trade many products with many partners and small
  ones few (in BACI about 4% of exporter x importer x product cells are non-zero);
- values: thousand USD proportional to ``s_i m_j p_k`` x lognormal(0, 2) noise (heavy tails),
  a year summing to about 20 trillion USD; quantity in
  tonnes = value / a product unit value, ``NA`` for about 5% of rows (as BACI's missing q).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_YEARS = (2019, 2020, 2021, 2022)
VERSION = "V202401"
_SIGMA_SIZE = 1.5
_PARETO_A = 1.2
_SIGMA_NOISE = 2.0
_Q_MISSING = 0.05
#: a year's total value in thousand USD (20 trillion USD)
WORLD_TRADE_KUSD = 2e10


def _countries(n: int) -> pd.DataFrame:
    import pycountry

    rows = sorted((int(c.numeric), c.alpha_2, c.alpha_3, c.name) for c in pycountry.countries)
    if n > len(rows):
        raise ValueError(f"n_countries must be at most {len(rows)}, got {n}")
    frame = pd.DataFrame(rows[:n], columns=["country_code", "country_iso2", "country_iso3",
                                            "country_name"])
    return frame[["country_code", "country_name", "country_iso2", "country_iso3"]]


def _products(n: int, vintage: str) -> np.ndarray:
    from tradecoop.data.nomenclature.hs_codes import hs6_codes

    codes = np.array(sorted(hs6_codes(vintage)))
    if n > len(codes):
        raise ValueError(f"n_products must be at most {len(codes)} for {vintage}, got {n}")
    return codes[np.linspace(0, len(codes) - 1, n).round().astype(int)]


def _sizes(rng: np.random.Generator, n_countries: int, n_products: int):
    supply = rng.lognormal(0.0, _SIGMA_SIZE, n_countries)
    demand = rng.lognormal(0.0, _SIGMA_SIZE, n_countries)
    popularity = rng.pareto(_PARETO_A, n_products) + 1.0
    unit_value = rng.lognormal(1.0, 1.0, n_products)  # thousand USD per tonne
    return supply, demand, popularity, unit_value


def _calibrate(weights: tuple[np.ndarray, np.ndarray, np.ndarray], cells: int, wanted: float,
               rng: np.random.Generator) -> float:
    """``c`` such that the expected number of flows ``sum(1 - exp(-c w))`` is about ``wanted``.

    Estimated on a uniform sample of 400,000 cells, then solved by bisection on log c.
    """
    s, m, p = weights
    n = 400_000
    w = s[rng.integers(0, len(s), n)] * m[rng.integers(0, len(m), n)] * p[rng.integers(0, len(p), n)]
    target = wanted / cells
    lo, hi = -40.0, 40.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if -np.expm1(-np.exp(mid) * w).mean() < target:
            lo = mid
        else:
            hi = mid
    return float(np.exp(hi))


def synthetic_baci_frame(n_countries: int = 230, n_products: int = 5000,
                         years: tuple[int, ...] = DEFAULT_YEARS, seed: int = 0,
                         target_rows: int | None = None, vintage: str = "HS17") -> pd.DataFrame:
    """BACI-shaped flows ``t, i, j, k, v, q`` (numeric country codes, v thousand USD, q tonnes).

    Each cell (i, j, k), i != j, is a flow with probability ``1 - exp(-c s_i m_j p_k)``; ``c`` is
    calibrated so a year holds slightly more than ``target_rows / len(years)`` flows, then a
    random subset of exactly that many is kept. A year's values add up to about
    ``WORLD_TRADE_KUSD`` (20 trillion USD, the order of world merchandise trade).
    """
    rng = np.random.default_rng(seed)
    countries = _countries(n_countries)["country_code"].to_numpy()
    products = _products(n_products, vintage)
    supply, demand, popularity, unit_value = _sizes(rng, n_countries, n_products)
    per_year = (target_rows or 10_000 * len(years)) // len(years)
    cells = n_countries * (n_countries - 1) * n_products
    if per_year > cells:
        raise ValueError(f"target of {per_year} rows per year exceeds the {cells} possible cells")
    c = _calibrate((supply, demand, popularity), cells, min(per_year * 1.03 + 50, cells), rng)
    dp = np.outer(demand, popularity)
    parts = []
    for t_idx, year in enumerate(years):
        yrng = np.random.default_rng([seed, t_idx])
        chunks = []
        for i in range(n_countries):
            prob = -np.expm1(-c * supply[i] * dp)
            prob[i, :] = 0.0
            jj, kk = np.nonzero(yrng.random(prob.shape, dtype=np.float32) < prob)
            chunks.append(np.stack([np.full(len(jj), i), jj, kk], axis=1))
        ijk = np.concatenate(chunks)
        if len(ijk) > per_year:
            ijk = ijk[np.sort(yrng.choice(len(ijk), per_year, replace=False))]
        i, j, k = ijk[:, 0], ijk[:, 1], ijk[:, 2]
        w = supply[i] * demand[j] * popularity[k] * yrng.lognormal(0.0, _SIGMA_NOISE, len(i))
        v = np.round(w / w.sum() * WORLD_TRADE_KUSD + 0.001, 3)
        q = np.round(v / unit_value[k], 3)
        q[yrng.random(len(i)) < _Q_MISSING] = np.nan
        parts.append(pd.DataFrame({"t": year, "i": countries[i], "j": countries[j],
                                   "k": products[k], "v": v, "q": q}))
    return pd.concat(parts, ignore_index=True)


def generate_baci(out_dir: Path | str, n_countries: int = 230, n_products: int = 5000,
                  years: tuple[int, ...] = DEFAULT_YEARS, seed: int = 0,
                  target_rows: int | None = None, vintage: str = "HS17") -> Path:
    """Write synthetic BACI files into ``out_dir`` and return ``out_dir``.

    Files: ``BACI_{vintage}_Y{year}_V202401.csv`` per year (``t,i,j,k,v,q``; ``q`` = ``NA`` when
    missing), ``country_codes_V202401.csv`` and ``product_codes_{vintage}_V202401.csv``.
    ``target_rows`` is the total number of flow rows over all years (default 10,000 per year).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    flows = synthetic_baci_frame(n_countries, n_products, years, seed, target_rows, vintage)
    for year, part in flows.groupby("t", sort=True):
        table = pa.Table.from_pandas(part, preserve_index=False)
        for col, fill in (("v", None), ("q", "NA")):  # shortest decimal text; BACI's NA for q
            text = pc.cast(table[col], pa.string())
            table = table.set_column(table.schema.get_field_index(col), col,
                                     pc.fill_null(text, fill) if fill else text)
        target = out / f"BACI_{vintage}_Y{year}_{VERSION}.csv"
        with target.open("wb") as fh:
            fh.write(b"t,i,j,k,v,q\n")
            pacsv.write_csv(table, fh, write_options=pacsv.WriteOptions(
                include_header=False, quoting_style="none"))
    _countries(n_countries).to_csv(out / f"country_codes_{VERSION}.csv", index=False)
    pd.DataFrame({"code": _products(n_products, vintage),
                  "description": "synthetic product"}).to_csv(
        out / f"product_codes_{vintage}_{VERSION}.csv", index=False)
    return out


def synthetic_world_exports(n_countries: int = 230, n_products: int = 5000,
                            years: tuple[int, ...] = DEFAULT_YEARS, seed: int = 0,
                            density: float = 0.3) -> pd.DataFrame:
    """Exports to the world by location x product: ``year, location, product, value`` (USD).

    A cell is present with probability ``1 - exp(-c s_i p_k)`` (``c`` set so that about
    ``density`` of cells are non-zero); values are lognormal around ``s_i p_k``. For benchmarks
    of the complexity methods; locations are ISO alpha-3 codes, products HS17 codes.
    """
    rng = np.random.default_rng(seed)
    countries = _countries(n_countries)["country_iso3"].to_numpy()
    products = _products(n_products, "HS17")
    supply, _demand, popularity, _uv = _sizes(rng, n_countries, n_products)
    mass = np.outer(supply, popularity)
    c = -np.log1p(-density) / np.median(mass)
    parts = []
    for t_idx, year in enumerate(years):
        yrng = np.random.default_rng([seed, t_idx])
        present = yrng.random(mass.shape) < -np.expm1(-c * mass)
        ii, kk = np.nonzero(present)
        value = mass[ii, kk] * 1e6 * yrng.lognormal(0.0, 1.0, len(ii))
        parts.append(pd.DataFrame({"year": year, "location": countries[ii],
                                   "product": products[kk], "value": value}))
    return pd.concat(parts, ignore_index=True)
