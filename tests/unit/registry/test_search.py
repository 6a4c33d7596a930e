"""Name skeletons and ranking (no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tradecoop.registry.search import MIN_SCORE, Hit, SearchIndex, rank, search_key, skeleton

# Hand check: anyascii("Гомсельмаш") = "Gomsel'mash" -> lower, apostrophe dropped -> "gomselmash";
# folds: "h" -> "g" gives "gomselmasg". "Homselmash" -> "homselmash" -> "gomselmasg" as well.
GOMSELMASH = ("Гомсельмаш", "Homselmash", "Gomselmash", "гомсельмаш", "ОАО «Гомсельмаш»")


def test_four_spellings_share_one_skeleton():
    assert {skeleton(s) for s in GOMSELMASH} == {"gomselmasg"}


def test_transliteration_variants_fold_together():
    # Ч -> "ch" -> "cg"; y/j/i fold to i; w -> v; Latin c (not before h) -> k
    assert skeleton("Челябинск") == skeleton("Cheljabinsk") == skeleton("Chelyabinsk") == "cgeliabinsk"
    assert skeleton("tractor") == skeleton("трактор") == "traktor"
    assert skeleton("Minsk Tractor Works") == "minsk traktor vorks"


def test_legal_forms_are_ignored():
    assert skeleton("OAO Gomselmash") == skeleton("Gomselmash")
    assert skeleton("ПАО «ММК»") == skeleton("MMK")


def test_search_key_deduplicates():
    assert search_key(["Гомсельмаш", "Gomselmash", None, "Palesse"]) == "gomselmasg|palese"


def test_rank_orders_by_score_then_id():
    keys = [(2, search_key(["Gomselmash"])), (1, search_key(["Gomselmash"])), (3, search_key(["Belshina"]))]
    hits = rank("Homselmash", keys)
    assert [h.id for h in hits] == [1, 2]  # equal scores: lower id first; Belshina below MIN_SCORE
    assert all(h.score == 100.0 for h in hits)


letters = st.text(alphabet="абвгдежзийклмнопрстуфхцчшщыэюяabcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20)


@settings(max_examples=60, deadline=None)
@given(letters)
def test_skeleton_ignores_case(text):
    assert skeleton(text.upper()) == skeleton(text)


@settings(max_examples=40, deadline=None)
@given(st.lists(letters, min_size=1, max_size=6), letters)
def test_rank_scores_bounded_and_sorted(names, query):
    keys = [(i, search_key([n])) for i, n in enumerate(names)]
    hits = rank(query, keys, limit=100)
    assert all(MIN_SCORE <= h.score <= 100 for h in hits)
    assert [(-h.score, h.id) for h in hits] == sorted((-h.score, h.id) for h in hits)


def _generated_keys(n: int, seed: int) -> list[tuple[int, str]]:
    import random

    rng = random.Random(seed)
    syllables = ("gom", "sel", "mash", "bel", "az", "ural", "trak", "chel", "met", "lit", "prom", "avto", "stal")
    return [(i, search_key(["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))])) for i in range(n)]


#: share of misspelt-name queries whose first hit must equal exhaustive scoring's first hit
MIN_FIRST_HIT_AGREEMENT = 0.95


def test_candidate_search_agrees_with_exhaustive_scoring():
    import random

    keys = _generated_keys(3000, seed=7)
    index = SearchIndex(keys)
    rng = random.Random(8)
    agree, queries = 0, 300
    for _ in range(queries):
        name = rng.choice(keys)[1]
        i = rng.randrange(len(name))
        query = name[:i] + name[i + 1:] if rng.random() < 0.5 else name[: max(3, i)]
        fast = [(h.id, h.score) for h in index.rank(query, limit=1)]
        full = [(h.id, h.score) for h in index.rank(query, limit=1, exhaustive=True)]
        agree += fast == full
    assert agree / queries >= MIN_FIRST_HIT_AGREEMENT


def test_exact_prefix_and_substring_matches_are_always_candidates():
    keys = _generated_keys(3000, seed=9) + [(5000, search_key(["Belshina"])), (5001, search_key(["Minsk Tractor Works"])),
                                            (5002, search_key(["Ural"]))]
    index = SearchIndex(keys)
    assert index.rank("Белшина", limit=1)[0] == Hit(5000, 100.0)
    tractor = [h.id for h in index.rank("Tractor Works", limit=1000)]
    assert 5001 in tractor  # a word of the name starts with the query
    inside = {h.id for h in index.rank("uralazbelshina", limit=10_000)}
    full = {h.id for h in index.rank("uralazbelshina", limit=10_000, exhaustive=True)}
    assert 5002 in inside and 5000 in inside  # names contained in the query
    assert inside <= full


one_word = st.text(alphabet="abcdegiklmnoprstuvz", min_size=1, max_size=40)


@settings(max_examples=400, deadline=None)
@given(one_word, one_word, st.sampled_from([0.0, MIN_SCORE]))
def test_wratio_of_one_word_strings_is_ratio_or_scaled_partial_ratio(a, b, cutoff):
    # SearchIndex skips WRatio for one-word pairs: rapidfuzz's WRatio takes the max of ratio and
    # 0.95 x its token ratios (lengths within 1.5x) or of scaled partial and partial-token ratios
    # (otherwise), and for one word each the token variants equal ratio and partial_ratio.
    import numpy as np
    from rapidfuzz import fuzz

    longer, shorter = max(len(a), len(b)), min(len(a), len(b))
    if 2 * longer < 3 * shorter:
        assert fuzz.WRatio(a, b, score_cutoff=cutoff) == fuzz.ratio(a, b, score_cutoff=cutoff)
    else:  # then max(ratio, 0.9 x partial_ratio), 0.6 x beyond eight times the length (as float32)
        scale = 0.9 if longer <= 8 * shorter else 0.6
        mine = max(fuzz.ratio(a, b, score_cutoff=cutoff), fuzz.partial_ratio(a, b) * scale)
        assert np.float32(fuzz.WRatio(a, b, score_cutoff=cutoff)) == np.float32(mine if mine >= cutoff else 0)


def test_scores_are_the_best_of_wratio_and_ratio_for_one_and_several_word_names():
    from rapidfuzz import fuzz

    keys = _generated_keys(200, seed=3) + [(900, search_key(["Minsk Tractor Works"])), (901, search_key(["Gomselmash Works"])),
                                           (902, search_key(["Gomel Agro Mash"])), (903, search_key(["Selmash"]))]
    index = SearchIndex(keys)
    for query in ("Gomselmash", "gomsel", "Tractor Works", "minsk traktor", "selmas", "agro mash gomel", "mashsel", "az"):
        q = skeleton(query)
        _, scores = index._scored(query, exhaustive=True)
        floored = index._prefix_rows(q) | {r for r, c in enumerate(index.compact) if c == q.replace(" ", "")}
        for row, (name, compact) in enumerate(zip(index.names, index.compact, strict=True)):
            expected = max(fuzz.WRatio(q, name), fuzz.ratio(q.replace(" ", ""), compact))
            assert scores[row] >= expected - 1e-4 if row in floored else abs(scores[row] - expected) < 1e-4, (query, name)
