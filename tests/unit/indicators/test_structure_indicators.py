"""Structure by group and top products on hand-checked flows."""

from __future__ import annotations

import pandas as pd
import pytest

from tradecoop.errors import DataValidationError
from tradecoop.indicators import structure as st

FLOW = pd.DataFrame({
    "product": ["8701", "8704", "7208", "0406", "9999"],
    "value_usd": [40.0, 20.0, 25.0, 10.0, 5.0],
})


def test_hs_sections_from_chapters():
    # chapters 84-85 are section XVI, 86-89 XVII, 72-83 XV, 01-05 I, 97 XXI, 99 not a section
    assert [st.hs_section_of(c) for c in ["8479", "8701", "7208", "0406", "9701", "9999"]] == [
        "XVI", "XVII", "XV", "I", "XXI", st.UNCLASSIFIED]


def test_structure_by_section_shares_add_to_one():
    out = st.by_hs_section(FLOW).set_index("group")
    # XVII = 40 + 20 = 60 of 100; XV 25; I 10; unclassified 5
    assert out.loc["XVII", "share"] == pytest.approx(0.60)
    assert out.loc["XV", "share"] == pytest.approx(0.25)
    assert out.loc[st.UNCLASSIFIED, "share"] == pytest.approx(0.05)
    assert out["share"].sum() == pytest.approx(1.0)


def test_structure_by_hs2_and_by_class():
    assert st.by_hs2(FLOW).set_index("group").loc["87", "value_usd"] == 60.0
    classes = pd.DataFrame({"product": ["8701", "8704", "7208"], "lall": ["MT2", "MT1", "RB2"]})
    out = st.by_class(FLOW, classes, "lall", "lall").set_index("group")
    # unmatched 0406 + 9999 = 15 -> unclassified
    assert out.loc["unclassified", "value_usd"] == 15.0 and out.loc["MT2", "share"] == 0.4


def test_by_class_rejects_duplicate_products():
    classes = pd.DataFrame({"product": ["8701", "8701"], "bec": ["capital", "consumption"]})
    with pytest.raises(DataValidationError, match="exactly one class"):
        st.by_class(FLOW, classes, "bec", "bec")


def test_top_products_order_and_share():
    top = st.top_products(FLOW, 2)
    assert top["product"].tolist() == ["8701", "7208"]
    assert top["share"].tolist() == [0.40, 0.25]


def test_structure_needs_columns():
    with pytest.raises(DataValidationError, match="value_usd"):
        st.by_hs2(pd.DataFrame({"product": ["01"]}))


def test_by_class_splits_value_by_weights():
    # 8701 (40) links 75% capital / 25% consumption -> 30 / 10; 8704 (20) all capital
    # capital = 30 + 20 = 50, consumption 10, the rest (25 + 10 + 5 = 40) unclassified
    classes = pd.DataFrame({
        "product": ["8701", "8701", "8704"],
        "bec": ["capital", "consumption", "capital"],
        "weight": [0.75, 0.25, 1.0],
    })
    out = st.by_class(FLOW, classes, "bec", "bec").set_index("group")["value_usd"]
    assert out.to_dict() == {"capital": 50.0, st.UNCLASSIFIED: 40.0, "consumption": 10.0}


def test_by_class_weights_must_sum_to_one():
    classes = pd.DataFrame({"product": ["8701", "8701"], "bec": ["a", "b"], "weight": [0.5, 0.4]})
    with pytest.raises(DataValidationError, match="sum to 1"):
        st.by_class(FLOW, classes, "bec", "bec")
