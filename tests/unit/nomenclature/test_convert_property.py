"""Property: converting values between HS vintages conserves totals (equal split)."""

from __future__ import annotations

import warnings

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecoop.data.nomenclature.concordances import convert_hs, vintage_links

#: relative tolerance on the total after splitting and re-summing doubles
REL_TOL = 1e-9
PAIRS = [("HS12", "HS17"), ("HS17", "HS22"), ("HS12", "HS22"), ("HS22", "HS12")]


@settings(max_examples=25, deadline=None)
@given(
    pair=st.sampled_from(PAIRS),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=30),
    values=st.lists(st.floats(min_value=0, max_value=1e12), min_size=30, max_size=30),
)
def test_totals_conserved(pair: tuple[str, str], picks: list[int], values: list[float]) -> None:
    a, b = pair
    sources = sorted(vintage_links(a, b)["source"].unique())
    codes = [sources[i % len(sources)] for i in picks]
    frame = pd.DataFrame({"year": 2020, "product": codes, "value_usd": values[: len(codes)]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = convert_hs(frame, a, b)
    total = frame["value_usd"].sum()
    assert abs(out["value_usd"].sum() - total) <= REL_TOL * max(total, 1.0)
    assert (out["value_usd"] >= 0).all()
