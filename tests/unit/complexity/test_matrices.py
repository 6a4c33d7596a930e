"""RCA, RPOP, presence, input validation on matrices small enough to check by hand."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from tradecoop.complexity import compute_complexity
from tradecoop.complexity.matrices import (
    is_special_product,
    presence,
    rca,
    rpop,
    validate_given_presence,
    year_matrices,
)
from tradecoop.errors import DataQualityWarning, DataValidationError


def test_rca_3x3_by_hand():
    # x = [[2,0,2],[1,1,0],[1,3,0]]: row totals 4, 2, 4; column totals 4, 4, 2; world 10.
    # world shares 0.4, 0.4, 0.2.  RCA_00 = (2/4)/0.4 = 1.25; RCA_02 = (2/4)/0.2 = 2.5;
    # RCA_10 = (1/2)/0.4 = 1.25; RCA_11 = 1.25; RCA_20 = (1/4)/0.4 = 0.625; RCA_21 = (3/4)/0.4 = 1.875
    x = np.array([[2.0, 0, 2], [1, 1, 0], [1, 3, 0]])
    expected = np.array([[1.25, 0, 2.5], [1.25, 1.25, 0], [0.625, 1.875, 0]])
    np.testing.assert_allclose(rca(x), expected, rtol=1e-15)
    np.testing.assert_array_equal(presence(rca(x)), expected >= 1)


def test_rca_tie_of_exactly_one_is_present():
    # every location has the world's mix: RCA = (1/2)/(2/4) = 1 exactly -> M = 1 (pinned >=)
    x = np.array([[1.0, 1.0], [1.0, 1.0]])
    assert (rca(x) == 1.0).all()
    assert (presence(rca(x)) == 1.0).all()


def test_rpop_by_hand():
    # x = [[2, 1], [2, 3]], population (1, 3): column totals 4, 4; population shares .25, .75
    # RPOP_00 = (2/4)/.25 = 2; RPOP_01 = (1/4)/.25 = 1; RPOP_10 = (2/4)/.75 = 2/3; RPOP_11 = 1
    got = rpop(np.array([[2.0, 1.0], [2.0, 3.0]]), np.array([1.0, 3.0]))
    np.testing.assert_allclose(got, [[2.0, 1.0], [2 / 3, 1.0]], rtol=1e-15)


def test_given_presence_must_be_binary():
    assert validate_given_presence([[0, 1], [1, 1]]).dtype == np.float64
    with pytest.raises(DataValidationError, match=r"0/1; 1 cells.*row 1, column 0, value 2"):
        validate_given_presence([[0, 1], [2, 1]])


@pytest.mark.parametrize(
    ("code", "special"),
    [("7108", True), ("710812", True), ("9999", True), ("999999", True), ("XXXX", True),
     ("xxxxxx", True), ("8701", False), ("870120", False), ("71", False), (7108, True),
     ("ab", False), ("0710", False)],
)
def test_special_codes(code, special):
    assert is_special_product(code) is special


def _frame(**over):
    base = {"year": [2017] * 4, "location": ["A", "A", "B", "B"], "product": ["0101", "7108", "0101", "0202"],
            "value": [1.0, 5.0, 2.0, 0.0]}
    base.update(over)
    return pd.DataFrame(base)


def test_year_matrices_excludes_special_and_empty():
    with pytest.warns(DataQualityWarning, match=r"excluded 1 rows of 1 special HS codes"):
        (ym,) = year_matrices(_frame(), "year", "location", "product", "value")
    # 0202 has total 0 -> dropped; 7108 excluded
    assert ym.products.tolist() == ["0101"]
    np.testing.assert_array_equal(ym.values, [[1.0], [2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (ym,) = year_matrices(_frame(), "year", "location", "product", "value", exclude_special=False)
    assert ym.products.tolist() == ["0101", "7108"]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (_frame().drop(columns="value"), r"missing column\(s\) \['value'\]"),
        (_frame(value=[1.0, -2.0, 1.0, 1.0]), r"non-negative; 1 rows are negative \(first: year=2017, location=A, product=7108, line 3\)"),
        (_frame(value=[1.0, np.nan, 1.0, 1.0]), r"1 rows are NaN or infinite"),
        (_frame(product=["0101", "0101", "0101", "0202"]), r"must appear once; 1 duplicate rows \(first: .*line 3\)"),
        (_frame(value=["a", "b", "c", "d"]), r"`value` must be numeric"),
        (_frame(location=[None, "A", "B", "B"]), r"`location` must not be empty; 1 rows are missing \(first: year=2017, location=None, product=0101, line 2\)"),
        (_frame(product=["0101", "7108", "0202", "0202"]), r"duplicate rows \(first: year=2017, location=B, product=0202, line 5\)"),
    ],
)
@pytest.mark.parametrize("as_arrow", [False, True], ids=["pandas", "arrow"])
@pytest.mark.filterwarnings("ignore::tradecoop.errors.DataQualityWarning")
def test_compute_complexity_rejects_bad_input(frame, message, as_arrow):
    """The same rules and messages for a DataFrame and for an Arrow table (what the CLI reads)."""
    import pyarrow as pa

    given = pa.Table.from_pandas(frame, preserve_index=False) if as_arrow else frame
    with pytest.raises(DataValidationError, match=message):
        compute_complexity(given)


def test_bad_options_rejected():
    frame = _frame()
    with pytest.raises(DataValidationError, match="method must be one of"):
        compute_complexity(frame, method="pagerank")
    with pytest.raises(DataValidationError, match="need a population frame"):
        compute_complexity(frame, rca_mode="rpop")
    with pytest.raises(DataValidationError, match="threshold must be a positive"):
        compute_complexity(frame, threshold=0)


def test_given_presence_column_must_be_binary():
    frame = _frame(value=[1.0, 1.0, 1.0, 1.0]).assign(given=[1, 0, 2, 1])
    with pytest.raises(DataValidationError, match=r"`given` must be 0 or 1; 1 rows.*location=B, product=0101, line 4"):
        compute_complexity(frame, M="given", exclude_special=False)
