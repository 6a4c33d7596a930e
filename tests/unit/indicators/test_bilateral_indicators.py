"""Aggregate bilateral indicators on cases checked by hand (docs/methods.md section 1)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tradecoop.indicators import bilateral as b


def test_turnover_balance_relative_balance_by_hand():
    # X = 30, M = 10: T = 40, B = 20, X/M = 3, (X - M)/(X + M) = 20/40 = 0.5
    assert b.turnover(30.0, 10.0) == 40.0
    assert b.balance(30.0, 10.0) == 20.0
    assert b.coverage(30.0, 10.0) == 3.0
    assert b.relative_balance(30.0, 10.0) == 0.5
    # deficit: X = 10, M = 30 -> B = -20, relative balance -0.5
    assert b.balance(10.0, 30.0) == -20.0
    assert b.relative_balance(10.0, 30.0) == -0.5


def test_coverage_is_nan_with_reason_when_imports_are_zero():
    assert math.isnan(b.coverage(5.0, 0.0))
    assert b.coverage_note(0.0) == b.NOTE_NO_IMPORTS
    assert b.coverage_note(2.0) is None
    # arrays: [4/2, 1/0] -> [2, NaN], never inf
    out = b.coverage(np.array([4.0, 1.0]), np.array([2.0, 0.0]))
    assert out[0] == 2.0 and math.isnan(out[1])
    assert not np.isinf(out).any()


def test_relative_balance_nan_without_trade():
    assert math.isnan(b.relative_balance(0.0, 0.0))


def test_cagr_by_hand():
    # 100 -> 121 over 2 years: (1.21)^(1/2) - 1 = 1.1 - 1 = 0.1
    assert b.cagr(100.0, 121.0, 2) == pytest.approx(0.1, abs=1e-12)
    # 200 -> 100 over 1 year: 0.5 - 1 = -0.5
    assert b.cagr(200.0, 100.0, 1) == pytest.approx(-0.5, abs=1e-12)


@pytest.mark.parametrize(("v0", "vt", "years", "note"), [
    (0.0, 10.0, 4, b.NOTE_CAGR_NONPOSITIVE),
    (10.0, 0.0, 4, b.NOTE_CAGR_NONPOSITIVE),
    (-5.0, 10.0, 4, b.NOTE_CAGR_NONPOSITIVE),   # e.g. a balance: never
    (10.0, 20.0, 0, b.NOTE_CAGR_SPAN),
])
def test_cagr_undefined_for_nonpositive_endpoints(v0, vt, years, note):
    assert math.isnan(b.cagr(v0, vt, years))
    assert b.cagr_note(v0, vt, years) == note


def test_cagr_vectorised_mixes_defined_and_undefined():
    out = b.cagr(np.array([100.0, 0.0]), np.array([121.0, 5.0]), 2)
    assert out[0] == pytest.approx(0.1) and math.isnan(out[1])
