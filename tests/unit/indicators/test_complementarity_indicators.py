"""Trade intensity, complementarity, similarity and Grubel-Lloyd on hand-checked cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tradecoop.indicators import complementarity as c


def s(**kw) -> pd.Series:
    return pd.Series(kw, dtype=float)


def test_trade_intensity_by_hand():
    # i sends 20 of its 100 to j (20%); j takes 100 of the world's 2,000 (5%): 0.20 / 0.05 = 4
    assert c.trade_intensity(20.0, 100.0, 100.0, 2000.0) == pytest.approx(4.0)
    assert math.isnan(c.trade_intensity(1.0, 0.0, 5.0, 10.0))


def test_trade_complementarity_identical_is_100_disjoint_is_0():
    assert c.trade_complementarity(s(a=2, b=1), s(a=20, b=10)) == pytest.approx(100.0)
    assert c.trade_complementarity(s(a=1, b=1), s(c=3, d=1)) == pytest.approx(0.0)


def test_trade_complementarity_partial_by_hand():
    # x shares (a 0.5, b 0.5); m shares (a 0.25, b 0.25, c 0.5)
    # sum |m - x| = 0.25 + 0.25 + 0.5 = 1.0 -> TC = 100 * (1 - 1/2) = 50
    assert c.trade_complementarity(s(a=1, b=1), s(a=1, b=1, c=2)) == pytest.approx(50.0)


def test_export_similarity_by_hand():
    # shares i (a 0.6, b 0.4), j (a 0.2, b 0.3, c 0.5): mins 0.2 + 0.3 + 0 = 0.5 -> 50
    assert c.export_similarity(s(a=6, b=4), s(a=2, b=3, c=5)) == pytest.approx(50.0)
    assert c.export_similarity(s(a=1), s(a=9)) == pytest.approx(100.0)
    assert c.export_similarity(s(a=1), s(b=9)) == pytest.approx(0.0)


def test_grubel_lloyd_per_product_excludes_no_trade_lines():
    # a: X 3, M 1 -> 1 - 2/4 = 0.5; b: X 2, M 2 -> 1; c: X 5, M 0 -> 0; d: no trade -> excluded
    gl = c.grubel_lloyd(s(a=3, b=2, c=5, d=0), s(a=1, b=2, c=0, d=0))
    assert gl.to_dict() == {"a": 0.5, "b": 1.0, "c": 0.0}


def test_grubel_lloyd_aggregate_and_adjusted_by_hand():
    x, m = s(a=3, b=2, c=5), s(a=1, b=2, c=0)
    # sum |X - M| = 2 + 0 + 5 = 7; sum (X + M) = 4 + 4 + 5 = 13 -> GL = 1 - 7/13 = 6/13
    assert c.grubel_lloyd_aggregate(x, m) == pytest.approx(6 / 13)
    # imbalance |10 - 3| = 7 -> adjusted = (13 - 7) / (13 - 7) = 1
    assert c.grubel_lloyd_adjusted(x, m) == pytest.approx(1.0)
    # balanced overall: X (a 3, b 1), M (a 1, b 3): GL = 1 - 4/8 = 0.5 = adjusted (no imbalance)
    assert c.grubel_lloyd_adjusted(s(a=3, b=1), s(a=1, b=3)) == pytest.approx(0.5)
    assert math.isnan(c.grubel_lloyd_adjusted(s(a=3), s(a=0)))   # one-way trade


def test_iit_type_unit_value_band():
    # ratios 1.10 (inside 1.15), 1/1.2 (outside), 1.15 (edge, inside), missing quantity
    out = c.iit_type([11.0, 10.0, 11.5, float("nan")], [10.0, 12.0, 10.0, 1.0])
    assert out.tolist() == ["horizontal", "vertical", "horizontal", None]
