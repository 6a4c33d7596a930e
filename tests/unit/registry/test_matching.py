"""Matching criteria on one pair, small enough to check by hand (no database)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecoop.registry.match_model import WEIGHTS, MatchContext
from tradecoop.registry.matching import score_pair


def firm(products=(), inputs=(), nace=None, en=None, ru=None):
    rows = [SimpleNamespace(hs_code=c, role="product") for c in products]
    rows += [SimpleNamespace(hs_code=c, role="input") for c in inputs]
    return SimpleNamespace(products=rows, nace=nace, description_en=en, description_ru=ru)


def test_weights_sum_to_one():
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_hand_computed_pair():
    # target: harvester maker (8433) needing engines 8408 and steel 7208, NACE 28 -> WIOD "29"
    # candidate: engine and bulldozer maker (8408, 8429) needing steel, NACE 28 -> WIOD "29"
    t = firm(["8433"], ["8408", "7208"], "28")
    c = firm(["8408", "8429"], ["7208"], "28")
    ctx = MatchContext(io={("29", "29"): 0.06}, hs_bec={"8408": "intermediate"})
    got = score_pair(t, c, ctx)
    # direction: t needs 8408, c makes 8408 -> 1       -> 100 * 0.30 * 1   = 30.00
    # io: a(29 -> 29) = 0.06; 0.06 / 0.15 = 0.4        -> 100 * 0.25 * 0.4 = 10.00
    # co-production: no common heading, chapter 84     -> 100 * 0.20 * 0.5 = 10.00
    # BEC: 8408 intermediate, t is a producer (NACE 28) -> 100 * 0.15 * 1   = 15.00
    # text: no descriptions                             -> 0
    assert {k: got[k] for k in WEIGHTS} == {"direction": 30.0, "io_complementarity": 10.0, "co_production": 10.0,
                                             "bec_fit": 15.0, "text_similarity": 0.0}
    assert got["score"] == 65.0
    assert "8408" in got["reasons"] and "29 -> 29" in got["reasons"]


def test_unrelated_pair_scores_zero():
    t = firm(["8433"], ["8408"], "28")
    c = firm(["1902"], ["1001"], "10")
    got = score_pair(t, c, MatchContext(io={("29", "29"): 0.06}, hs_bec={"8408": "intermediate"}))
    assert got["score"] == 0.0 and got["reasons"] == ""


def test_io_saturates_at_one():
    t, c = firm(nace="29"), firm(nace="24")  # transport equipment "34t35" using metals "27t28"
    got = score_pair(t, c, MatchContext(io={("27t28", "34t35"): 0.30}))
    assert got["io_complementarity"] == 25.0  # min(1, 0.30 / 0.15) * 25


def test_context_from_frames_filters_location_and_maps_headings():
    io = pd.DataFrame({"location": ["RUS", "DEU"], "input_sector": ["27t28", "27t28"],
                       "output_sector": ["29", "29"], "coefficient": [0.151, 0.2]})
    bec = pd.DataFrame({"product": ["840810", "840820", "840890"],
                        "bec_class": ["capital", "intermediate", "intermediate"]})
    ctx = MatchContext.from_frames(io=io, hs_bec=bec)
    assert ctx.io == {("27t28", "29"): 0.151}
    assert ctx.hs_bec["8408"] == "intermediate"  # 2 of its 3 HS6 codes
    assert ctx.hs_bec["840810"] == "capital"


codes = st.sampled_from(["8433", "8408", "8429", "7208", "7304", "4011", "1902", "3102", "2710"])


@settings(max_examples=50, deadline=None)
@given(st.lists(codes, max_size=3), st.lists(codes, max_size=3), st.lists(codes, max_size=3),
       st.lists(codes, max_size=3), st.sampled_from(["28", "29", "24", "10", None]),
       st.sampled_from(["28", "29", "24", "10", None]), st.text(max_size=30), st.text(max_size=30))
def test_contributions_add_up_to_score(tp, ti, cp, ci, tn, cn, te, ce):
    ctx = MatchContext(io={("27t28", "29"): 0.151, ("29", "34t35"): 0.05}, hs_bec={"8408": "intermediate", "8429": "capital"})
    got = score_pair(firm(tp, ti, tn, te), firm(cp, ci, cn, ce), ctx)
    assert got["score"] == pytest.approx(sum(got[k] for k in WEIGHTS), abs=1e-9)
    assert 0 <= got["score"] <= 100
    for k, w in WEIGHTS.items():
        assert 0 <= got[k] <= 100 * w + 1e-9


# --- text criterion: TF-IDF cosine of character n-grams (standalone: IDF of the two texts) ----
def text_points(t_en=None, t_ru=None, c_en=None, c_ru=None):
    return score_pair(firm(en=t_en, ru=t_ru), firm(en=c_en, ru=c_ru), MatchContext())["text_similarity"]


def test_identical_descriptions_are_fully_similar():
    got = score_pair(firm(en="Combine harvesters and forage harvesters"),
                     firm(en="combine harvesters and forage harvesters"), MatchContext())
    assert got["text_similarity"] == 10.0 and got["reasons"] == "text_similarity +10.00: descriptions 100% similar"


def test_disjoint_descriptions_score_zero():
    assert text_points("milk", None, "steel", None) == 0.0
    assert text_points(None, "молоко", None, "сталь") == 0.0


def test_russian_inflections_match():
    assert text_points(None, "тракторы", None, "тракторов") > 4.0
    assert text_points(None, "тракторы", None, "молоко") < 0.5


def test_text_needs_both_sides():
    assert text_points("steel pipes", None, None, "стальные трубы") == 0.0
    assert text_points("   ", None, "   ", None) == 0.0  # no n-grams at all


def test_text_contribution_in_score_pair():
    got = score_pair(firm(en="tractors and engines"), firm(en="tractors and engines"), MatchContext())
    assert got["text_similarity"] == 10.0 and got["score"] == 10.0
    assert got["reasons"] == "text_similarity +10.00: descriptions 100% similar"
