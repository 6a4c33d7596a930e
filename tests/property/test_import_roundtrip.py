"""Property: any valid bilateral table written as CSV comes back unchanged through the csv importer."""

from __future__ import annotations

import warnings

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradecoop.data.nomenclature.hs_codes import hs6_codes
from tradecoop.data.sources import import_files
from tradecoop.data.store import open_store
from tradecoop.errors import DataQualityWarning

CODES = sorted(hs6_codes("HS17"))[:200]
COUNTRIES = ["BLR", "RUS", "KAZ", "CHN", "DEU", "USA"]

rows = st.lists(
    st.tuples(st.integers(1995, 2024), st.sampled_from(COUNTRIES), st.sampled_from(COUNTRIES),
              st.sampled_from(CODES),
              st.floats(0, 1e12, allow_nan=False, allow_infinity=False)),
    min_size=1, max_size=30, unique_by=lambda r: r[:4],
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows)
def test_csv_roundtrip(tmp_path_factory, rows):
    tmp = tmp_path_factory.mktemp("rt")
    frame = pd.DataFrame(rows, columns=["year", "exporter", "importer", "product", "value_usd"])
    frame.to_csv(tmp / "in.csv", index=False)
    store = open_store(tmp / "store")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        import_files("csv", [tmp / "in.csv"], store=store, name="rt", hs_vintage="HS17",
                     mapping="year=year,exporter=exporter,importer=importer,product=product,"
                             "value=value_usd")
    back = store.frame("rt")[frame.columns.tolist()]
    keys = ["year", "exporter", "importer", "product"]
    left = frame.sort_values(keys).reset_index(drop=True)
    right = back.sort_values(keys).reset_index(drop=True).astype({"year": "int64"})
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-15)
