"""Solvers and special cases: disconnected networks, reflections, fitness, fast proximity, regions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tradecoop.complexity import compute_complexity, external_outlook, external_outlook_frame
from tradecoop.complexity.eci import (
    eigenvector_complexity,
    fitness_complexity,
    reflections_complexity,
)
from tradecoop.complexity.product_space import (
    continuous_proximity,
    proximity,
    proximity_matmul,
)
from tradecoop.errors import ConvergenceError, DataQualityWarning

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ecomplexity"
#: reflections stop at a z-score change of 1e-10 per iteration; the limit agrees to ~1e-8
REFLECTIONS_ATOL = 1e-6
#: the fast Y @ phi differs from the explicit product only by summation order
MATMUL_RTOL = 1e-12
#: external evaluation of a country repeats the same arithmetic in another order
EXTERNAL_ATOL = 1e-10


def _random_m(seed: int, nc: int = 25, np_: int = 60) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = (rng.random((nc, np_)) < rng.uniform(0.1, 0.6, size=(nc, 1))).astype(float)
    m[:, 0] = 1.0  # one shared product keeps the network connected
    m[np.arange(nc), rng.integers(1, np_, nc)] = 1.0
    return m[:, m.sum(0) > 0]


def test_disconnected_network_raises():
    # two blocks that share no product: lambda2 = lambda1 = 1
    m = np.kron(np.eye(2), np.ones((2, 2)))
    with pytest.raises(ConvergenceError, match="disconnected"):
        eigenvector_complexity(m, m.sum(1), m.sum(0))


def test_disconnected_network_raises_through_public_api():
    frame = pd.DataFrame({"year": 1, "location": list("AABBCCDD"), "product": list("pqpqrsrs"),
                          "value": 1.0})
    with pytest.raises(ConvergenceError, match="disconnected"):
        compute_complexity(frame)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reflections_approach_eigenvector(seed):
    m = _random_m(seed)
    frame = pd.DataFrame([(c, p, 1.0) for c, p in zip(*np.nonzero(m), strict=True)],
                         columns=["location", "product", "given"])
    # values = M itself -> RCA differs, so use the given-M path for both methods
    frame = frame.assign(value=1.0, year=2000)
    eig = compute_complexity(frame, M="given").only()
    ref = compute_complexity(frame, M="given", method="reflections").only()
    assert ref.iterations > 1
    np.testing.assert_allclose(ref.eci, eig.eci, atol=REFLECTIONS_ATOL)
    np.testing.assert_allclose(ref.pci, eig.pci, atol=REFLECTIONS_ATOL)
    np.testing.assert_allclose(ref.cog, eig.cog, atol=REFLECTIONS_ATOL)


def test_reflections_raise_when_not_converged():
    m = _random_m(3)
    with pytest.raises(ConvergenceError, match="did not converge in 2 iterations"):
        reflections_complexity(m, m.sum(1), m.sum(0), max_iter=2)


def test_fitness_warns_without_rank_stability_and_ranks_nested_matrix():
    # nested M: A has every product, B the two most common, C only the most common
    m = np.array([[1.0, 1, 1], [1, 1, 0], [1, 0, 0]])
    with pytest.warns(RuntimeWarning, match="ranking not stable"):
        fitness_complexity(m, max_iter=3, patience=10)
    f, q, it, stable = fitness_complexity(m)
    assert stable and it >= 50
    assert f[0] > f[1] > f[2]          # more diversified -> fitter
    assert q[2] > q[1] > q[0]          # made only by the fittest -> more complex
    np.testing.assert_allclose([f.mean(), q.mean()], [1.0, 1.0], rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_proximity_matmul_equals_explicit_product(seed):
    m = _random_m(seed)
    kp0 = m.sum(0)
    y = np.random.default_rng(seed).normal(size=(4, m.shape[1]))
    np.testing.assert_allclose(proximity_matmul(y, m, kp0), y @ proximity(m, kp0), rtol=MATMUL_RTOL,
                               atol=1e-13)


def test_continuous_proximity_symmetric_zero_diagonal():
    rca = np.random.default_rng(0).lognormal(size=(20, 8))
    phi = continuous_proximity(rca)
    np.testing.assert_allclose(phi, phi.T)
    assert (np.diag(phi) == 0).all() and (phi >= 0).all() and (phi <= 1).all()


def _corrcoef_proximity(rca):
    """The definition, as np.corrcoef gives it: (1 + corr) / 2, undefined cells 0, zero diagonal."""
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = (1.0 + np.corrcoef(rca, rowvar=False)) / 2.0
    bad = ~np.isfinite(phi)
    phi[bad] = 0.0
    np.fill_diagonal(phi, 0.0)
    return phi, int(bad.sum())


@pytest.mark.parametrize("case", ["plain", "constant products", "one location varies", "nan", "integers"])
def test_continuous_proximity_is_corrcoefs_to_the_bit(case):
    import warnings

    rng = np.random.default_rng(16)
    rca = rng.lognormal(size=(11, 300))
    if case == "constant products":
        rca[:, [3, 7, 250]] = [0.1, 0.0, 1.0 / 3.0]  # 0.1 and 1/3: the column mean is not exact
    elif case == "one location varies":
        rca[1:, :] = 0.0
        rca[:, 5] = 0.0
    elif case == "nan":
        rca[2, 4] = np.nan
    elif case == "integers":
        rca = rng.integers(0, 3, size=(6, 40))
    want, n_bad = _corrcoef_proximity(rca)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = continuous_proximity(rca)
    assert got.tobytes() == want.tobytes()
    messages = [str(w.message) for w in caught if issubclass(w.category, DataQualityWarning)]
    assert messages == ([f"{n_bad} proximity cells have an undefined correlation (constant RCA); set to 0"]
                        if n_bad else [])


@pytest.mark.parametrize("case", ["plain", "constant products", "one location varies", "integers"])
def test_continuous_operator_is_the_matrix(case):
    import warnings

    from tradecoop.complexity.product_space import ContinuousProximityOperator, density

    rng = np.random.default_rng(17)
    rca = rng.lognormal(size=(11, 300))
    if case == "constant products":
        rca[:, [3, 7, 250]] = [0.1, 0.0, 1.0 / 3.0]
    elif case == "one location varies":
        rca[1:, :] = 0.0
        rca[:, 5] = 0.0
    elif case == "integers":
        rca = rng.integers(0, 3, size=(6, 40)).astype(float)
    levels = rca / (1.0 + rca)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        phi = continuous_proximity(rca)
        op = ContinuousProximityOperator(rca)
    messages = [str(w.message) for w in caught if issubclass(w.category, DataQualityWarning)]
    assert len(messages) in (0, 2) and len(set(messages)) <= 1  # the same warning from both
    np.testing.assert_allclose(op.rmatmul(levels), levels @ phi, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(op.row_sums, phi.sum(axis=1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(density(levels, op), density(levels, phi), rtol=1e-12, atol=1e-12)


@pytest.fixture(scope="module")
def stata_fixture() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "trade_data_sample.csv")


@pytest.mark.parametrize("proximity_kind", ["discrete", "continuous"])
def test_country_as_external_reproduces_itself(stata_fixture, proximity_kind):
    result = compute_complexity(stata_fixture, location_col="origin", product_col="hs92",
                                value_col="export_val", proximity=proximity_kind)
    for year in result.years:
        countries = result[year]
        for i, code in enumerate(countries.locations):
            ext = external_outlook(countries.values[i], countries, location=code)
            np.testing.assert_array_equal(ext.m, countries.m[i])
            np.testing.assert_allclose(ext.rca, countries.rca[i], rtol=1e-14)
            np.testing.assert_allclose(ext.eci, countries.eci[i], atol=EXTERNAL_ATOL)
            np.testing.assert_allclose(ext.density, countries.density[i], atol=EXTERNAL_ATOL)
            np.testing.assert_allclose(ext.cog, countries.cog[i], atol=EXTERNAL_ATOL)
            np.testing.assert_allclose(ext.coi, countries.coi[i], atol=EXTERNAL_ATOL)


def test_external_region_is_not_added_as_a_country(stata_fixture):
    one = stata_fixture[stata_fixture.year == 1995]
    countries = compute_complexity(one, location_col="origin", product_col="hs92",
                                   value_col="export_val").only()
    # a "region" holding 10% of Austria's exports of three products plus a product not in the matrix
    aut = one[one.origin == "aut"].set_index("hs92")["export_val"]
    region = pd.concat([aut.iloc[:3] * 0.1, pd.Series({999999: 5.0})])
    ext = external_outlook_frame(region, countries, location="AT-1")
    assert ext.diversity == int(ext.m.sum()) >= 1
    np.testing.assert_allclose(ext.eci, countries.pci[ext.m == 1].mean())
    assert "AT-1" not in countries.locations
    assert ext.to_frame()["location"].eq("AT-1").all()


def test_rpop_and_union_modes(stata_fixture):
    pop = pd.read_csv(FIXTURES / "population_data_sample.csv").rename(columns={"origin": "location"})
    frame = stata_fixture.rename(columns={"origin": "location", "hs92": "product", "export_val": "value"})
    one = frame[frame.year == 1995]
    # the fixture has no population for blx: RPOP drops it (warning) and works on the other nine
    x = one.pivot(index="location", columns="product", values="value").fillna(0.0).drop(index="blx")
    p = pop[pop.year == 1995].set_index("location")["population"].reindex(x.index).to_numpy()
    # by the formulas: RPOP = (x / column total) / (pop / total pop); RCA = Balassa
    rpop_m = ((x / x.sum(0)).div(p / p.sum(), axis=0) >= 1).to_numpy(float)
    rca_m = ((x.div(x.sum(1), axis=0)) / (x.sum(0) / x.to_numpy().sum()) >= 1).to_numpy(float)
    with pytest.warns(DataQualityWarning, match="1 locations without population dropped"):
        got_rpop = compute_complexity(one, rca_mode="rpop", population=pop).only()
    with pytest.warns(DataQualityWarning, match="first: blx"):
        got_both = compute_complexity(one, rca_mode="both", population=pop).only()
    assert got_both.locations.tolist() == x.index.tolist()
    np.testing.assert_array_equal(got_rpop.m, rpop_m)
    np.testing.assert_array_equal(got_both.m, np.maximum(rpop_m, rca_m))  # union, never 2
    assert set(np.unique(got_both.m)) <= {0.0, 1.0}


def test_fitness_through_public_api(stata_fixture):
    res = compute_complexity(stata_fixture, location_col="origin", product_col="hs92",
                             value_col="export_val", method="fitness")
    for year in res.years:
        y = res[year]
        np.testing.assert_allclose([y.eci.mean(), y.pci.mean()], [1.0, 1.0], rtol=1e-9)
        assert np.isnan(y.coi).all() and np.isnan(y.cog).all()
        assert np.isfinite(y.density).all()


def test_panel_to_frame_equals_concatenated_years(stata_fixture):
    res = compute_complexity(stata_fixture, location_col="origin", product_col="hs92",
                             value_col="export_val")
    panel = res.to_frame()
    parts = pd.concat([res[y].to_frame() for y in res.years], ignore_index=True)
    pd.testing.assert_frame_equal(panel, parts, check_categorical=False)
