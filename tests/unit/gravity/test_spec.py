"""GravitySpec: formula building and parsing, column checks."""

from __future__ import annotations

import pytest

from tradecoop.errors import DataValidationError
from tradecoop.gravity import GravitySpec


def test_default_formula_is_structural_gravity() -> None:
    spec = GravitySpec()
    assert spec.formula == "trade ~ ln_dist + cntg + lang + clny | exporter^year + importer^year"


def test_parse_round_trips() -> None:
    text = "trade ~ ln_dist + cntg + rta | exporter^year + importer^year + pair_id"
    spec = GravitySpec.from_formula(text, years=[1986, 1990], international_only=True)
    assert spec.dependent == "trade"
    assert spec.covariates == ("ln_dist", "cntg", "rta")
    assert spec.fixed_effects == ("exporter^year", "importer^year", "pair_id")
    assert spec.years == (1986, 1990)
    assert spec.formula == text


def test_columns_skip_functions_and_split_interactions() -> None:
    spec = GravitySpec.from_formula("trade ~ log(gdp) + cntg | exporter^year")
    assert spec.columns() == ("trade", "gdp", "cntg", "exporter", "year")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("trade ln_dist", "expected 'dependent ~ covariates"),
        ("trade ~ | exporter^year", "at least one covariate"),
        ("trade ~ x | fe | z ~ w", "at most one '|'"),
    ],
)
def test_bad_formula_is_explained(text: str, message: str) -> None:
    with pytest.raises(DataValidationError, match=message):
        GravitySpec.from_formula(text)


def test_unknown_column_is_named() -> None:
    spec = GravitySpec.from_formula("trade ~ ln_dist + gdp_o | exporter^year")
    with pytest.raises(DataValidationError, match="names column\\(s\\) gdp_o") as info:
        spec.check_columns(["trade", "dist", "exporter", "year"])
    assert "available columns: dist, exporter, trade, year" in str(info.value)


def test_ln_dist_counts_as_present_when_dist_is() -> None:
    GravitySpec.from_formula("trade ~ ln_dist | exporter").check_columns(["trade", "dist", "exporter"])
