"""ECI/PCI, proximity, density, COI and COG on a 3 x 3 nested matrix, computed by hand.

M = [[1,1,1],    A   kc0 = (3, 2, 1), kp0 = (3, 2, 1)
     [1,1,0],    B
     [1,0,0]]    C
M Dp^-1 M' = [[11/6, 5/6, 1/3], [5/6, 5/6, 1/3], [1/3, 1/3, 1/3]], so M~C (rows / kc0) has trace
49/36, det = det(M)^2 det(Dp^-1) / det(Dc) = (1/6)/6 = 1/36: eigenvalues 1 and the roots of
36x^2 - 13x + 1 = 0, i.e. 1/4 and 1/9. For lambda2 = 1/4: 4xA + 4xB + xC = 0 and
5xA + 2xB + 2xC = 0 -> kc* ∝ (2, -1, -4) (signed by corr with diversity: positive).
kp = mean of kc* over each product's locations: (-1, 1/2, 2); kc = mean of kp: (1/2, -1/4, -1).
mu = -1/4, deviations (3/4, 0, -3/4), sigma = sqrt(3 * 9/8 / (9 - 1)) = sqrt(27/64) = 3 sqrt(3)/8.
ECI = (2/sqrt3, 0, -2/sqrt3); PCI = (kp + 1/4)/sigma = (-2/sqrt3, 2/sqrt3, 2 sqrt3).
Proximity: C = M'M: C01 = 2, C02 = 1, C12 = 1 -> phi01 = 2/3, phi02 = 1/3, phi12 = 1/2.
Row sums 1, 7/6, 5/6. Density B: p0 = phi01 / 1 = 2/3 (p0 present), p2 = (1/3 + 1/2)/(5/6) = 1.
Density C: p1 = (2/3)/(7/6) = 4/7, p2 = (1/3)/(5/6) = 2/5.
q = kp / sigma = (-1, 1/2, 2)/sigma. COG_C,p1 = phi21 q2 / rowsum2 = (1/2)(2/sigma)/(5/6) = 1.2/sigma;
COG_C,p2 = phi12 q1 / rowsum1 = (1/2)(1/(2 sigma))/(7/6) = (3/14)/sigma; COG_B = 0 (the only
missing product, p2, has phi22 = 0); COG_A = 0 (nothing missing).
COI_raw = (0, 1 * 2/sigma, (4/7)(1/2)/sigma + (2/5)(2)/sigma) = (0, 2, 38/35)/sigma.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tradecoop.complexity import compute_complexity
from tradecoop.complexity.eci import eigenvector_complexity, orient, standardise
from tradecoop.complexity.product_space import proximity

#: hand values are exact fractions; 1e-12 allows for floating-point rounding only
RTOL = 1e-12
M = np.array([[1.0, 1, 1], [1, 1, 0], [1, 0, 0]])
SIGMA = 3 * np.sqrt(3) / 8
S3 = np.sqrt(3)


def test_eigenvector_eci_pci_by_hand():
    kc, kp, vals = eigenvector_complexity(M, M.sum(1), M.sum(0))
    np.testing.assert_allclose(vals, [1, 1 / 4, 1 / 9], rtol=RTOL)
    kc, kp = orient(kc, kp, M.sum(1))
    eci, pci, _mu, _sigma = standardise(kc, kp, 3)  # mu, sigma depend on the eigenvector's scale
    np.testing.assert_allclose(eci, [2 / S3, 0, -2 / S3], rtol=RTOL, atol=1e-14)
    np.testing.assert_allclose(pci, [-2 / S3, 2 / S3, 2 * S3], rtol=RTOL)


def test_proximity_by_hand():
    expected = [[0, 2 / 3, 1 / 3], [2 / 3, 0, 1 / 2], [1 / 3, 1 / 2, 0]]
    np.testing.assert_allclose(proximity(M, M.sum(0)), expected, rtol=RTOL)


@pytest.fixture
def result():
    # a given M (explicit flag) so the values only need to be positive
    frame = pd.DataFrame({
        "year": 2000, "location": np.repeat(["A", "B", "C"], 3), "product": ["p0", "p1", "p2"] * 3,
        "value": 1.0, "given": M.ravel().astype(int),
    })
    return compute_complexity(frame, M="given").only()


def test_pipeline_density_cog_coi_by_hand(result):
    np.testing.assert_allclose(result.eci, [2 / S3, 0, -2 / S3], rtol=RTOL, atol=1e-14)
    # q = kp / sigma does not depend on the eigenvector's scale
    np.testing.assert_allclose(result.q, np.array([-1, 0.5, 2]) / SIGMA, rtol=RTOL)
    np.testing.assert_allclose(result.density[1], [2 / 3, 4 / 7, 1], rtol=RTOL)
    np.testing.assert_allclose(result.density[2], [0, 4 / 7, 2 / 5], rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(result.cog[0], [0, 0, 0], atol=1e-14)
    np.testing.assert_allclose(result.cog[1], [0, 0, 0], atol=1e-14)
    np.testing.assert_allclose(result.cog[2], [0, 1.2 / SIGMA, (3 / 14) / SIGMA], rtol=RTOL)
    raw = np.array([0, 2, 38 / 35]) / SIGMA
    mu = raw.mean()
    sd = np.sqrt(3 * np.sum((raw - mu) ** 2) / (9 - 1))  # long table, n - 1
    np.testing.assert_allclose(result.coi, (raw - mu) / sd, rtol=RTOL)
    np.testing.assert_allclose(result.distance, 1 - result.density)


def test_to_frame_columns_and_rows(result):
    frame = compute_complexity(
        pd.DataFrame({"year": 2000, "location": np.repeat(["A", "B", "C"], 3),
                      "product": ["p0", "p1", "p2"] * 3, "value": 1.0, "given": M.ravel().astype(int)}),
        M="given",
    ).to_frame()
    assert list(frame.columns) == ["year", "location", "product", "value", "rca", "M", "density",
                                   "distance", "cog", "eci", "pci", "diversity", "ubiquity", "coi"]
    assert len(frame) == 9
    row = frame[(frame.location == "C") & (frame["product"] == "p0")].iloc[0]
    assert (row.M, row.diversity, row.ubiquity) == (1, 1, 3)
