"""The partner ranking (MatchIndex, the one scorer) and its TF-IDF text model (no database)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecoop.errors import NotFoundError
from tradecoop.registry.match_index import COLUMNS, MatchIndex, TextModel, tfidf_vectorizer
from tradecoop.registry.match_model import DEFAULT_PAIR, WEIGHTS, MatchContext, Profile
from tradecoop.registry.matching import score_pair

CTX = MatchContext(io={("27t28", "29"): 0.151, ("29", "34t35"): 0.05, ("29", "29"): 0.043, ("15t16", "AtB"): 0.2},
                   hs_isic={"8408": "28", "7208": "24", "1902": "10"},
                   hs_bec={"8408": "intermediate", "8429": "capital", "7208": "intermediate", "1902": "consumption"},
                   notes=("a note",))
CODES = ["8433", "8408", "840820", "8429", "7208", "720851", "7304", "1902", "1001", "3102", "84", "2710"]
WORDS_EN = ["tractors", "harvesters", "engines", "steel", "pipes", "milk", "cheese", "fertiliser", "and", "for"]
WORDS_RU = ["тракторы", "тракторов", "комбайны", "двигатели", "сталь", "стали", "трубы", "молоко", "и", "для"]


def profile(i, location, products=(), inputs=(), nace=None, en=None, ru=None, name=None):
    return Profile(i, name or f"E{i}", None, location, None, nace, frozenset(products), frozenset(inputs), en, ru)


def text(words):
    return st.one_of(st.none(), st.just(""), st.lists(st.sampled_from(words), min_size=1, max_size=6).map(" ".join))


enterprise = st.tuples(
    st.sampled_from(["BLR", "RU-CHE", "KAZ", None]),
    st.lists(st.sampled_from(CODES), max_size=3), st.lists(st.sampled_from(CODES), max_size=3),
    st.sampled_from(["28", "29", "24", "10", "01", "35", "46", "", None]), text(WORDS_EN), text(WORDS_RU),
)


def expected_candidates(everyone, target, across):
    """The partners considered, written out from the rule (not from the index)."""
    others = [e.id for e in everyone if e.id != target.id]
    if across:
        return set(others)
    if target.location in DEFAULT_PAIR:
        other = DEFAULT_PAIR[1 - DEFAULT_PAIR.index(target.location)]
        return {e.id for e in everyone if e.id != target.id and e.location == other}
    return {e.id for e in everyone if e.id != target.id and e.location != target.location}


@settings(max_examples=60, deadline=None)
@given(st.lists(enterprise, min_size=1, max_size=14), st.data(), st.booleans(), st.booleans())
def test_ranking_rows_are_consistent(specs, data, across, with_context):
    ids = data.draw(st.permutations(range(1, 3 * len(specs) + 1)).map(lambda p: p[: len(specs)]))
    everyone = [profile(i, *spec) for i, spec in zip(ids, specs, strict=True)]
    ctx = CTX if with_context else MatchContext()
    index = MatchIndex(everyone, ctx)
    target = data.draw(st.sampled_from(everyone))
    rows = index.rank(target.id, across=across, top=len(everyone))
    by_id = {e.id: e for e in everyone}
    assert {r["id"] for r in rows} == expected_candidates(everyone, target, across)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert [(-r["score"], r["id"]) for r in rows] == sorted((-r["score"], r["id"]) for r in rows)
    for r in rows:
        assert list(r) == COLUMNS
        assert r["score"] == pytest.approx(sum(r[k] for k in WEIGHTS), abs=1e-9)
        for k, w in WEIGHTS.items():
            assert 0 <= r[k] <= 100 * w
            # a reason is given for exactly the positive contributions
            assert (f"{k} +" in r["reasons"]) == (r[k] > 0), (k, r)
        # the pair alone scores the same on every criterion but the text one (whose IDF is the
        # registry's in the ranking and the two descriptions' alone in score_pair)
        alone = score_pair(target, by_id[r["id"]], ctx)
        assert {k: alone[k] for k in WEIGHTS if k != "text_similarity"} == {
            k: r[k] for k in WEIGHTS if k != "text_similarity"}
    top = index.rank(target.id, across=across, top=3)
    assert top == rows[:3]


def test_rank_small_registry_by_hand():
    everyone = [
        profile(1, "BLR", ["8433"], ["8408", "7208"], "28", "combine harvesters", "комбайны"),
        profile(2, "RU-CHE", ["840820"], ["7208"], "28", "diesel engines", "двигатели"),
        profile(3, "RU-CHE", ["7208"], [], "24", "flat steel", "сталь"),
        profile(4, "RU-CHE", ["1902"], [], "10", "pasta", "макароны"),
        profile(5, "BLR", ["8433"], [], "28", "combine harvesters", "комбайны"),
    ]
    rows = MatchIndex(everyone, CTX).rank(1)
    assert [r["id"] for r in rows] == [3, 2, 4]  # only the other side of the pair
    steel = rows[0]
    # direction 30 (makes 7208 it needs), io 27t28 -> 29 0.151 -> 25, BEC 15 (7208 intermediate)
    assert (steel["direction"], steel["io_complementarity"], steel["co_production"], steel["bec_fit"]) == (30, 25, 0, 15)
    assert steel["reasons"].startswith("direction +30.00: makes inputs you need: 7208 | "
                                       "io_complementarity +25.00: input-output coefficient 27t28 -> 29 = 0.151 | "
                                       "bec_fit +15.00: capital/intermediate goods for a producer: 7208")
    engines = rows[1]  # makes 8408 it needs; chapter 84 only; WIOD 29 -> 29 (0.043); 8408 intermediate
    assert (engines["direction"], engines["co_production"], engines["io_complementarity"]) == (30, 10, 7.17)
    assert "same HS chapters: 84" in engines["reasons"]
    pasta = rows[2]  # only a shared suffix ("-ны") in the Russian descriptions
    assert pasta["score"] == pasta["text_similarity"] < 1.0
    across = {r["id"]: r for r in MatchIndex(everyone, CTX).rank(1, across=True)}
    assert list(across) == [3, 2, 5, 4]
    twin = across[5]  # same heading 8433, same sector 29 -> 29 (0.043), same descriptions
    assert (twin["co_production"], twin["io_complementarity"], twin["text_similarity"]) == (20.0, 7.17, 10.0)
    assert twin["reasons"].endswith("text_similarity +10.00: descriptions 100% similar")


def test_candidates_outside_the_pair_and_unknown_ids():
    everyone = [profile(1, "KAZ"), profile(2, "KAZ"), profile(3, "BLR"), profile(4, None), profile(5, "RU-CHE")]
    index = MatchIndex(everyone, MatchContext())
    assert [r["id"] for r in index.rank(1)] == [3, 4, 5]  # every other location, missing included
    assert [r["id"] for r in index.rank(4)] == [1, 2, 3, 5]
    assert [r["id"] for r in index.rank(3)] == [5]
    with pytest.raises(NotFoundError):
        index.rank(99)
    assert MatchIndex([profile(1, "BLR")], MatchContext()).rank(1) == []
    with pytest.raises(ValueError, match="distinct ids"):
        MatchIndex([profile(1, "BLR"), profile(1, "KAZ")], MatchContext())


# --- the text model -----------------------------------------------------------------------------
def similarities(texts, row=0):
    return TextModel(texts).similarities(row, np.arange(len(texts)))


def test_identical_disjoint_and_missing_descriptions():
    s = similarities(["combine harvesters", "Combine harvesters", "milk", None, ""])
    assert s[0] == pytest.approx(1.0) and s[1] == pytest.approx(1.0)
    assert s[2] == pytest.approx(0.0, abs=1e-12) and s[3] == 0.0 and s[4] == 0.0
    assert (similarities([None, "milk"]) == 0).all()
    assert (similarities(["   ", "  "]) == 0).all()  # no n-grams anywhere


def test_russian_inflections_score_above_unrelated_text():
    s = similarities(["тракторы", "тракторов", "молоко", "сталь", "трубы"])
    assert s[1] > 0.4 and s[2] < 0.05 and s[1] > 10 * max(s[2], s[3], s[4], 1e-3)


def test_shared_descriptions_weight_the_idf_like_fitting_on_all_of_them():
    texts = ["steel pipes", "steel sheets", "steel pipes", None, "pipes for oil", "steel pipes", "tractors"]
    model = TextModel(texts)
    present = [t for t in texts if t]
    full = tfidf_vectorizer().fit(present)
    x = full.transform(present).toarray()
    want = x @ x[0]
    got = model.similarities(0, np.array([i for i, t in enumerate(texts) if t]))
    assert got == pytest.approx(want, abs=1e-12)
    assert list(model.vectorizer.get_feature_names_out()) == list(full.get_feature_names_out())
    assert model.vectorizer.idf_ == pytest.approx(full.idf_, abs=1e-12)


def test_ranking_text_uses_the_registry_idf():
    everyone = [profile(1, "BLR", en="steel pipes and tubes"), profile(2, "RU-CHE", en="steel pipes"),
                *(profile(i, "RU-CHE", en="steel") for i in range(3, 10))]
    row = MatchIndex(everyone, MatchContext()).rank(1, top=1)[0]
    x = tfidf_vectorizer().fit([p.description_en for p in everyone]).transform(["steel pipes and tubes", "steel pipes"])
    s = float(x[0].multiply(x[1]).sum())
    assert row["id"] == 2 and row["text_similarity"] == round(100 * 0.1 * s, 2)
    assert row["reasons"] == f"text_similarity +{row['text_similarity']:.2f}: descriptions {s:.0%} similar"
    standalone = score_pair(everyone[0], everyone[1], MatchContext())["text_similarity"]
    assert standalone > row["text_similarity"]  # "steel" is common in the registry, so it weighs less there


def test_text_takes_the_larger_language_and_needs_both_sides():
    en = profile(1, "BLR", en="steel pipes")
    both = profile(2, "RU-CHE", en="steel tubes", ru="стальные трубы")
    ru_only = profile(3, "RU-CHE", ru="стальные трубы")
    assert 0 < score_pair(en, both, MatchContext())["text_similarity"] < 10
    assert score_pair(both, profile(4, "BLR", en="steel pipes", ru="стальные трубы"), MatchContext())["text_similarity"] == 10
    assert score_pair(en, ru_only, MatchContext()) == {**dict.fromkeys(WEIGHTS, 0.0), "score": 0.0, "reasons": ""}


# --- the cached index behind match_enterprise (this test's temporary SQLite registry) -------------
def test_match_enterprise_reuses_the_index_until_the_registry_changes(tmp_path):
    from sqlalchemy import select

    from tradecoop.registry.db import make_engine, migrate, session_factory
    from tradecoop.registry.match_model import load_profiles
    from tradecoop.registry.matching import match_enterprise, match_index
    from tradecoop.registry.models import Enterprise
    from tradecoop.registry.service import RegistryService

    url = f"sqlite:///{tmp_path / 'match.sqlite3'}"
    migrate(url)
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            svc = RegistryService(s)
            a = svc.create("enterprise", {"name_en": "Harvester Works", "location": "BLR", "nace": "28",
                                          "products": ["8433"], "inputs": ["7208"]})
            svc.create("enterprise", {"name_en": "Steel Works", "location": "RU-CHE", "nace": "24", "products": ["7208"]})
            assert load_profiles(s) == [Profile.of(e) for e in s.scalars(select(Enterprise).order_by(Enterprise.id))]
            ctx = MatchContext(io={("27t28", "29"): 0.151}, notes=("a note",))
            first = match_index(s, ctx)
            assert match_index(s, ctx) is first and match_index(s, MatchContext()) is not first
            frame = match_enterprise(s, a.id, context=ctx)
            assert list(frame.columns) == COLUMNS and frame.attrs["notes"] == ["a note"]
            assert list(frame["name_en"]) == ["Steel Works"] and frame.iloc[0]["score"] == 55.0
            svc.create("enterprise", {"name_en": "Pipe Works", "location": "RU-CHE", "nace": "24", "products": ["7304"]})
            assert match_index(s, ctx) is not first
            assert list(match_enterprise(s, a.id, context=ctx)["name_en"]) == ["Steel Works", "Pipe Works"]
            assert list(match_enterprise(s, a.id, top=1, context=ctx)["name_en"]) == ["Steel Works"]
            with pytest.raises(NotFoundError):
                match_enterprise(s, 10_000, context=ctx)
    finally:
        engine.dispose()
