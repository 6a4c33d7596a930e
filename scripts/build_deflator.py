"""Build ``usd_deflator.parquet``: the US GDP deflator as an index (2017 = 1), for constant-USD growth.

Source: rOpenSci tradestatistics (Apache-2.0), ``ots_gdp_deflator.rda`` — year-over-year GDP
deflator factors by country (World Bank WDI, via the package). We chain the United States' factors
into a price level: P(2017) = 1, P(t+1) = P(t) * factor(t -> t+1). Trade values in current USD are
turned into 2017 USD by ``value_t / P(t)``.

Run from the repository root with the shared raw data beside it:
``.venv/bin/python scripts/build_deflator.py [RAW_DIR]`` (default ``../shared/data/raw``).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pandas as pd

BASE_YEAR = 2017
OUT = Path(__file__).resolve().parents[1] / "src" / "tradecoop" / "data" / "datasets" / "usd_deflator.parquet"


def build(raw: Path) -> pd.DataFrame:
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdata: no constructor for data.table (read as data.frame)
        frame = rdata.read_rda(raw / "tradestatistics-r" / "ots_gdp_deflator.rda")["ots_gdp_deflator"]
    us = frame[frame["country_iso"] == "usa"].sort_values("year_from")
    factors = dict(zip(us["year_from"].astype(int), us["gdp_deflator"].astype(float), strict=True))
    first, last = min(factors), max(factors) + 1
    level = {BASE_YEAR: 1.0}
    for year in range(BASE_YEAR, last):
        level[year + 1] = level[year] * factors[year]
    for year in range(BASE_YEAR - 1, first - 1, -1):
        level[year] = level[year + 1] / factors[year]
    return pd.DataFrame({"year": sorted(level), "price_level": [level[y] for y in sorted(level)]})


if __name__ == "__main__":
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"
    table = build(raw)
    table.to_parquet(OUT, index=False)
    print(f"{OUT.name}: {len(table)} years {table['year'].min()}-{table['year'].max()}, "
          f"P({BASE_YEAR}) = 1")
