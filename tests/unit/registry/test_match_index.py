"""The vectorised ranking equals score_pair row by row, and its TF-IDF text model (no database)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecoop.errors import NotFoundError
from tradecoop.registry.match_index import COLUMNS, MatchIndex, TextModel, round2
from tradecoop.registry.matching import (
    WEIGHTS,
    MatchContext,
    Profile,
    candidates_for,
    score_pair,
    tfidf_vectorizer,
)

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


def brute_force(index: MatchIndex, target: Profile, everyone, ctx, across):
    rows = []
    for c in candidates_for(everyone, target, across=across):
        got = score_pair(target, c, ctx, text=index.text_similarity(target.id, c.id))
        rows.append({"id": c.id, **got})
    return sorted(rows, key=lambda r: (-r["score"], r["id"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(enterprise, min_size=1, max_size=14), st.data(), st.booleans(), st.booleans())
def test_rank_equals_score_pair_on_every_row(specs, data, across, with_context):
    ids = data.draw(st.permutations(range(1, 3 * len(specs) + 1)).map(lambda p: p[: len(specs)]))
    everyone = [profile(i, *spec) for i, spec in zip(ids, specs, strict=True)]
    ctx = CTX if with_context else MatchContext()
    index = MatchIndex(everyone, ctx)
    target = data.draw(st.sampled_from(everyone))
    frame = index.rank(target.id, across=across, top=len(everyone))
    expected = brute_force(index, target, everyone, ctx, across)
    assert list(frame.columns) == COLUMNS
    assert list(frame["id"]) == [r["id"] for r in expected]
    assert list(frame["rank"]) == list(range(1, len(expected) + 1))
    for got, want in zip(frame.to_dict(orient="records"), expected, strict=True):
        assert {k: got[k] for k in [*WEIGHTS, "score", "reasons"]} == {k: want[k] for k in [*WEIGHTS, "score", "reasons"]}
    if expected:
        assert frame.attrs["notes"] == list(ctx.notes)
        top = index.rank(target.id, across=across, top=3)
        assert list(top["id"]) == [r["id"] for r in expected[:3]]


def test_rank_small_registry_by_hand():
    everyone = [
        profile(1, "BLR", ["8433"], ["8408", "7208"], "28", "combine harvesters", "комбайны"),
        profile(2, "RU-CHE", ["840820"], ["7208"], "28", "diesel engines", "двигатели"),
        profile(3, "RU-CHE", ["7208"], [], "24", "flat steel", "сталь"),
        profile(4, "RU-CHE", ["1902"], [], "10", "pasta", "макароны"),
        profile(5, "BLR", ["8433"], [], "28", "combine harvesters", "комбайны"),
    ]
    frame = MatchIndex(everyone, CTX).rank(1)
    assert list(frame["id"]) == [3, 2, 4]  # only the other side of the pair
    steel = frame.iloc[0]
    # direction 30 (makes 7208 it needs), io 27t28 -> 29 0.151 -> 25, BEC 15 (7208 intermediate)
    assert (steel["direction"], steel["io_complementarity"], steel["co_production"], steel["bec_fit"]) == (30, 25, 0, 15)
    assert frame.iloc[1]["co_production"] == 10.0  # chapter 84 only
    pasta = frame.iloc[2]  # only a shared suffix ("-ны") in the Russian descriptions
    assert pasta["score"] == pasta["text_similarity"] < 1.0
    across = MatchIndex(everyone, CTX).rank(1, across=True).set_index("id")
    assert list(across.index) == [3, 2, 5, 4]
    twin = across.loc[5]  # same heading 8433, same sector 29 -> 29 (0.043), same descriptions
    assert (twin["co_production"], twin["io_complementarity"], twin["text_similarity"]) == (20.0, 7.17, 10.0)
    assert twin["reasons"].endswith("text_similarity +10.00: descriptions 100% similar")


def test_candidates_outside_the_pair_and_unknown_ids():
    everyone = [profile(1, "KAZ"), profile(2, "KAZ"), profile(3, "BLR"), profile(4, None), profile(5, "RU-CHE")]
    index = MatchIndex(everyone, MatchContext())
    assert list(index.rank(1)["id"]) == [3, 4, 5]  # every other location, missing included
    assert list(index.rank(4)["id"]) == [1, 2, 3, 5]
    assert list(index.rank(3)["id"]) == [5]
    with pytest.raises(NotFoundError):
        index.rank(99)
    alone = MatchIndex([profile(1, "BLR")], MatchContext())
    assert alone.rank(1).empty and list(alone.rank(1).columns) == COLUMNS


def test_round2_rounds_like_python():
    values = np.array([0.125, 0.135, 1.005, 2.675, 4.255, 29.999999, 12.344999999999999, 7.5 * 0.43], dtype=float)
    values = np.concatenate([values, np.random.default_rng(1).uniform(0, 100, 2000)])
    assert list(round2(values)) == [round(float(v), 2) for v in values]


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


def test_sparse_product_path_equals_the_precomputed_cosines(monkeypatch):
    from tradecoop.registry import match_index

    texts = ["steel pipes", "steel sheets", None, "pipes for oil", "steel pipes", "тракторы", "tractors"]
    rows = np.arange(len(texts))
    gram = TextModel(texts)
    monkeypatch.setattr(match_index, "GRAM_MAX", 0)
    sparse_only = TextModel(texts)
    assert gram.gram is not None and sparse_only.gram is None
    for r in rows:
        assert sparse_only.similarities(r, rows) == pytest.approx(gram.similarities(r, rows), abs=1e-12)


def test_index_text_uses_the_registry_idf():
    from tradecoop.registry.matching import text_similarity

    everyone = [profile(1, "BLR", en="steel pipes and tubes"), profile(2, "RU-CHE", en="steel pipes"),
                *(profile(i, "RU-CHE", en="steel") for i in range(3, 10))]
    index = MatchIndex(everyone, MatchContext())
    s, why = index.text_similarity(1, 2)
    x = tfidf_vectorizer().fit([p.description_en for p in everyone]).transform(["steel pipes and tubes", "steel pipes"])
    assert s == pytest.approx(float(x[0].multiply(x[1]).sum()), abs=1e-12) and why == f"descriptions {s:.0%} similar"
    standalone, _ = text_similarity("steel pipes and tubes", None, "steel pipes", None)
    assert abs(s - standalone) > 1e-3  # "steel" is common in the registry, so it weighs less there
    assert index.rank(1, top=1).iloc[0]["text_similarity"] == round(100 * 0.1 * s, 2)


# --- the cached index behind match_enterprise (this test's temporary SQLite registry) -------------
def test_match_enterprise_reuses_the_index_until_the_registry_changes(tmp_path):
    from sqlalchemy import select

    from tradecoop.registry.db import make_engine, migrate, session_factory
    from tradecoop.registry.matching import load_profiles, match_enterprise, match_index
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
            ctx = MatchContext(io={("27t28", "29"): 0.151})
            first = match_index(s, ctx)
            assert match_index(s, ctx) is first and match_index(s, MatchContext()) is not first
            frame = match_enterprise(s, a.id, context=ctx)
            assert list(frame["name_en"]) == ["Steel Works"] and frame.iloc[0]["score"] == 55.0
            svc.create("enterprise", {"name_en": "Pipe Works", "location": "RU-CHE", "nace": "24", "products": ["7304"]})
            assert match_index(s, ctx) is not first
            assert list(match_enterprise(s, a.id, context=ctx)["name_en"]) == ["Steel Works", "Pipe Works"]
            with pytest.raises(NotFoundError):
                match_enterprise(s, 10_000, context=ctx)
    finally:
        engine.dispose()


def test_rank_records_equal_the_frame_rows():
    profiles = [profile(1, "BLR", ["8408"], ["7208"], "28", "tractors"), profile(2, "RU-CHE", ["7208"], [], "24", "steel"),
                profile(3, "RU-CHE", ["8433"], ["7208"], "28", "tractor parts"), profile(4, "RU-CHE")]
    index = MatchIndex(profiles, CTX)
    frame = index.rank(1, top=10)
    assert index.rank_records(1, top=10) == frame.to_dict(orient="records")
    assert index.rank_records(1, top=1) == frame.head(1).to_dict(orient="records")
