"""The US GDP deflator as a price level (2017 = 1), for growth in constant USD.

Bundled as ``usd_deflator.parquet`` by ``scripts/build_deflator.py`` (rOpenSci tradestatistics,
World Bank WDI factors; DATA.md). Trade values in current USD divided by the level of their year are
in constant 2017 USD.
"""

from __future__ import annotations

import pandas as pd


def usd_price_level() -> dict[int, float]:
    """US GDP deflator as a price level, 2017 = 1 (bundled ``usd_deflator.parquet``; see DATA.md)."""
    from importlib import resources

    path = resources.files("tradecoop.data").joinpath("datasets", "usd_deflator.parquet")
    try:
        frame = pd.read_parquet(str(path))
    except (OSError, ValueError):
        return {}
    return dict(zip(frame["year"].astype(int), frame["price_level"].astype(float), strict=True))
