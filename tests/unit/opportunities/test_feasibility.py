"""Feasibility model: hand-checked kernels, contributions that add up, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tradecoop.errors import DataValidationError, EstimationError
from tradecoop.opportunities.feasibility import (
    FEATURES,
    FeasibilityModel,
    binary_density,
    candidate_frame,
    feasibility_at,
    fit_feasibility,
    prepare_panel,
    rca_matrix,
    training_windows,
    window_stats,
)

ATOL = 1e-12  # exact arithmetic on small integers; only float rounding separates the values


def _synthetic(seed: int = 7, n_loc: int = 12, n_prod: int = 40, years=range(2000, 2010)) -> pd.DataFrame:
    """Locations drift along a line of products; values fall off with distance (seeded)."""
    rng = np.random.default_rng(seed)
    u, v = rng.uniform(0, 1, n_loc), rng.normal(0, 0.03, n_loc)
    q = np.linspace(0, 1, n_prod)
    rows = []
    for t in years:
        pos = u + v * (t - 2000)
        val = 1e6 * np.exp(-((pos[:, None] - q[None, :]) ** 2) / 0.02) * rng.lognormal(0, 0.5, (n_loc, n_prod))
        for c in range(n_loc):
            for p in range(n_prod):
                if val[c, p] > 1e3:  # small flows are absent rows (zeros)
                    rows.append((t, f"L{c:02d}", f"{p:04d}", val[c, p]))
    return pd.DataFrame(rows, columns=["year", "location", "product", "value"])


def test_rca_against_world_totals_by_hand() -> None:
    # x = [[1, 3]] (one location), world W = [4, 4]: X_c = 4, W = 8
    # RCA_1 = (1/4)/(4/8) = 0.5, RCA_2 = (3/4)/(4/8) = 1.5
    out = rca_matrix(np.array([[1.0, 3.0]]), np.array([4.0, 4.0]))
    np.testing.assert_allclose(out, [[0.5, 1.5]], atol=ATOL)


def test_density_by_hand() -> None:
    # reference M = [[1,1,0,0],[1,0,1,0]]; ubiquity k = (2,1,1,0); M'M off-diagonal: C_01 = 1,
    # C_02 = 1, C_12 = 0 -> phi_01 = 1/max(2,1) = 0.5, phi_02 = 0.5, phi_12 = 0; product 3
    # (k = 0) has a zero row. Scored row m = [0,1,1,0]:
    #   product 0: (m_1 phi_10 + m_2 phi_20) / (phi_10 + phi_20) = (0.5 + 0.5) / 1 = 1
    #   product 1: (m_0 phi_01 + m_2 phi_21) / (0.5 + 0) = 0
    #   product 2: (m_0 phi_02 + m_1 phi_12) / 0.5 = 0;  product 3: row sum 0 -> 0
    ref = np.array([[1, 1, 0, 0], [1, 0, 1, 0]], dtype=float)
    w = binary_density(np.array([[0, 1, 1, 0], [1, 0, 0, 0]], dtype=float), ref)
    # second row [1,0,0,0]: product 1: (1 * 0.5) / 0.5 = 1; product 2: likewise 1; product 0: 0
    np.testing.assert_allclose(w, [[1, 0, 0, 0], [0, 1, 1, 0]], atol=ATOL)


def test_training_windows_end_by_the_start_window() -> None:
    panel = prepare_panel(_synthetic(years=range(2015, 2025)))
    assert training_windows(panel, 2017, 3) == ((2015,), (2017,))
    assert training_windows(panel, 2020, 3) == ((2015, 2016, 2017), (2018, 2019, 2020))
    with pytest.raises(DataValidationError, match="at least 2"):
        training_windows(panel, 2015, 3)


def test_contributions_add_up_to_the_linear_score() -> None:
    panel = prepare_panel(_synthetic())
    model = fit_feasibility(panel, 2004, 3)
    feats = candidate_frame(panel, window_stats(panel, range(2004, 2007)))
    contrib = model.contributions(feats)
    parts = contrib[list(FEATURES)].sum(axis=1) + contrib["intercept"]
    np.testing.assert_allclose(parts, contrib["linear_score"], rtol=1e-12)
    np.testing.assert_allclose(contrib["linear_score"], model.linear_score(feats), rtol=1e-12)
    np.testing.assert_allclose(model.score(feats), 1 / (1 + np.exp(-model.linear_score(feats))), rtol=1e-12)


def test_fit_is_deterministic() -> None:
    panel = prepare_panel(_synthetic())
    a, b = fit_feasibility(panel, 2004, 3), fit_feasibility(panel, 2004, 3)
    assert a == b
    assert a.train_windows == ((2000, 2001), (2003, 2004))


def test_one_class_labels_cannot_be_learned() -> None:
    feats = pd.DataFrame({f: [0.0, 1.0, 2.0] for f in FEATURES})
    with pytest.raises(EstimationError, match="both appearances and non-appearances"):
        FeasibilityModel.fit(feats, np.zeros(3))


def test_external_location_does_not_change_proximity() -> None:
    frame = _synthetic()
    region = frame[frame["location"] == "L00"].assign(location="RU-CHE", value=lambda d: d["value"] / 3)
    world = frame.groupby(["year", "product"], as_index=False)["value"].sum()
    base = window_stats(prepare_panel(frame, world), [2005])
    with_region = window_stats(prepare_panel(pd.concat([frame, region]), world, external=["RU-CHE"]), [2005])
    # the region sits last in sorted order ('RU-CHE' > 'L..'): the countries' rows come first
    np.testing.assert_allclose(with_region.features["density"][:-1], base.features["density"], atol=ATOL)
    np.testing.assert_allclose(with_region.rca[:-1], base.rca, atol=ATOL)
    # without world totals the countries' own sum is the world: the region is not added to it
    base_own = window_stats(prepare_panel(frame), [2005])
    region_own = window_stats(prepare_panel(pd.concat([frame, region]), external=["RU-CHE"]), [2005])
    np.testing.assert_allclose(region_own.rca[:-1], base_own.rca, atol=ATOL)
    np.testing.assert_allclose(region_own.features["density"][:-1], base_own.features["density"], atol=ATOL)


def test_bad_input_names_the_row() -> None:
    frame = pd.DataFrame({"year": [2000, 2000], "location": ["A", "B"], "product": ["01", "01"],
                          "value": [1.0, -2.0]})
    with pytest.raises(DataValidationError, match="non-negative.*location=B.*row 2"):
        prepare_panel(frame)
    dup = pd.concat([frame.iloc[:1], frame.iloc[:1]])
    with pytest.raises(DataValidationError, match="one row per"):
        prepare_panel(dup)
    with pytest.raises(DataValidationError, match="missing value"):
        prepare_panel(frame.drop(columns="value"))


def test_feasibility_at_reads_nothing_after_the_year() -> None:
    frame = _synthetic()
    later = frame["year"] > 2006
    changed = frame.copy()
    changed.loc[later, "value"] *= 5.0
    a, _ = feasibility_at(frame, 2006)
    b, _ = feasibility_at(changed, 2006)
    pd.testing.assert_frame_equal(a, b)


def test_unknown_feature_names_are_rejected() -> None:
    feats = pd.DataFrame({"density": [0.0, 1.0], "rca": [0.1, 0.2]})
    with pytest.raises(DataValidationError, match="unknown: pci"):
        FeasibilityModel.fit(feats, np.array([0, 1]), names=("density", "pci"))


#: lbfgs (scikit-learn) and Newton (ours) stop at different points of the same optimum
IRLS_SKLEARN_TOL = 1e-6


@pytest.mark.parametrize("c", [0.1, 1.0, 10.0])
def test_irls_matches_scikit_learn(c) -> None:
    from sklearn.linear_model import LogisticRegression

    from tradecoop.opportunities.feasibility import logistic_irls

    rng = np.random.default_rng(11)
    x = rng.normal(size=(800, 6))
    y = (rng.random(800) < 1 / (1 + np.exp(-(x @ np.array([1.0, -0.5, 0.0, 0.3, 2.0, -1.0]) - 1.5)))).astype(int)
    ref = LogisticRegression(C=c, max_iter=10_000, tol=1e-12).fit(x, y)
    coef, intercept = logistic_irls(x, y, c)
    np.testing.assert_allclose(coef, ref.coef_[0], atol=IRLS_SKLEARN_TOL)
    assert intercept == pytest.approx(float(ref.intercept_[0]), abs=IRLS_SKLEARN_TOL)


def test_f1_curve_matches_scikit_learn() -> None:
    from sklearn.metrics import precision_recall_curve

    from tradecoop.opportunities.feasibility import f1_curve

    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.random(300), 2)  # ties on purpose
    prec, rec, thr = precision_recall_curve(y, s)
    with np.errstate(invalid="ignore", divide="ignore"):
        ref = np.where(prec + rec > 0, 2 * prec * rec / (prec + rec), 0.0)[:-1]
    f1, t = f1_curve(y, s)
    keep = np.isin(t, thr)  # scikit-learn drops thresholds above the last full-recall point
    np.testing.assert_allclose(t[keep], thr)
    np.testing.assert_allclose(f1[keep], ref, atol=1e-12)


def test_model_round_trips_through_a_dict() -> None:
    _scored, model = feasibility_at(_synthetic(), 2005, 3)
    assert FeasibilityModel.from_dict(model.to_dict()) == model
