"""The Brief model: JSON-serialisable, validated at construction with clear messages."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from _reports_fixtures import PAIR, TEST_SOURCE

from tradecoop.errors import DataValidationError
from tradecoop.reports.model import (
    Brief,
    Figure,
    Opportunity,
    OpportunityGroup,
    Potential,
    StructureRow,
    Table,
    TurnoverSeries,
)


def _opportunity(**changes: object) -> Opportunity:
    base = Opportunity("supply_ab", "8701", "Tractors", "Тракторы", 0.75, 1,
                       {"rca": 0.5, "import_demand": 0.375, "reexport_risk": -0.125},
                       1.25e9, "untapped_potential", False)
    return replace(base, **changes)


def test_to_dict_is_json_serialisable_and_complete(brief: Brief) -> None:
    data = brief.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    back = json.loads(text)
    assert back["pair"]["name_a_ru"] == "Беларусь"
    assert back["series"]["missing_ba"][2] is True  # 2000 is a non-report
    assert back["opportunities"][0]["items"][0]["contributions"] == {
        "rca": 0.5, "import_demand": 0.375, "reexport_risk": -0.125}
    assert back["unavailable"] == {}
    assert brief.estimated is True


def test_from_dict_inverts_to_dict_through_json(brief: Brief) -> None:
    again = Brief.from_dict(json.loads(json.dumps(brief.to_dict())))
    assert again == brief
    with pytest.raises(DataValidationError, match="not a Brief dictionary"):
        Brief.from_dict({"pair": {}})


def test_contributions_must_sum_to_the_score() -> None:
    # 0.5 + 0.375 - 0.125 = 0.75, so 0.8 is off by 0.05
    with pytest.raises(DataValidationError, match="sum to the score 0.8; they sum to 0.75"):
        _opportunity(score=0.8)
    with pytest.raises(DataValidationError, match="contributions; found none"):
        _opportunity(contributions={}, score=0.0)


def test_unknown_type_unit_level_and_language_are_rejected() -> None:
    with pytest.raises(DataValidationError, match="one of supply_ab"):
        _opportunity(type="supply")
    with pytest.raises(DataValidationError, match="unit must be one of"):
        Figure("figure.turnover", 1.0, "rub", False, TEST_SOURCE)
    with pytest.raises(DataValidationError, match="found 'de'"):
        Brief(PAIR, 2016, "de", "2026-11-29T09:40:00+00:00")


def test_values_must_be_finite_and_shares_in_range() -> None:
    with pytest.raises(DataValidationError, match="finite number; found nan"):
        Figure("figure.turnover", float("nan"), "usd", False, TEST_SOURCE)
    with pytest.raises(DataValidationError, match=r"share must be in \[0, 1\]; found 1.5"):
        StructureRow("XVI", "Machinery", "Машины", 1.0, 1.5)


def test_series_lengths_and_order_are_checked() -> None:
    with pytest.raises(DataValidationError, match="exports_ba must have one entry per year"):
        TurnoverSeries((2015, 2016), (1.0, 2.0), (1.0,), (2.0, 4.0), (0.0, 0.0),
                       (False, False), (False, False), TEST_SOURCE)
    with pytest.raises(DataValidationError, match="strictly increasing"):
        TurnoverSeries((2016, 2015), (1.0, 2.0), (1.0, 2.0), (2.0, 4.0), (0.0, 0.0),
                       (False, False), (False, False), TEST_SOURCE)


def test_table_rows_must_match_columns() -> None:
    with pytest.raises(DataValidationError, match="row 2 must have 2 cells"):
        Table(("col.product", "col.share"), (("8701", 0.5), ("8704",)))


def test_potential_range_must_contain_the_prediction() -> None:
    with pytest.raises(DataValidationError, match="low <= predicted <= high"):
        Potential("ab", 1.0, 5.0, 6.0, 7.0, (2012, 2016), "PPML")


def test_group_items_match_the_group_and_empty_groups_say_why() -> None:
    with pytest.raises(DataValidationError, match="holds an opportunity of type 'supply_ab'"):
        OpportunityGroup("supply_ba", (_opportunity(),))
    with pytest.raises(DataValidationError, match="give the reason"):
        OpportunityGroup("joint_entry", ())


def test_an_empty_section_needs_a_reason(brief: Brief) -> None:
    with pytest.raises(DataValidationError, match="no content and no reason for: agreements"):
        replace(brief, agreements=None)
    ok = replace(brief, agreements=None, unavailable={"agreements": "no treaty data (test)"})
    assert ok.agreements is None
    with pytest.raises(DataValidationError, match="section must be one of"):
        replace(brief, unavailable={"treaties": "x"})


def test_with_lang_keeps_everything_else(brief: Brief) -> None:
    ru = brief.with_lang("ru")
    assert ru.lang == "ru" and replace(ru, lang="en") == brief
