"""Property tests (hypothesis) for the bilateral indicators and the estimator's margins."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tradecoop.data.estimation import proportional_flows
from tradecoop.indicators import complementarity as comp
from tradecoop.indicators.concentration import hhi, hhi_normalised

PRODUCTS = list("abcdefgh")
#: float tolerance for identities that hold exactly in real arithmetic
EPS = 1e-9

values = st.lists(st.floats(0, 1e9, allow_nan=False), min_size=len(PRODUCTS), max_size=len(PRODUCTS))


def _series(v) -> pd.Series:
    return pd.Series(v, index=PRODUCTS, dtype=float)


def _nonzero(v) -> bool:
    return sum(v) > 0


@settings(max_examples=60, deadline=None)
@given(values, values, st.floats(0.01, 1e3))
def test_tc_esi_bounded_and_scale_free(x, m, scale):
    if not (_nonzero(x) and _nonzero(m)):
        return
    tc = comp.trade_complementarity(_series(x), _series(m))
    assert -EPS <= tc <= 100 + EPS
    assert abs(comp.trade_complementarity(_series(x) * scale, _series(m)) - tc) < 1e-6
    esi = comp.export_similarity(_series(x), _series(m))
    assert abs(esi - comp.export_similarity(_series(m), _series(x))) < 1e-9   # symmetric
    # for two share vectors sum min = 1 - sum |diff| / 2, so ESI and TC coincide on the same inputs
    assert abs(esi - tc) < 1e-6


@settings(max_examples=60, deadline=None)
@given(values, values)
def test_grubel_lloyd_in_unit_interval_and_adjusted_not_below(x, m):
    if not (_nonzero(x) or _nonzero(m)):
        return
    gl = comp.grubel_lloyd(_series(x), _series(m))
    assert ((gl >= -EPS) & (gl <= 1 + EPS)).all()
    agg = comp.grubel_lloyd_aggregate(_series(x), _series(m))
    adj = comp.grubel_lloyd_adjusted(_series(x), _series(m))
    assert -EPS <= agg <= 1 + EPS
    if np.isfinite(adj):
        assert agg <= adj + EPS and adj <= 1 + EPS


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1e-3, 1e9), min_size=2, max_size=30))
def test_hhi_bounds(v):
    n = len(v)
    h = hhi(v)
    assert 1.0 / n - EPS <= h <= 1.0 + EPS
    hs = hhi_normalised(v)
    assert -EPS <= hs <= 1.0 + EPS


@settings(max_examples=40, deadline=None)
@given(arrays(float, (4, 6), elements=st.floats(0, 1e6)), arrays(float, (4, 5), elements=st.floats(0, 1e6)))
def test_proportional_flows_reproduce_margins(x_ik, b_ij):
    cube = proportional_flows(x_ik, b_ij)
    has_partner = b_ij.sum(axis=1) > 0
    np.testing.assert_allclose(cube.sum(axis=1)[has_partner], x_ik[has_partner], rtol=1e-9, atol=1e-6)
    shares = b_ij[has_partner] / b_ij[has_partner].sum(axis=1, keepdims=True)
    expected = shares * x_ik[has_partner].sum(axis=1, keepdims=True)
    np.testing.assert_allclose(cube.sum(axis=2)[has_partner], expected, rtol=1e-9, atol=1e-6)
    assert (cube >= 0).all()
