"""ComplexityOptions: one frozen object for the columns and the method, keywords override it."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from tradecoop.complexity import ComplexityOptions, compute_complexity, iter_complexity
from tradecoop.errors import DataValidationError

FRAME = pd.DataFrame({"yr": 2017, "loc": list("AAABBBCCDD"), "prod": list("pqrpqsqrrs"),
                      "v": [5.0, 3, 1, 1, 4, 2, 3, 4, 2, 6]})
COLUMNS = ComplexityOptions(year_col="yr", location_col="loc", product_col="prod", value_col="v")


def test_an_options_object_and_keywords_give_the_same_result():
    by_object = compute_complexity(FRAME, dataclasses.replace(COLUMNS, threshold=0.8))
    by_keywords = compute_complexity(FRAME, year_col="yr", location_col="loc", product_col="prod",
                                     value_col="v", threshold=0.8)
    by_both = compute_complexity(FRAME, COLUMNS, threshold=0.8)
    for other in (by_keywords, by_both):
        pd.testing.assert_frame_equal(by_object.to_frame(), other.to_frame())
    assert by_object.options["threshold"] == 0.8 and by_object.options["method"] == "eigenvector"
    assert [y.year for y in iter_complexity(FRAME, COLUMNS)] == [2017]


def test_options_are_frozen_and_checked():
    with pytest.raises(dataclasses.FrozenInstanceError):
        COLUMNS.threshold = 2.0  # type: ignore[misc]
    with pytest.raises(DataValidationError, match="unknown complexity option"):
        compute_complexity(FRAME, COLUMNS, treshold=1.0)
    with pytest.raises(DataValidationError, match="method must be one of"):
        compute_complexity(FRAME, COLUMNS, method="pagerank")
    with pytest.raises(DataValidationError, match="threshold must be a positive number"):
        ComplexityOptions(threshold=0.0).check()
