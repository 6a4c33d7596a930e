"""Backtest: metrics on hand-checkable toys, hand-counted candidates, no end-window leakage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

# the seeded drifting-locations panel generator lives beside this file (pytest puts this
# folder on sys.path in its default "prepend" import mode)
from test_feasibility import _synthetic

from tradecoop.errors import DataValidationError
from tradecoop.opportunities.backtest import (
    best_f1,
    f1_at,
    mean_location_auc,
    pooled_auc,
    precision_at_k,
    run_backtest,
    window_years,
)


def test_pooled_auc_by_hand() -> None:
    # positives score 0.35 and 0.8, negatives 0.1 and 0.4: of the 4 (pos, neg) pairs,
    # 0.35 > 0.1, 0.35 < 0.4, 0.8 > 0.1, 0.8 > 0.4 -> 3 / 4 = 0.75
    assert pooled_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])) == pytest.approx(0.75)
    # a tie between a positive and a negative counts one half: (1 + 0.5) / 2
    assert pooled_auc(np.array([0, 0, 1]), np.array([0.1, 0.5, 0.5])) == pytest.approx(0.75)
    assert np.isnan(pooled_auc(np.array([1, 1]), np.array([0.1, 0.2])))


def test_pooled_auc_agrees_with_scikit_learn() -> None:
    # scikit-learn's roc_auc_score is the outside reference; scores rounded to force ties
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(1)
    y = (rng.random(500) < 0.1).astype(int)
    s = np.round(rng.random(500) + 0.3 * y, 1)
    assert pooled_auc(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)


def test_mean_location_auc_skips_one_class_locations() -> None:
    # location a: perfect ranking -> 1.0; b: inverted -> 0.0; c: no positive -> skipped
    y = np.array([1, 0, 1, 0, 0, 0])
    s = np.array([0.9, 0.1, 0.1, 0.9, 0.5, 0.6])
    loc = np.array(["a", "a", "b", "b", "c", "c"])
    assert mean_location_auc(y, s, loc) == (pytest.approx(0.5), 2)


def test_precision_at_k_by_hand() -> None:
    # location a (3 candidates): top 2 by score are p3 (0.9, hit) and p1 (0.8, miss) -> 1/2
    # location b (3 candidates): tie 0.5/0.5 broken by product code: q1 (hit), q2 -> 1/2
    # location c has 1 candidate < k = 2 -> left out; mean over a, b = 0.5
    y = np.array([0, 0, 1, 1, 0, 0, 1])
    s = np.array([0.8, 0.1, 0.9, 0.5, 0.5, 0.1, 0.9])
    loc = np.array(["a", "a", "a", "b", "b", "b", "c"])
    prod = np.array(["p1", "p2", "p3", "q1", "q2", "q3", "r1"])
    assert precision_at_k(y, s, loc, prod, 2) == (pytest.approx(0.5), 2)


def test_f1_by_hand() -> None:
    y = np.array([1, 0, 1, 0])
    s = np.array([0.9, 0.8, 0.2, 0.1])
    # threshold 0.5: predicted {0.9, 0.8}; tp = 1, fp = 1, fn = 1 -> F1 = 2/(2+1+1) = 0.5
    assert f1_at(y, s, 0.5) == pytest.approx(0.5)
    # best: threshold 0.9 -> tp 1, fp 0, fn 1 -> 2/3; threshold 0.2 -> tp 2, fp 1 -> 4/5 = 0.8
    assert best_f1(y, s) == (pytest.approx(0.8), pytest.approx(0.2))


def test_windows_must_not_overlap() -> None:
    assert window_years(2015, 2021, 3) == ((2015, 2016, 2017), (2019, 2020, 2021))
    with pytest.raises(DataValidationError, match="overlap"):
        window_years(2015, 2019, 3)


def _hand_panel() -> pd.DataFrame:
    """3 locations x 3 products; zero cells are absent rows.

    P = [[2,0,2],[0,2,2],[2,2,0]]: row and column sums 4, total 12, so RCA = (x/4)/(4/12) = 3x/4:
    1.5 where x = 2, 0 where x = 0. Q = [[2,2,0],[0,2,2],[2,0,2]] likewise.
    Years: 2000 Q, 2001 P, 2002 P (start), 2003 P, 2004 Q (end).
    Test candidates (RCA_2002 < 0.5) are P's zeros: (A,p2), (B,p1), (C,p3).
    In Q: (A,p2) = 2 -> appears; (B,p1) = 0 -> no; (C,p3) = 2 -> appears: 3 candidates, 2 appearances.
    Training transition 2000 -> 2002 (window 1): Q's zeros (A,p3), (B,p1), (C,p2); in P
    (A,p3) and (C,p2) appear, (B,p1) does not: both classes, so weights can be learned.
    """
    p = [[2, 0, 2], [0, 2, 2], [2, 2, 0]]
    q = [[2, 2, 0], [0, 2, 2], [2, 0, 2]]
    rows = []
    for year, mat in ((2000, q), (2001, p), (2002, p), (2003, p), (2004, q)):
        for i, loc in enumerate("ABC"):
            for j in range(3):
                if mat[i][j]:
                    rows.append((year, loc, f"p{j + 1}", float(mat[i][j])))
    return pd.DataFrame(rows, columns=["year", "location", "product", "value"])


def test_candidates_and_appearances_counted_by_hand() -> None:
    result = run_backtest(_hand_panel(), 2002, 2004, window=1, n_boot=0)
    assert (result.candidates, result.appearances) == (3, 2)
    got = result.to_frame().set_index(["location", "product"])["label"].to_dict()
    assert got == {("A", "p2"): 1, ("B", "p1"): 0, ("C", "p3"): 1}
    assert result.model.train_windows == ((2000,), (2002,))


def test_window_averages_use_the_years_the_panel_has() -> None:
    # drop 2003 (inside no window) and 2001: the 1-year windows still read 2002 and 2004
    frame = _hand_panel()
    frame = frame[frame["year"] != 2001]
    result = run_backtest(frame, 2002, 2004, window=1, n_boot=0)
    assert (result.candidates, result.appearances) == (3, 2)


def test_scores_ignore_the_end_window() -> None:
    frame = _synthetic()
    base = run_backtest(frame, 2003, 2009, window=2, n_boot=0)
    changed = frame.copy()
    rng = np.random.default_rng(11)
    late = changed["year"] >= 2008  # the end window 2008-09
    changed.loc[late, "value"] *= rng.lognormal(0, 2.0, int(late.sum()))
    other = run_backtest(changed, 2003, 2009, window=2, n_boot=0)
    cols = ["location", "product", "score", "density", "density_cont", "rca"]
    pd.testing.assert_frame_equal(base.to_frame()[cols], other.to_frame()[cols])
    assert not np.array_equal(base.to_frame()["label"], other.to_frame()["label"])  # labels did move


def test_result_keys_and_bootstrap_are_seeded() -> None:
    frame = _synthetic()
    a = run_backtest(frame, 2003, 2009, window=2, n_boot=30, seed=5).to_dict()
    b = run_backtest(frame, 2003, 2009, window=2, n_boot=30, seed=5).to_dict()
    for key in ("auc", "auc_density", "auc_rca", "precision_at_10", "best_f1", "candidates",
                "appearances", "base_rate", "mean_location_auc", "precision_at_25",
                "f1_at_train_threshold", "ci"):
        assert key in a
    assert a["ci"] == b["ci"]
    lo, hi = a["ci"]["auc"]
    assert lo <= hi
    assert a["base_rate"] == pytest.approx(a["appearances"] / a["candidates"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 20)), min_size=2, max_size=60))
def test_auc_is_rank_based(pairs: list[tuple[bool, int]]) -> None:
    # AUC depends on ranks only: a strictly increasing transform leaves it unchanged, and
    # reversing the scores turns AUC into 1 - AUC (ties count one half on both sides)
    y = np.array([int(b) for b, _ in pairs])
    s = np.array([float(v) for _, v in pairs])
    a = pooled_auc(y, s)
    if np.isnan(a):
        assert y.min() == y.max()
        return
    assert pooled_auc(y, np.exp(s / 4) + 3) == pytest.approx(a, abs=1e-12)
    assert pooled_auc(y, -s) == pytest.approx(1 - a, abs=1e-12)


def test_backtest_is_invariant_to_the_currency_unit() -> None:
    # RCA is a ratio of shares: reporting the panel in thousands of USD must not change
    # candidates, labels or the density ranking (the engine's log(1 + x) feature is not exactly
    # unit-free, so its AUC is not asserted here)
    frame = _synthetic()
    base = run_backtest(frame, 2003, 2009, window=2, n_boot=0)
    scaled = run_backtest(frame.assign(value=frame["value"] / 1000.0), 2003, 2009, window=2, n_boot=0)
    assert (base.candidates, base.appearances) == (scaled.candidates, scaled.appearances)
    np.testing.assert_array_equal(base.to_frame()["label"], scaled.to_frame()["label"])
    assert scaled.metrics["auc_density"] == pytest.approx(base.metrics["auc_density"], abs=1e-12)


#: weighted AUC and AUC on the explicitly replicated sample are the same sums in another order
WEIGHTED_AUC_TOL = 1e-12


def test_weighted_auc_equals_auc_of_the_replicated_sample() -> None:
    from tradecoop.opportunities.backtest import weighted_auc

    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 200)
    s = np.round(rng.random(200), 1)  # many ties
    w = rng.integers(0, 4, (5, 200))
    got = weighted_auc(y, s, w)
    for row, value in zip(w, got, strict=True):
        idx = np.repeat(np.arange(200), row)
        assert value == pytest.approx(pooled_auc(y[idx], s[idx]), abs=WEIGHTED_AUC_TOL)


def test_two_snapshot_panel_runs_with_weights_learned_elsewhere() -> None:
    from tradecoop.opportunities.backtest import run_backtest
    from tradecoop.opportunities.feasibility import fit_feasibility, prepare_panel

    full = _synthetic(seed=7)
    snapshots = full[full["year"].isin([2005, 2009])]  # only a start and an end year
    with pytest.raises(DataValidationError, match="--weights-from"):
        run_backtest(snapshots, 2005, 2009, window=1, n_boot=0)
    # weights learned on another panel (other locations, other seed), years before the start
    other = _synthetic(seed=21, n_loc=15)
    model = fit_feasibility(prepare_panel(other[other["year"] <= 2005]), 2005, 3)
    result = run_backtest(snapshots, 2005, 2009, window=1, n_boot=20, model=model,
                          weights_source="learned on a synthetic panel (seed 21)")
    d = result.to_dict()
    assert d["weights_source"].startswith("learned on a synthetic panel (seed 21)")
    assert "standardised within this panel" in d["weights_source"]
    assert d["best_baseline"] in ("density", "density_cont", "rca")
    assert d["auc_minus_best_baseline"] == pytest.approx(d["auc"] - d[f"auc_{d['best_baseline']}"])
    low, high = d["ci"]["auc_minus_best_baseline"]
    assert low <= high


def test_weighted_auc_by_location_counts_equals_per_candidate_weights() -> None:
    from tradecoop.opportunities.backtest import weighted_auc

    rng = np.random.default_rng(9)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.random(300), 2)
    loc = rng.integers(0, 7, 300)
    counts = rng.integers(0, 3, (4, 7))
    np.testing.assert_allclose(weighted_auc(y, s, counts, loc), weighted_auc(y, s, counts[:, loc]), atol=WEIGHTED_AUC_TOL)


def test_pooled_auc_equals_scipys_mann_whitney_u() -> None:
    # the counted U is scipy's statistic to the last bit (with and without ties)
    from scipy.stats import mannwhitneyu

    rng = np.random.default_rng(16)
    for n, decimals in ((50, 1), (2000, 2), (2000, 12)):
        y = (rng.random(n) < 0.2).astype(int)
        s = np.round(rng.random(n) + 0.2 * y, decimals)
        u = mannwhitneyu(s[y == 1], s[y == 0], method="asymptotic").statistic
        assert pooled_auc(y, s) == float(u / (int(y.sum()) * int((y == 0).sum())))
    assert np.isnan(pooled_auc(np.array([0, 1, 1]), np.array([0.1, np.nan, 0.3])))


def test_end_window_rca_is_window_stats_rca() -> None:
    from tradecoop.opportunities.backtest import end_window_rca
    from tradecoop.opportunities.feasibility import prepare_panel, window_stats

    frame = _synthetic()
    world = frame.groupby(["year", "product"], as_index=False)["value"].sum()
    world["value"] *= 3.0
    region = frame[frame["location"] == frame["location"].iloc[0]].assign(location="REGION")
    region["value"] *= 0.1
    for panel in (prepare_panel(frame), prepare_panel(frame, world),
                  prepare_panel(pd.concat([frame, region]), external=["REGION"])):
        for years in ((2003, 2004), (2008, 2009, 2010), (2001,)):
            got, want = end_window_rca(panel, years), window_stats(panel, years)
            assert got.years == want.years
            np.testing.assert_array_equal(got.rca, want.rca)
    with pytest.raises(DataValidationError, match="no year in the window"):
        end_window_rca(prepare_panel(frame), (1990,))


def test_grouped_metrics_equal_the_per_location_masks() -> None:
    # the former loops (a mask per location, product codes compared as text) give the same floats
    from tradecoop.opportunities.backtest import by_location, mean_location_auc, product_ranks

    rng = np.random.default_rng(16)
    n = 3000
    loc = rng.choice(np.array(["RUS", "BLR", "KAZ", "RU-CHE", "Z"], dtype=object), n)
    prod = rng.choice(np.array([f"{c:06d}" for c in rng.integers(0, 999999, 400)] + ["9", "10", "0101"],
                               dtype=object), n)
    y = (rng.random(n) < 0.1).astype(int)
    s = np.round(rng.random(n) + 0.2 * y, 2)  # many ties: the product code breaks them
    groups, rank = by_location(loc), product_ranks(prod)

    def old_precision(k):
        vals = []
        for code in np.unique(loc):
            sel = np.flatnonzero(loc == code)
            if sel.size >= k:
                order = np.lexsort((prod[sel].astype(str), -s[sel]))
                vals.append(y[sel][order[:k]].sum() / k)
        return float(np.mean(vals)), len(vals)

    def old_mean_auc():
        aucs = [pooled_auc(y[loc == code], s[loc == code]) for code in np.unique(loc)]
        aucs = [a for a in aucs if np.isfinite(a)]
        return float(np.mean(aucs)), len(aucs)

    for k in (10, 25, 600):  # 600: two of the five locations have that many candidates
        assert precision_at_k(y, s, loc, prod, k, groups=groups, product_rank=rank) == old_precision(k)
        assert precision_at_k(y, s, loc, prod, k) == old_precision(k)
    assert mean_location_auc(y, s, loc, groups=groups) == mean_location_auc(y, s, loc) == old_mean_auc()
