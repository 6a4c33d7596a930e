"""Property: any valid bilateral table written as CSV comes back unchanged through the csv importer."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
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


BACI_COUNTRIES = {"112": "BLR", "643": "RUS", "251": "FRA", "250": "FRA", "398": "KAZ",
                  "490": None}  # 251 and 250: two codes of one country; 490: no ISO code
baci_rows = st.lists(
    st.tuples(st.integers(1995, 2024), st.sampled_from(sorted(BACI_COUNTRIES)),
              st.sampled_from(sorted(BACI_COUNTRIES)), st.sampled_from(CODES),
              st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
              st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False, allow_infinity=False)),
              st.booleans()),
    min_size=1, max_size=40, unique_by=lambda r: (r[0], r[1], r[2], r[3]),
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=baci_rows)
def test_baci_typed_pass_equals_text_path(tmp_path_factory, monkeypatch, rows):
    """Any BACI file (in any row order, with padded NA and codes without zeros): the one-pass
    typed import and the text path accept or reject it alike and write the same table."""
    from tradecoop.data.sources import baci
    from tradecoop.errors import DataValidationError

    tmp = tmp_path_factory.mktemp("baci")
    lines = ["t,i,j,k,v,q"]
    for t, i, j, k, v, q, short in rows:
        code = k.lstrip("0") if short else k  # BACI's own files drop leading zeros
        lines.append(f"{t},{i},{j},{code},{v!r},{'         NA' if q is None else repr(q)}")
    (tmp / "BACI_HS17_Y2022_V202401.csv").write_text("\n".join(lines) + "\n")
    (tmp / "country_codes_V202401.csv").write_text(
        "country_code,iso_3digit_alpha\n"
        + "".join(f"{c},{iso or 'N/A'}\n" for c, iso in BACI_COUNTRIES.items()))
    results = []
    for fast in (True, False):
        monkeypatch.setattr(baci, "FAST_PATH", fast)
        store = open_store(tmp / f"store{fast}")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataQualityWarning)
                out = import_files("baci", [tmp / "BACI_HS17_Y2022_V202401.csv"], store=store,
                                   name="b")
            results.append((store.frame("b"), out.info.notes))
        except DataValidationError as exc:
            results.append(str(exc))
    if isinstance(results[0], str) or isinstance(results[1], str):
        assert results[0] == results[1]
        return
    (fast_frame, fast_notes), (text_frame, text_notes) = results
    # the same rows; the order may differ (the text path's joins do not keep the file's order)
    keys = ["year", "exporter", "importer", "product"]
    pd.testing.assert_frame_equal(fast_frame.sort_values(keys).reset_index(drop=True),
                                  text_frame.sort_values(keys).reset_index(drop=True),
                                  check_exact=True)
    assert fast_notes == text_notes
    kept = [r for r in rows if BACI_COUNTRIES[r[1]] and BACI_COUNTRIES[r[2]]]
    assert len(fast_frame) == len(kept)
    assert fast_frame["value_usd"].sum() == pytest.approx(sum(r[4] for r in kept) * 1000)
