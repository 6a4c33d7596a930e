"""Use case: the bilateral profile of a pair, read from the store and built by
:func:`tradecoop.indicators.profile.build_profile` (the pure part).

The one place the profile's datasets are read: the bundled (or imported) bilateral totals and
world exports, and an observed product-level file of the pair where the store holds one
(``bilateral_flows`` from BACI or a mapped CSV; ``reported_flows`` from Russian customs
regional files or Comtrade), whose reporter is named in the provenance.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tradecoop.errors import NotFoundError
from tradecoop.indicators.profile import (
    BILATERAL_TOTALS_DATASET,
    WORLD_EXPORTS_DATASET,
    BilateralProfile,
    build_profile,
)
from tradecoop.services.request import PairData, PairRequest


def _load(name: str, handle: Any) -> tuple[pd.DataFrame, Any]:
    """Read a dataset (bundled or imported) and its provenance through the store."""
    return handle.read(name), handle.info(name)


def _observed_pair_flows(a: str, b: str, handle: Any) -> tuple[pd.DataFrame, Any] | None:
    """Product-level flows of a and b from an imported file that has the pair, if any.

    Looks at ``bilateral_flows`` (BACI, mapped CSV) and ``reported_flows`` (Russian customs
    regional files, Comtrade) datasets. A reported file keeps one reporter's view: a region of
    the pair when it reports (an FCS file of RU-CHE), else ``a``, else ``b``; the reporter is
    named in the provenance. Returns every row with a or b as exporter or importer, so a world
    file (BACI) or a region's file with all its partners also gives imports from every supplier
    (observed TC and dependency).
    """
    for info in handle.datasets():
        if info.table not in ("bilateral_flows", "reported_flows") or info.estimated:
            continue
        pair = handle.frame(info.name, exporter=[a, b], importer=[a, b])
        pair = pair[pair["exporter"] != pair["importer"]]
        reporter = None
        if info.table == "reported_flows" and not pair.empty:
            present = set(pair["reporter"])
            reporter = next((c for c in sorted((a, b), key=lambda c: "-" not in c) if c in present), None)
            pair = pair[pair["reporter"] == reporter]
        if pair.empty or not {a, b} <= set(pair["exporter"]):
            continue
        # with the pair's other partners: imports from every supplier and exports to every market
        rows = pd.concat([handle.frame(info.name, importer=[a, b]), handle.frame(info.name, exporter=[a, b])])
        if reporter is not None:
            rows = rows[rows["reporter"] == reporter]
        rows = rows.drop_duplicates(subset=[c for c in ("year", "exporter", "importer", "product")])
        rows = rows[rows["exporter"] != rows["importer"]]
        if reporter is not None:
            rows.attrs["reporter"] = reporter
        return rows, info
    return None


def pair_profile(request: PairRequest, *, years: tuple[int, int] | None = None,
                 data: PairData | None = None) -> BilateralProfile:
    """Bilateral profile of the request's pair (``a`` is the reporting side: "A->B" are a's exports).

    ``years`` (first, last) bounds the aggregate series, inclusive (default: all; with
    ``request.year`` only, up to that year). ``data`` shares the open store with the other
    sections of the same answer.

    Raises
    ------
    NotFoundError
        If a location has no data, or a region (``RU-CHE``) has no regional trade file in the store.
    """
    a, b = request.a, request.b
    if years is None and request.year is not None:
        years = (0, request.year)
    handle = (data if data is not None else PairData(request)).store
    observed = _observed_pair_flows(a, b, handle)
    for code in (a, b):
        if "-" in code and observed is None:
            raise NotFoundError(
                f"{code} is a region: its profile needs a regional trade file (an FCS regional "
                f"import such as `tradecoop data import fcs-region FILE`); the store holds none for "
                f"{code}, and the bundled data are country-level only"
            )
    totals, totals_info = _load(BILATERAL_TOTALS_DATASET, handle)
    world, world_info = _load(WORLD_EXPORTS_DATASET, handle)
    return build_profile(a, b, totals, world, years=years, totals_info=totals_info,
                         world_info=world_info, observed=observed)
