"""Feasibility: how likely a location is to become competitive (RCA >= 1) in a product.

The score is a logistic regression on features of the *start window* only (the years a user
says "now" covers), with weights learned on an earlier transition that ends at or before the
last year of that window. Nothing after the start window is read, so the same code serves the
opportunity engine (score today) and the backtest (score at Y0, check at Y1).

Features of a (location c, product p) cell, from the 3-year (``window``) average of exports:

* ``density``: Hidalgo et al. (2007) density w_cp = sum_p' M_cp' phi_pp' / sum_p' phi_pp',
  with M_cp = 1[RCA_cp >= 1] and phi_pp' = (M'M)_pp' / max(k_p, k_p'), phi_pp = 0
  (doi:10.1126/science.1144581; docs/complexity.md, the recipe (proximity, density)). Where a
  product's phi row is all zero (no panel location has RCA >= 1 in any product that co-occurs
  with it) the density is set to 0, not NaN: there is no evidence of related capabilities.
* ``density_cont``: the same with continuous weights m_cp = RCA/(1 + RCA) (the Atlas's 2026
  continuous M) and continuous proximity phi_pp' = (1 + corr_c(m_cp, m_cp')) / 2, zero
  diagonal (docs/complexity.md, "Continuous proximity"; m instead of raw RCA because raw RCA
  is heavy-tailed and one RCA of 1000 would dominate the correlation).
* ``rca``: the start-window RCA itself (candidates have RCA < 0.5; nearer 0.5 is nearer 1).
* ``log_value``: log(1 + mean exports in USD).
* ``growth``: log(1 + x_last) - log(1 + x_first), the location's exports of the product from
  the window's first to its last year (0 for a one-year window).
* ``world_growth``: the same for world exports of the product (world demand).
* ``ubiquity``: number of (non-external) panel locations with M = 1 in the product.
* ``diversity``: number of products in which the location has M = 1.

RCA (Balassa 1965, doi:10.1111/j.1467-9957.1965.tb00050.x) is
RCA_cp = (x_cp / sum_p x_cp) / (W_p / sum_p W_p), where W_p is the world total of p when
``world_totals`` is given (a panel that is not the whole world, such as the 11 BRICS+ members)
and the panel's own column sum otherwise. Proximity can only be computed from the locations in
the panel; *external* locations (regions inside a country, docs/methods.md section 2) get their RCA
against the same totals but are left out of proximity and ubiquity, so they are never counted
as an extra country.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from tradecoop.columns import LOCATION, PRODUCT, VALUE, YEAR
from tradecoop.complexity.matrices import rca as balassa_rca
from tradecoop.errors import DataQualityWarning, DataValidationError, EstimationError

#: features of the default model, in this order
FEATURES: tuple[str, ...] = (
    "density", "density_cont", "rca", "log_value", "growth", "world_growth", "ubiquity", "diversity",
)
#: a candidate has start-window RCA below this (docs/backtest.md, Protocol)
RCA_CANDIDATE_MAX = 0.5
#: RCA at or above this is "competitive" (M = 1, the Atlas definition; docs/complexity.md, the
#: recipe (M))
RCA_COMPETITIVE = 1.0
#: relative tolerance when checking that world totals are at least the panel's sum
_WORLD_SUM_RTOL = 1e-6


@dataclass(frozen=True)
class Panel:
    """A location x product export panel as dense arrays (absent rows are zeros).

    Attributes
    ----------
    years, locations, products : numpy arrays of the sorted keys.
    values : array (n_years, n_locations, n_products), USD.
    world : array (n_years, n_products) of world totals, or None (RCA against the panel).
    external : bool array (n_locations,), locations left out of proximity and ubiquity.
    """

    years: np.ndarray
    locations: np.ndarray
    products: np.ndarray
    values: np.ndarray = field(repr=False)
    world: np.ndarray | None = field(repr=False)
    external: np.ndarray = field(repr=False)

    def year_index(self, years: Iterable[int]) -> np.ndarray:
        """Positions of the panel years among ``years`` (years the panel lacks are skipped)."""
        wanted = set(int(y) for y in years)
        return np.array([i for i, y in enumerate(self.years) if int(y) in wanted], dtype=int)


def _where(frame: pd.DataFrame, mask: np.ndarray, cols: Sequence[str]) -> str:
    i = int(np.flatnonzero(mask)[0])
    row = frame.iloc[i]
    desc = ", ".join(f"{c}={row[c]}" for c in cols if c in frame.columns)
    return f"{int(mask.sum())} rows (first: {desc}, row {i + 1})"


def _check_values(frame: pd.DataFrame, what: str, keys: Sequence[str]) -> np.ndarray:
    missing = [c for c in (*keys, VALUE) if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"{what} needs columns {', '.join((*keys, VALUE))}; missing {', '.join(missing)} "
            f"(found: {', '.join(map(str, frame.columns))})"
        )
    values = pd.to_numeric(frame[VALUE], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        raise DataValidationError(f"{what}: `value` must be a finite number; {_where(frame, bad, keys)}")
    neg = values < 0
    if neg.any():
        raise DataValidationError(f"{what}: `value` must be non-negative; {_where(frame, neg, keys)}")
    dup = frame.duplicated(list(keys), keep="first").to_numpy()
    if dup.any():
        raise DataValidationError(
            f"{what}: expected one row per ({', '.join(keys)}); {_where(frame, dup, keys)} repeat a key"
        )
    return values


def prepare_panel(
    frame: pd.DataFrame,
    world_totals: pd.DataFrame | None = None,
    *,
    external: Iterable[str] = (),
) -> Panel:
    """Check a tidy ``year, location, product, value`` frame and turn it into a :class:`Panel`.

    Parameters
    ----------
    frame : exports to the world, one row per (year, location, product), USD, non-negative.
    world_totals : optional ``year, product, value`` world exports per product (a ``location``
        column, if present, is ignored). Required when the panel is not the whole world.
    external : locations to keep out of proximity and ubiquity (e.g. regions of a country that
        is itself in the panel).

    Raises
    ------
    DataValidationError
        Missing columns, non-numeric, negative or duplicated values, or world totals lacking a
        panel year.
    """
    keys = (YEAR, LOCATION, PRODUCT)
    values = _check_values(frame, "input", keys)
    years_col = pd.to_numeric(frame[YEAR], errors="coerce")
    if years_col.isna().any():
        raise DataValidationError(
            f"input: `year` must be an integer; {_where(frame, years_col.isna().to_numpy(), keys)}"
        )
    year_arr = years_col.to_numpy(dtype=int)
    loc_arr = frame[LOCATION].astype(str).to_numpy()
    prod_arr = frame[PRODUCT].astype(str).to_numpy()
    years = np.unique(year_arr)
    # labels by hashing (pandas), sorted as np.unique sorts them: the same codes as a searchsorted
    # over sorted string arrays, without its string comparisons on every row
    li, locations = pd.factorize(loc_arr, sort=True)
    products = set(pd.unique(prod_arr).tolist())
    wt = None
    if world_totals is not None:
        wv = _check_values(world_totals, "world totals", (YEAR, PRODUCT))
        wt = (pd.to_numeric(world_totals[YEAR]).to_numpy(dtype=int),
              world_totals[PRODUCT].astype(str).to_numpy(), wv)
        lacking = sorted(set(years.tolist()) - set(np.unique(wt[0]).tolist()))
        if lacking:
            raise DataValidationError(
                f"world totals lack the panel year(s) {lacking}; they cover "
                f"{sorted(np.unique(wt[0]).tolist())}"
            )
        products |= set(wt[1].tolist())
    products_arr = np.array(sorted(products), dtype=object)
    yi = np.searchsorted(years, year_arr)
    pi = pd.Categorical(prod_arr, categories=products_arr).codes
    cube = np.zeros((len(years), len(locations), len(products_arr)))
    cube[yi, li, pi] = values
    ext = np.isin(locations, [str(e) for e in external])
    world = None
    if wt is not None:
        keep = np.isin(wt[0], years)
        world = np.zeros((len(years), len(products_arr)))
        world[np.searchsorted(years, wt[0][keep]), pd.Categorical(wt[1][keep], categories=products_arr).codes] = wt[2][keep]
        panel_sum = cube[:, ~ext].sum(axis=1)  # external regions are already inside their country
        short = world < panel_sum * (1 - _WORLD_SUM_RTOL)
        if short.any():
            warnings.warn(
                f"world totals are below the panel's own sum for {int(short.sum())} (year, product) "
                "cells; the panel sum is used there as the world total",
                DataQualityWarning,
                stacklevel=2,
            )
            world = np.maximum(world, panel_sum)
    return Panel(years, locations.astype(object), products_arr, cube, world, ext)


def binary_density(m: np.ndarray, m_reference: np.ndarray) -> np.ndarray:
    """Density of the rows of ``m`` on the binary proximity built from ``m_reference``.

    phi_pp' = (M_ref'M_ref)_pp' / max(k_p, k_p'), phi_pp = 0, k = ubiquity in ``m_reference``;
    w_cp = sum_p' m_cp' phi_p'p / sum_p' phi_p'p, and 0 where that row sum is 0 (no evidence of
    related capabilities) instead of NaN. Products with k_p = 0 have an all-zero proximity row
    and are left out of the product space. Computed with the complexity engine's
    :class:`tradecoop.complexity.product_space.ProximityOperator` (no Np x Np matrix).

    >>> ref = np.array([[1., 1., 0., 0.], [1., 0., 1., 0.]])  # ubiquities 2, 1, 1, 0
    >>> binary_density(ref, ref).round(3).tolist()  # phi_01 = phi_02 = 1/2, phi_12 = 0
    [[0.5, 1.0, 1.0, 0.0], [0.5, 1.0, 1.0, 0.0]]
    """
    from tradecoop.complexity.product_space import ProximityOperator, density

    kp0 = m_reference.sum(axis=0)
    sub = kp0 > 0
    out = np.zeros(m.shape)
    if sub.sum() < 2:
        return out
    phi = ProximityOperator(m_reference[:, sub], kp0[sub])
    out[:, sub] = np.nan_to_num(density(m[:, sub], phi), nan=0.0)
    return out


def continuous_density(m: np.ndarray, m_reference: np.ndarray) -> np.ndarray:
    """Density of ``m`` on the continuous proximity (1 + corr_c(m_p, m_p')) / 2 of ``m_reference``.

    Uses :class:`tradecoop.complexity.product_space.ContinuousProximityOperator` (the proximity
    of :func:`~tradecoop.complexity.product_space.continuous_proximity` without building the
    Np x Np matrix; it warns when a product has no variance across locations and gives it zero
    proximity) and :func:`~tradecoop.complexity.product_space.density`; NaN (a product related
    to nothing) becomes 0.
    """
    from tradecoop.complexity.product_space import ContinuousProximityOperator, density

    return np.nan_to_num(density(m, ContinuousProximityOperator(m_reference)), nan=0.0)


def rca_matrix(value: np.ndarray, world: np.ndarray | None) -> np.ndarray:
    """RCA_cp = (x_cp / X_c) / (W_p / W); NaN where X_c = 0 or W_p = 0.

    ``world`` is the vector of world totals W_p; None uses the column sums of ``value``.

    >>> rca_matrix(np.array([[1.0, 1.0], [0.0, 2.0]]), None).round(3).tolist()
    [[2.0, 0.667], [0.0, 1.333]]
    """
    wp = value.sum(axis=0) if world is None else world
    xc = value.sum(axis=1)
    if wp.sum() <= 0:
        return np.full(value.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = balassa_rca(value, wp)
    out[(xc == 0)[:, None] | (wp == 0)[None, :]] = np.nan
    return out


@dataclass(frozen=True)
class WindowStats:
    """RCA and features of every (location, product) cell from one window of years."""

    years: tuple[int, ...]
    rca: np.ndarray = field(repr=False)
    features: dict[str, np.ndarray] = field(repr=False)


def window_rca(panel: Panel, years: Iterable[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indices of the panel years inside ``years``, their average exports, RCA of that average).

    Without world totals the world is the panel's countries: external regions are already
    inside their country's row and are not counted twice.
    """
    idx = panel.year_index(years)
    if idx.size == 0:
        raise DataValidationError(
            f"the panel has no year in the window {sorted(years)}; it covers "
            f"{panel.years.min()}-{panel.years.max()}"
        )
    value = panel.values[idx].mean(axis=0)
    inside = ~panel.external
    world = value[inside].sum(axis=0) if panel.world is None else panel.world[idx].mean(axis=0)
    return idx, value, rca_matrix(value, world)


def window_stats(panel: Panel, years: Iterable[int]) -> WindowStats:
    """Average exports over the panel years inside ``years`` and compute RCA and features."""
    idx, value, rca = window_rca(panel, years)
    inside = ~panel.external
    rca0 = np.nan_to_num(rca, nan=0.0)
    m = (rca0 >= RCA_COMPETITIVE).astype(float)
    internal = ~panel.external & np.isfinite(rca).any(axis=1)
    mc = rca0 / (1.0 + rca0)
    first, last = panel.values[idx[0]], panel.values[idx[-1]]
    wfirst = first[inside].sum(axis=0) if panel.world is None else panel.world[idx[0]]
    wlast = last[inside].sum(axis=0) if panel.world is None else panel.world[idx[-1]]
    shape = value.shape
    feats = {
        "density": binary_density(m, m[internal]),
        "density_cont": continuous_density(mc, mc[internal]),
        "rca": rca0,
        "log_value": np.log1p(value),
        "growth": np.log1p(last) - np.log1p(first),
        "world_growth": np.broadcast_to(np.log1p(wlast) - np.log1p(wfirst), shape),
        "ubiquity": np.broadcast_to(m[internal].sum(axis=0), shape),
        "diversity": np.broadcast_to(m.sum(axis=1)[:, None], shape),
    }
    return WindowStats(tuple(int(y) for y in panel.years[idx]), rca, feats)


def candidate_frame(panel: Panel, stats: WindowStats, *, candidates_only: bool = True) -> pd.DataFrame:
    """Long frame ``location, product, <features>`` of the cells with start RCA < 0.5.

    Rows are sorted by location then product. Cells with undefined RCA (location or world
    total zero in the window) are never returned.
    """
    ok = np.isfinite(stats.rca)
    if candidates_only:
        ok &= stats.rca < RCA_CANDIDATE_MAX
    ci, pi = np.nonzero(ok)
    out = pd.DataFrame({LOCATION: panel.locations[ci], PRODUCT: panel.products[pi]})
    for name, arr in stats.features.items():
        out[name] = np.asarray(arr)[ci, pi]
    return out


def appearance_labels(start: WindowStats, end: WindowStats) -> np.ndarray:
    """Labels aligned with :func:`candidate_frame` of ``start``: 1 if RCA >= 1 in ``end``.

    A candidate whose end RCA is undefined (the location or world exported nothing in the
    window) is labelled 0 and counted in a :class:`DataQualityWarning`.
    """
    ok = np.isfinite(start.rca) & (start.rca < RCA_CANDIDATE_MAX)
    end_rca = end.rca[ok]
    undefined = ~np.isfinite(end_rca)
    if undefined.any():
        warnings.warn(
            f"{int(undefined.sum())} candidates have no defined RCA in the end window "
            f"{end.years}; they count as non-appearances",
            DataQualityWarning,
            stacklevel=2,
        )
    return (np.nan_to_num(end_rca, nan=0.0) >= RCA_COMPETITIVE).astype(int)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


#: IRLS stops when the largest Newton step is below this (coefficients per standard deviation)
IRLS_TOL = 1e-10
IRLS_MAX_ITER = 100


def logistic_irls(z: np.ndarray, y: np.ndarray, c: float = 1.0) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression by Newton's method (iteratively reweighted least squares).

    Minimises sum_i loss_i + ||b||^2 / (2c) over slopes b and an unpenalised intercept b0, the
    objective of scikit-learn's ``LogisticRegression(C=c)`` (the tests check both agree), in a
    few lines of numpy: with X = [1, z], p = sigma(X beta), W = diag(p(1 - p)),
    beta <- beta - (X'WX + P/c)^-1 (X'(p - y) + P beta / c), P = diag(0, 1, ..., 1).

    Returns (slopes, intercept).

    >>> z = np.array([[-1.0], [0.0], [1.0], [2.0]])
    >>> b, b0 = logistic_irls(z, np.array([0, 0, 1, 1]), c=1.0)
    >>> round(float(b[0]), 4), round(b0, 4)
    (0.9583, -0.4791)
    """
    x = np.column_stack([np.ones(len(z)), np.asarray(z, dtype=float)])
    y = np.asarray(y, dtype=float)
    penalty = np.eye(x.shape[1]) / c
    penalty[0, 0] = 0.0
    beta = np.zeros(x.shape[1])
    for _ in range(IRLS_MAX_ITER):
        p = _sigmoid(x @ beta)
        grad = x.T @ (p - y) + penalty @ beta
        hess = (x * (p * (1.0 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hess, grad)
        beta = beta - step
        if np.max(np.abs(step)) < IRLS_TOL:
            break
    else:
        raise EstimationError(f"logistic regression did not converge in {IRLS_MAX_ITER} Newton steps")
    return beta[1:], float(beta[0])


def f1_curve(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """F1 of the rule ``score >= t`` at every distinct score t (ascending), in numpy.

    Same thresholds and values as scikit-learn's ``precision_recall_curve`` turned into F1
    (tested against it).

    >>> f1, t = f1_curve(np.array([0, 1, 1, 0]), np.array([0.1, 0.4, 0.35, 0.8]))
    >>> t.tolist(), [round(float(v), 3) for v in f1]
    ([0.1, 0.35, 0.4, 0.8], [0.667, 0.8, 0.5, 0.0])
    """
    y = np.asarray(labels, dtype=float)
    s = np.asarray(scores, dtype=float)
    thresholds, inverse = np.unique(s, return_inverse=True)
    pos = np.bincount(inverse, weights=y, minlength=len(thresholds))
    tot = np.bincount(inverse, minlength=len(thresholds)).astype(float)
    tp = np.cumsum(pos[::-1])[::-1]  # predicted positive at threshold t: score >= t
    predicted = np.cumsum(tot[::-1])[::-1]
    denom = predicted + y.sum()
    f1 = np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1.0), 0.0)
    return f1, thresholds


@dataclass(frozen=True)
class FeasibilityModel:
    """Logistic feasibility model on standardised features.

    linear score s = b0 + sum_j b_j (x_j - mean_j) / scale_j; feasibility = 1 / (1 + e^-s).
    Each term b_j (x_j - mean_j) / scale_j is feature j's contribution, so the contributions
    plus the intercept add up to the linear score.
    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # F1-optimal probability threshold on the training transition
    n_train: int
    n_positive: int
    train_windows: tuple[tuple[int, ...], tuple[int, ...]] | None = None

    @classmethod
    def fit(
        cls,
        features: pd.DataFrame,
        labels: np.ndarray,
        *,
        names: Sequence[str] = FEATURES,
        c: float = 1.0,
        train_windows: tuple[tuple[int, ...], tuple[int, ...]] | None = None,
    ) -> FeasibilityModel:
        """Fit an L2-penalised logistic regression (:func:`logistic_irls`) of labels on features.

        Raises
        ------
        EstimationError
            If the labels contain only one class (nothing to learn from).
        """
        y = np.asarray(labels, dtype=int)
        if y.size == 0 or y.min() == y.max():
            raise EstimationError(
                f"the training transition {train_windows} has {int(y.sum())} appearances among "
                f"{y.size} candidates; a feasibility model needs both appearances and non-appearances"
            )
        unknown = [n for n in names if n not in features.columns]
        if unknown or not names:
            raise DataValidationError(
                f"features must be a non-empty subset of {', '.join(features.columns)}; "
                f"unknown: {', '.join(unknown) or 'none given'}"
            )
        x = features[list(names)].to_numpy(dtype=float)
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
        z = (x - mean) / scale
        coef, intercept = logistic_irls(z, y, c)
        prob = _sigmoid(intercept + z @ coef)
        f1, thr = f1_curve(y, prob)
        threshold = float(thr[int(np.argmax(f1))])
        return cls(
            tuple(names), tuple(mean.tolist()), tuple(scale.tolist()), tuple(coef.tolist()),
            intercept, threshold, int(y.size), int(y.sum()), train_windows,
        )

    @classmethod
    def from_dict(cls, data: dict) -> FeasibilityModel:
        """The inverse of :meth:`to_dict` (a model saved to JSON, e.g. for ``--weights-from FILE``)."""
        try:
            names = tuple(data["features"])
            return cls(
                names, tuple(float(data["mean"][n]) for n in names), tuple(float(data["scale"][n]) for n in names),
                tuple(float(data["coef"][n]) for n in names), float(data["intercept"]), float(data["threshold"]),
                int(data["n_train"]), int(data["n_positive"]),
                None if data.get("train_windows") is None else tuple(tuple(int(y) for y in w) for w in data["train_windows"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataValidationError(
                f"a feasibility model needs features, mean, scale, coef, intercept, threshold, n_train and "
                f"n_positive (as written by FeasibilityModel.to_dict); problem: {exc!r}") from exc

    def restandardised(self, features: pd.DataFrame) -> FeasibilityModel:
        """The same coefficients with means and scales taken from ``features`` (another panel).

        For transfer across panels: features such as ubiquity, diversity or log value have
        panel-specific scales (11 countries vs 200, HS6 vs HS4); z-scoring them within the
        scored candidates makes the learned per-standard-deviation coefficients comparable.
        """
        x = features[list(self.features)].to_numpy(dtype=float)
        scale = x.std(axis=0)
        return replace(self, mean=tuple(x.mean(axis=0).tolist()), scale=tuple(np.where(scale > 0, scale, 1.0).tolist()))

    def _z(self, features: pd.DataFrame) -> np.ndarray:
        missing = [f for f in self.features if f not in features.columns]
        if missing:
            raise DataValidationError(f"features lack column(s) {', '.join(missing)}")
        x = features[list(self.features)].to_numpy(dtype=float)
        return (x - np.array(self.mean)) / np.array(self.scale)

    def linear_score(self, features: pd.DataFrame) -> np.ndarray:
        """s = b0 + sum_j b_j z_j (the log-odds of an appearance)."""
        return self.intercept + self._z(features) @ np.array(self.coef)

    def score(self, features: pd.DataFrame) -> np.ndarray:
        """Feasibility in (0, 1): the logistic of the linear score."""
        return _sigmoid(self.linear_score(features))

    def contributions(self, features: pd.DataFrame) -> pd.DataFrame:
        """Per-feature contributions b_j z_j, plus ``intercept`` and ``linear_score`` (their sum)."""
        parts = self._z(features) * np.array(self.coef)
        out = pd.DataFrame(parts, columns=list(self.features), index=features.index)
        out["intercept"] = self.intercept
        out["linear_score"] = parts.sum(axis=1) + self.intercept
        return out

    def coefficients(self) -> pd.DataFrame:
        """One row per feature: coefficient (per standard deviation), mean and scale used."""
        return pd.DataFrame({"feature": self.features, "coef": self.coef, "mean": self.mean,
                             "scale": self.scale})

    def to_dict(self) -> dict:
        return {
            "features": list(self.features),
            "coef": dict(zip(self.features, self.coef, strict=True)),
            "mean": dict(zip(self.features, self.mean, strict=True)),
            "scale": dict(zip(self.features, self.scale, strict=True)),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "n_train": self.n_train,
            "n_positive": self.n_positive,
            "train_windows": None if self.train_windows is None else [list(w) for w in self.train_windows],
        }


def training_windows(panel: Panel, last_year: int, window: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The transition the weights are learned on: it ends at ``last_year`` (never later).

    With n panel years up to ``last_year`` the training window is w = min(window, n // 2):
    the first w of those years -> the last w. E.g. panel 2015-2024, start window 2015-2017:
    2015 -> 2017; start window 2018-2020: 2015-2017 -> 2018-2020.

    Raises
    ------
    DataValidationError
        If fewer than two panel years end at or before ``last_year``.
    """
    yrs = [int(y) for y in panel.years if y <= last_year]
    w = min(window, len(yrs) // 2)
    if w < 1:
        raise DataValidationError(
            f"learning feasibility weights needs a transition ending by {last_year}: at least 2 "
            f"panel years up to {last_year}; the panel has {yrs}"
        )
    return tuple(yrs[:w]), tuple(yrs[-w:])


def fit_feasibility(
    panel: Panel, last_year: int, window: int = 3, *, c: float = 1.0, names: Sequence[str] = FEATURES
) -> FeasibilityModel:
    """Learn feasibility weights on the transition :func:`training_windows` picks."""
    tw = training_windows(panel, last_year, window)
    start, end = window_stats(panel, tw[0]), window_stats(panel, tw[1])
    feats = candidate_frame(panel, start)
    return FeasibilityModel.fit(feats, appearance_labels(start, end), names=names, c=c, train_windows=tw)


def feasibility_at(
    frame: pd.DataFrame,
    year: int,
    window: int = 3,
    world_totals: pd.DataFrame | None = None,
    *,
    external: Iterable[str] = (),
    candidates_only: bool = True,
) -> tuple[pd.DataFrame, FeasibilityModel]:
    """Score every candidate at the window ending at ``year`` (for the opportunity engine).

    Returns the candidate frame (``location, product``, features, ``feasibility``,
    ``linear_score``) and the fitted model (whose :meth:`FeasibilityModel.contributions`
    explain each score). Only years <= ``year`` are read.
    """
    panel = prepare_panel(frame[pd.to_numeric(frame[YEAR], errors="coerce") <= year], world_totals,
                          external=external)
    model = fit_feasibility(panel, year, window)
    stats = window_stats(panel, range(year - window + 1, year + 1))
    out = candidate_frame(panel, stats, candidates_only=candidates_only)
    out["linear_score"] = model.linear_score(out)
    out["feasibility"] = _sigmoid(out["linear_score"].to_numpy())
    return out, model
