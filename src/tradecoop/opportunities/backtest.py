"""Backtest of the feasibility score's predictive validity (docs/backtest.md).

Protocol
--------
* Start window: the ``window`` years from ``start`` (Y0 .. Y0+w-1); end window: the ``window``
  years up to ``end`` (Y1-w+1 .. Y1); they must not overlap. RCA comes from the average of
  the years the panel has inside each window.
* Candidates: every (location, product) with start-window RCA < 0.5, zero exports included.
  An *appearance* is a candidate with end-window RCA >= 1.
* The engine's score is :class:`~tradecoop.opportunities.feasibility.FeasibilityModel` with
  weights learned on a transition that ends at or before the start window's last year (see
  :func:`~tradecoop.opportunities.feasibility.training_windows`) and features from the start
  window only. Nothing from after the start window reaches the score.
* Baselines on the same candidates: binary density, continuous density, RCA, base rate.
* Metrics: pooled ROC AUC (Hanley & McNeil 1982, doi:10.1148/radiology.143.1.7063747, as the
  Mann-Whitney U statistic, counted exactly in integers), mean within-location AUC (locations
  with both classes), precision@k per location averaged over locations (locations with fewer than k candidates are left out and
  counted), best F1 on the test window (**optimistic**: the threshold is chosen on the test
  data), F1 at the threshold chosen on the training transition, and percentile bootstrap CIs
  resampling locations with replacement (Efron & Tibshirani 1993), seeded, computed for all
  resamples at once (:func:`weighted_auc`). The headline is ``auc_minus_best_baseline``: the
  engine against the best single baseline on the same data, with its CI.
* Two-snapshot panels (only the start and the end year) have no earlier transition to learn
  from: they are scored with weights learned elsewhere (``model=``; CLI ``--weights-from``),
  with the features standardised within the scored panel so that per-standard-deviation
  coefficients transfer across panels of different size and HS level.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tradecoop.columns import LOCATION, PRODUCT
from tradecoop.errors import DataValidationError
from tradecoop.opportunities.feasibility import (
    FEATURES,
    FeasibilityModel,
    Panel,
    WindowStats,
    appearance_labels,
    candidate_frame,
    f1_curve,
    fit_feasibility,
    prepare_panel,
    window_rca,
    window_stats,
)

#: score columns compared, with the JSON suffix of their metrics
SCORERS: dict[str, str] = {"score": "", "density": "_density", "density_cont": "_density_cont",
                           "rca": "_rca"}
#: k values of precision@k
TOP_K: tuple[int, ...] = (10, 25)
#: percentile bootstrap confidence level
CI_LEVEL = 0.95


def pooled_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC over all candidates (ties count one half); NaN if only one class is present.

    The Mann-Whitney U of the positives' scores against the negatives' divided by
    n_pos * n_neg (Hanley & McNeil 1982): scores are sorted and tied once, and U is counted in
    integers (for each tie class, positives x negatives strictly below, plus half the
    positives x negatives tied), so it is exact and equal to :func:`scipy.stats.mannwhitneyu`'s
    statistic without importing ``scipy.stats`` (~0.4 s a process). NaN scores give NaN, as
    scipy's default does. Unit tests hold it to scipy and to scikit-learn's ``roc_auc_score``.

    >>> pooled_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
    labels = np.asarray(labels)
    scores = np.asarray(scores, dtype=float)
    pos = labels == 1
    n_pos = int(pos.sum())
    n_neg = labels.size - n_pos
    if n_pos == 0 or n_neg == 0 or np.isnan(scores).any():
        return float("nan")
    _values, tie = np.unique(scores, return_inverse=True)
    n_ties = int(tie.max()) + 1
    pos_at = np.bincount(tie[pos], minlength=n_ties)
    neg_at = np.bincount(tie[~pos], minlength=n_ties)
    neg_below = np.cumsum(neg_at) - neg_at
    twice_u = 2 * int(pos_at @ neg_below) + int(pos_at @ neg_at)
    return float(twice_u / 2 / (n_pos * n_neg))


def by_location(locations: np.ndarray) -> list[np.ndarray]:
    """Each location's candidate positions (ascending), locations in sorted order: the groups
    of :func:`mean_location_auc` and :func:`precision_at_k`, found once for every scorer.

    >>> [g.tolist() for g in by_location(np.array(["B", "A", "B", "A", "C"]))]
    [[1, 3], [0, 2], [4]]
    """
    _labels, inverse = np.unique(np.asarray(locations), return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    return np.split(order, np.cumsum(np.bincount(inverse))[:-1])


def mean_location_auc(labels: np.ndarray, scores: np.ndarray, locations: np.ndarray, *,
                      groups: list[np.ndarray] | None = None) -> tuple[float, int]:
    """Mean of the per-location AUCs over locations that have both classes, and their count.

    ``groups``: :func:`by_location` of ``locations``, when already at hand.
    """
    aucs = []
    for sel in by_location(locations) if groups is None else groups:
        a = pooled_auc(labels[sel], scores[sel])
        if np.isfinite(a):
            aucs.append(a)
    return (float(np.mean(aucs)) if aucs else float("nan")), len(aucs)


def precision_at_k(
    labels: np.ndarray, scores: np.ndarray, locations: np.ndarray, products: np.ndarray, k: int, *,
    groups: list[np.ndarray] | None = None, product_rank: np.ndarray | None = None,
) -> tuple[float, int]:
    """Mean over locations of (appearances among the location's top-k candidates) / k.

    Candidates are ranked by score, ties broken by product code (ascending, as text) so the
    result is deterministic. Locations with fewer than k candidates are left out; the second
    value is the number of locations averaged. ``groups`` (:func:`by_location`) and
    ``product_rank`` (:func:`product_ranks`) may be passed when already at hand.
    """
    rank = product_ranks(products) if product_rank is None else product_rank
    vals = []
    for sel in by_location(locations) if groups is None else groups:
        if sel.size < k:
            continue
        order = np.lexsort((rank[sel], -scores[sel]))
        vals.append(labels[sel][order[:k]].sum() / k)
    return (float(np.mean(vals)) if vals else float("nan")), len(vals)


def product_ranks(products: np.ndarray) -> np.ndarray:
    """Each candidate's product code as its rank among the codes sorted as text (equal codes,
    equal ranks): the tie-break of :func:`precision_at_k` as integers."""
    return np.unique(np.asarray(products).astype(str), return_inverse=True)[1]


def best_f1(labels: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """Highest F1 over all thresholds on these data, and that threshold (optimistic)."""
    if labels.size == 0 or labels.max() == 0:
        return float("nan"), float("nan")
    f1, thr = f1_curve(labels, scores)
    i = int(np.argmax(f1))
    return float(f1[i]), float(thr[i])


def f1_at(labels: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    """F1 of the rule score >= threshold.

    >>> f1_at(np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.2, 0.1]), 0.5)
    0.5
    """
    pred = scores >= threshold
    tp = int((pred & (labels == 1)).sum())
    denom = int(pred.sum()) + int(labels.sum())
    return 2 * tp / denom if denom else float("nan")


def weighted_auc(labels: np.ndarray, scores: np.ndarray, weights: np.ndarray,
                 groups: np.ndarray | None = None) -> np.ndarray:
    """ROC AUC of each row of ``weights`` (bootstrap resample counts), all rows at once.

    AUC = sum over (positive i, negative j) of w_i w_j (1[s_i > s_j] + 1/2 1[s_i = s_j]) divided
    by (sum of positive weights)(sum of negative weights): the Mann-Whitney statistic of a
    resample in which candidate i appears w_i times. Scores are sorted and tied once; each
    resample is then a matrix product and a cumulative sum. ``weights`` is (n_boot, n_candidates),
    or (n_boot, n_groups) with ``groups`` giving each candidate's group (e.g. its location, the
    unit resampled): the products then run over groups x tie classes. NaN where a resample has
    one class only.

    >>> weighted_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]), np.ones((1, 4))).tolist()
    [0.75]
    """
    labels = np.asarray(labels)
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    unit = np.arange(labels.size) if groups is None else np.asarray(groups)
    _values, tie = np.unique(np.asarray(scores, dtype=float), return_inverse=True)
    shape = (w.shape[1], int(tie.max()) + 1)
    pos_mask = labels == 1
    cell = unit * shape[1] + tie
    pos = np.bincount(cell[pos_mask], minlength=shape[0] * shape[1]).reshape(shape).astype(float)
    neg = np.bincount(cell[~pos_mask], minlength=shape[0] * shape[1]).reshape(shape).astype(float)
    below = np.cumsum(neg, axis=1) - neg  # per unit: negatives strictly below each tie class
    has_pos = pos.sum(axis=0) > 0  # only tie classes holding a positive enter the numerator
    pos, neg_at, below = pos[:, has_pos], neg[:, has_pos], below[:, has_pos]
    num = ((w @ pos) * (w @ below + 0.5 * (w @ neg_at))).sum(axis=1)
    den = (w @ pos.sum(axis=1)) * (w @ neg.sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _bootstrap(
    labels: np.ndarray, table: pd.DataFrame, locations: np.ndarray, n_boot: int, seed: int,
    best: str | None = None,
) -> dict[str, list[float]]:
    """Percentile CIs of the pooled AUCs and of engine minus density / best baseline, resampling locations."""
    rng = np.random.default_rng(seed)
    uniq, inverse = np.unique(locations, return_inverse=True)
    picks = rng.integers(0, len(uniq), (n_boot, len(uniq)))
    counts = np.stack([np.bincount(row, minlength=len(uniq)) for row in picks])  # (n_boot, n_locations)
    # each candidate is weighted by how often its location was drawn
    draws = {f"auc{suffix}": weighted_auc(labels, table[col].to_numpy(dtype=float), counts, inverse)
             for col, suffix in SCORERS.items()}
    draws["auc_minus_auc_density"] = draws["auc"] - draws["auc_density"]
    if best is not None:
        draws["auc_minus_best_baseline"] = draws["auc"] - draws[f"auc{SCORERS[best]}"]
    lo, hi = (1 - CI_LEVEL) / 2 * 100, (1 + CI_LEVEL) / 2 * 100
    out = {}
    for key, arr in draws.items():
        arr = arr[np.isfinite(arr)]
        out[key] = [float(np.percentile(arr, lo)), float(np.percentile(arr, hi))] if arr.size else [
            float("nan"), float("nan")]
    return out


@dataclass(frozen=True)
class BacktestResult:
    """Outcome of :func:`run_backtest`: counts, metrics, CIs, the model and the scored candidates."""

    start_window: tuple[int, ...]
    end_window: tuple[int, ...]
    candidates: int
    appearances: int
    locations: int
    products: int
    metrics: dict[str, float | str]
    ci: dict[str, list[float]]
    model: FeasibilityModel
    n_boot: int
    seed: int
    scored: pd.DataFrame = field(repr=False)
    weights_source: str = "learned on the panel's own earlier transition"

    def to_dict(self) -> dict:
        """JSON-ready summary (``auc``, ``auc_density``, ``auc_rca``, ``precision_at_10``, ...)."""
        return {
            "start_window": list(self.start_window),
            "end_window": list(self.end_window),
            "candidates": self.candidates,
            "appearances": self.appearances,
            "base_rate": self.appearances / self.candidates if self.candidates else float("nan"),
            "locations": self.locations,
            "products": self.products,
            **self.metrics,
            "ci": self.ci,
            "ci_level": CI_LEVEL,
            "bootstrap": {"resampled": "locations", "n_boot": self.n_boot, "seed": self.seed},
            "model": self.model.to_dict(),
            "weights_source": self.weights_source,
            "notes": {
                "auc_minus_best_baseline": "the headline: engine AUC minus the best single baseline's "
                "(density, continuous density or RCA, whichever has the highest AUC on these data)",
                "best_f1": "optimistic: threshold chosen on the test window itself",
                "f1_at_train_threshold": "threshold chosen on the training transition "
                f"{self.model.train_windows}, which ends by the start window's last year",
                "precision_at_k": "mean over locations of hits in the top k; locations with "
                "fewer than k candidates are left out (counted in precision_at_k_locations)",
                "density": "binary proximity from the panel's own locations' M",
                "density_cont": "continuous proximity (1 + corr(m_p, m_p'))/2 with m = RCA/(1+RCA)",
            },
        }

    def to_frame(self) -> pd.DataFrame:
        """The scored candidates: location, product, label, score and baseline columns."""
        return self.scored.copy()


def window_years(start: int, end: int, window: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Start window Y0..Y0+w-1 and end window Y1-w+1..Y1; raise if they overlap.

    >>> window_years(2015, 2024, 3)
    ((2015, 2016, 2017), (2022, 2023, 2024))
    """
    if window < 1:
        raise DataValidationError(f"`window` must be at least 1; got {window}")
    sw = tuple(range(start, start + window))
    ew = tuple(range(end - window + 1, end + 1))
    if sw[-1] >= ew[0]:
        raise DataValidationError(
            f"start window {sw[0]}-{sw[-1]} and end window {ew[0]}-{ew[-1]} overlap; "
            f"need end - start >= 2 * window - 1 = {2 * window - 1} (got {end - start})"
        )
    return sw, ew


def end_window_rca(panel: Panel, years: Iterable[int]) -> WindowStats:
    """The end window's RCA only (its features are never used): the RCA part of
    :func:`~tradecoop.opportunities.feasibility.window_stats`, without the two densities that
    are most of its cost (a unit test holds the two RCAs equal)."""
    idx, _value, rca = window_rca(panel, years)
    return WindowStats(tuple(int(y) for y in panel.years[idx]), rca, {})


def run_backtest(
    frame: pd.DataFrame,
    start: int,
    end: int,
    window: int = 3,
    world_totals: pd.DataFrame | None = None,
    *,
    external: Iterable[str] = (),
    n_boot: int = 200,
    seed: int = 0,
    c: float = 1.0,
    features: Sequence[str] = FEATURES,
    model: FeasibilityModel | None = None,
    weights_source: str | None = None,
) -> BacktestResult:
    """Score candidates at the start window and check them against the end window.

    Parameters
    ----------
    frame : ``year, location, product, value`` exports (USD), one HS vintage.
    start, end : Y0 (first year of the start window) and Y1 (last year of the end window).
    window : years per window (RCA from their average; years the panel lacks are skipped).
    world_totals : ``year, product, value`` world exports, the RCA denominator for a panel that
        is not the whole world (e.g. ``world_totals_hs6`` for ``brics_hs6``).
    external : locations kept out of proximity (regions of a country in the panel).
    n_boot, seed : bootstrap resamples over locations and the RNG seed.
    c : inverse L2 penalty of the logistic regression.
    features : the model's features (a subset of ``FEATURES``; for ablations).
    model : weights learned elsewhere (another panel, a saved file); the features are then
        standardised within this panel's candidates (:meth:`FeasibilityModel.restandardised`),
        and nothing is learned here. Needed when the panel has no transition ending by the start
        window (e.g. only a start and an end snapshot).
    weights_source : how ``model`` was obtained, reported with the result.

    Returns
    -------
    BacktestResult
    """
    sw, ew = window_years(start, end, window)
    panel = prepare_panel(frame, world_totals, external=external)
    s_stats = window_stats(panel, sw)
    e_stats = end_window_rca(panel, ew)
    cand = candidate_frame(panel, s_stats)
    labels = appearance_labels(s_stats, e_stats)
    if model is None:
        try:
            model = fit_feasibility(panel, sw[-1], window, c=c, names=features)
        except DataValidationError as exc:
            raise DataValidationError(
                f"{exc}. A panel with only a start and an end snapshot can be scored with weights learned "
                "elsewhere: --weights-from DATASET|FILE (run_backtest(model=...))") from exc
        source = weights_source or f"learned on this panel's transition {model.train_windows}"
    else:
        model = model.restandardised(cand)
        source = (weights_source or "given model") + "; features standardised within this panel's candidates"
    cand["score"] = model.score(cand)
    cand["label"] = labels
    locs = cand[LOCATION].to_numpy()
    prods = cand[PRODUCT].to_numpy()
    metrics: dict[str, float | str] = {}
    groups, rank = by_location(locs), product_ranks(prods)
    for col, suffix in SCORERS.items():
        s = cand[col].to_numpy(dtype=float)
        metrics[f"auc{suffix}"] = pooled_auc(labels, s)
        metrics[f"mean_location_auc{suffix}"], n_auc_locs = mean_location_auc(labels, s, locs, groups=groups)
        for k in TOP_K:
            metrics[f"precision_at_{k}{suffix}"], n_k = precision_at_k(
                labels, s, locs, prods, k, groups=groups, product_rank=rank)
            metrics[f"precision_at_{k}_locations"] = n_k
        metrics[f"best_f1{suffix}"], metrics[f"best_f1_threshold{suffix}"] = best_f1(labels, s)
    metrics["mean_location_auc_locations"] = n_auc_locs
    metrics["auc_minus_auc_density"] = metrics["auc"] - metrics["auc_density"]
    baselines = {col: metrics[f"auc{suffix}"] for col, suffix in SCORERS.items() if col != "score"}
    best = max(baselines, key=lambda k: (np.nan_to_num(baselines[k], nan=-np.inf), k))
    metrics["best_baseline"] = best
    metrics["auc_best_baseline"] = baselines[best]
    metrics["auc_minus_best_baseline"] = metrics["auc"] - baselines[best]
    metrics["f1_at_train_threshold"] = f1_at(labels, cand["score"].to_numpy(), model.threshold)
    ci = _bootstrap(labels, cand, locs, n_boot, seed, best) if n_boot > 0 else {}
    return BacktestResult(
        sw, ew, int(labels.size), int(labels.sum()), int(np.unique(locs).size),
        int(np.unique(prods).size), metrics, ci, model, n_boot, seed, cand, source,
    )
